/** The trec_eval 9.0.8 measures densekit computes, in trec_eval's print order. */
export const MEASURE_KINDS = [
  'num_q',
  'num_ret',
  'num_rel',
  'num_rel_ret',
  'map',
  'Rprec',
  'recip_rank',
  'P',
  'recall',
  'ndcg',
  'ndcg_cut',
  'map_cut',
] as const;
export type MeasureKind = (typeof MEASURE_KINDS)[number];

/** One measure to compute: `P` with cutoff 10 prints as `P_10`. */
export interface Measure {
  readonly kind: MeasureKind;
  readonly cutoff?: number;
  /** The name trec_eval prints: `map`, `P_10`, `ndcg_cut_100`. */
  readonly name: string;
}

const WITH_CUTOFFS = new Set<MeasureKind>(['P', 'recall', 'ndcg_cut', 'map_cut']);
/** Measures summed (not averaged) over topics in trec_eval's `all` line. */
export const SUMMED_KINDS = new Set<MeasureKind>(['num_ret', 'num_rel', 'num_rel_ret']);
/** Measures printed as integers. */
export const INTEGER_KINDS = new Set<MeasureKind>(['num_q', 'num_ret', 'num_rel', 'num_rel_ret']);
/** trec_eval's cutoffs when a cutoff measure is named without any (`-m P`). */
const DEFAULT_CUTOFFS = [5, 10, 15, 20, 30, 100, 200, 500, 1000];

/** trec_eval's measures for the golden `default` flag set, used when no -m is given. */
export const DEFAULT_MEASURES = ['map', 'recip_rank', 'P.5,10,20', 'recall.10,100,1000', 'ndcg_cut.10,100', 'num_rel_ret', 'num_q'];

/**
 * Parses trec_eval `-m` arguments (`map`, `P.5,10`, `ndcg_cut.10,100`, `P` for its default cutoffs)
 * into measures, deduplicated and sorted in trec_eval's print order (kind, then cutoff).
 */
export function parseMeasures(specs: readonly string[]): Measure[] {
  const byName = new Map<string, Measure>();
  for (const spec of specs) {
    const dot = spec.indexOf('.');
    const kindText = dot < 0 ? spec : spec.slice(0, dot);
    const kind = MEASURE_KINDS.find((k) => k === kindText);
    if (!kind) {
      throw new Error(`unknown measure ${JSON.stringify(spec)}; known: ${MEASURE_KINDS.join(', ')} (cutoff forms like P.5,10 for ${[...WITH_CUTOFFS].join(', ')})`);
    }
    if (!WITH_CUTOFFS.has(kind)) {
      if (dot >= 0) throw new Error(`measure ${kind} takes no cutoffs, got ${JSON.stringify(spec)}`);
      byName.set(kind, { kind, name: kind });
      continue;
    }
    const cutoffs = dot < 0 ? DEFAULT_CUTOFFS : spec.slice(dot + 1).split(',').map((c) => {
      if (!/^\d+$/.test(c) || Number(c) < 1) throw new Error(`measure ${JSON.stringify(spec)}: cutoff ${JSON.stringify(c)} is not a positive integer`);
      return Number(c);
    });
    for (const cutoff of cutoffs) {
      const name = `${kind}_${cutoff}`;
      byName.set(name, { kind, cutoff, name });
    }
  }
  return [...byName.values()].sort(
    (a, b) => MEASURE_KINDS.indexOf(a.kind) - MEASURE_KINDS.indexOf(b.kind) || (a.cutoff ?? 0) - (b.cutoff ?? 0),
  );
}
