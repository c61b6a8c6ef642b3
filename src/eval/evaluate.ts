import {
  JudgedRanking,
  averagePrecision,
  ndcgAt,
  precisionAt,
  rPrecision,
  recallAt,
  reciprocalRank,
} from './judged-ranking.js';
import { DEFAULT_MEASURES, SUMMED_KINDS, parseMeasures, type Measure } from './measures.js';
import type { Qrels } from './qrels.js';
import type { RankedList, Run } from './run.js';
import { compareBytes, trecOrder } from './trec-order.js';

/** trec_eval's flags. */
export interface EvalOptions {
  /** Measures (`-m`), as parsed measures or trec_eval names like `P.5,10`. Default: DEFAULT_MEASURES. */
  readonly measures?: readonly (Measure | string)[];
  /** `-l`: relevant iff grade ≥ level. Default 1. */
  readonly level?: number | undefined;
  /** `-c`: average over every qrels topic, a topic missing from the run scoring 0. */
  readonly complete?: boolean | undefined;
  /** `-M`: evaluate at most this many documents per topic. */
  readonly maxDepth?: number | undefined;
}

/** Measure name (trec_eval's printed form) → value. */
export type MeasureValues = Record<string, number>;

export interface EvalResult {
  readonly measures: readonly Measure[];
  /** The `all` line: means (sums for num_ret/num_rel/num_rel_ret, the count for num_q). */
  readonly all: MeasureValues;
  /** Per topic (what `-q` prints): run topics that have qrels, in trec_eval's (byte) order of qid. */
  readonly perQuery: ReadonlyMap<string, MeasureValues>;
}

const EMPTY: RankedList = { docids: [], scores: [], ranks: [] };

export function resolveMeasures(measures: readonly (Measure | string)[] | undefined): Measure[] {
  if (!measures || measures.length === 0) return parseMeasures(DEFAULT_MEASURES);
  const specs = measures.filter((m): m is string => typeof m === 'string');
  const given = measures.filter((m): m is Measure => typeof m !== 'string');
  return [...given, ...parseMeasures(specs)];
}

/** Joins one topic's ranking (in trec_eval order, depth-capped) with its judgments. */
export function judgeRanking(list: RankedList, judged: ReadonlyMap<string, number>, level: number, maxDepth?: number): JudgedRanking {
  const order = trecOrder(list, maxDepth);
  const grades = new Float64Array(order.length);
  for (let i = 0; i < order.length; i++) grades[i] = judged.get(list.docids[order[i]!]!) ?? Number.NaN;
  return new JudgedRanking(grades, [...judged.values()], level);
}

/** The value of one measure on one topic (num_q counts the topic: 1). */
export function measureValue(m: Measure, r: JudgedRanking): number {
  const k = m.cutoff ?? Number.POSITIVE_INFINITY;
  switch (m.kind) {
    case 'num_q': return 1;
    case 'num_ret': return r.numRet;
    case 'num_rel': return r.numRel;
    case 'num_rel_ret': return r.relevantInTop(r.numRet);
    case 'map': return averagePrecision(r);
    case 'map_cut': return averagePrecision(r, k);
    case 'Rprec': return rPrecision(r);
    case 'recip_rank': return reciprocalRank(r);
    case 'P': return precisionAt(r, k);
    case 'recall': return recallAt(r, k);
    case 'ndcg': return ndcgAt(r);
    case 'ndcg_cut': return ndcgAt(r, k);
  }
}

/** Evaluates a run against qrels exactly as trec_eval 9.0.8 does with the same flags. */
export function evaluate(qrels: Qrels, run: Run, options: EvalOptions = {}): EvalResult {
  const measures = resolveMeasures(options.measures);
  const level = options.level ?? 1;
  if (!Number.isInteger(level)) throw new Error(`relevance level must be an integer, got ${level}`);
  const maxDepth = options.maxDepth;
  if (maxDepth !== undefined && !(Number.isInteger(maxDepth) && maxDepth >= 1)) throw new Error(`max depth must be a positive integer, got ${maxDepth}`);

  const evaluated = [...run.keys()].filter((qid) => qrels.has(qid)).sort(compareBytes);
  const topics = options.complete ? [...qrels.keys()].sort(compareBytes) : evaluated;
  const perQuery = new Map<string, MeasureValues>();
  const sums = new Float64Array(measures.length);
  for (const qid of topics) {
    const r = judgeRanking(run.get(qid) ?? EMPTY, qrels.get(qid)!, level, maxDepth);
    const values: MeasureValues = {};
    measures.forEach((m, i) => {
      const v = measureValue(m, r);
      sums[i]! += v;
      if (m.kind !== 'num_q') values[m.name] = v;
    });
    // trec_eval -c averages in topics missing from the run but prints no line for them.
    if (run.has(qid)) perQuery.set(qid, values);
  }
  const all: MeasureValues = {};
  measures.forEach((m, i) => {
    all[m.name] = m.kind === 'num_q' || SUMMED_KINDS.has(m.kind) ? sums[i]! : topics.length === 0 ? 0 : sums[i]! / topics.length;
  });
  return { measures, all, perQuery };
}
