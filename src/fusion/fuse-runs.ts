// Fuses several rankings of the same queries into one (hybrid dense + sparse retrieval).
//   rrf:         reciprocal rank fusion, score(d) = Σ_runs 1 / (k + rank(d)), rank from 1; a document
//                absent from a run gets nothing from it (Pyserini's pyserini.fusion, Cormack et al. 2009).
//   interpolate: Pyserini's HybridSearcher on two runs: score(d) = s0(d) + alpha * s1(d), where a
//                document missing from a run takes that run's lowest score for the query, and with
//                normalisation each run's scores are first mapped to (s - (min + max) / 2) / (max - min).
// Output hits are ordered score descending, then docid descending (trec_eval's order).
import { compareHits } from '../results/hit-order.js';
import type { Hit, QueryHits } from '../results/hits.js';

export type FusionMethod = 'rrf' | 'interpolate';

export interface FuseOptions {
  readonly method: FusionMethod;
  /** RRF's rank constant. Default 60. */
  readonly k?: number;
  /** Interpolation weight of the second run (Pyserini's HybridSearcher alpha, which weighs the sparse run). Default 0.1. */
  readonly alpha?: number;
  /** Interpolation: normalise each run's scores per query first. Default true. */
  readonly normalize?: boolean;
  /** Use only each run's top `depth` hits per query. Default: all. */
  readonly depth?: number;
  /** Keep this many fused hits per query. Default 1000. */
  readonly hits?: number;
}

export const DEFAULT_RRF_K = 60;
export const DEFAULT_ALPHA = 0.1;
export const DEFAULT_FUSED_HITS = 1000;

function checkPositiveInteger(name: string, v: number | undefined): void {
  if (v !== undefined && !(Number.isInteger(v) && v >= 1)) throw new RangeError(`fusion ${name} must be a positive integer, got ${v}`);
}

/** Each run's hits for one query, in rank order, cut to depth, with duplicates refused. */
function rankedHits(run: readonly QueryHits[], runIndex: number, depth: number): Map<string, Hit[]> {
  const byQuery = new Map<string, Hit[]>();
  for (const q of run) {
    if (byQuery.has(q.qid)) throw new Error(`run ${runIndex + 1}: query ${q.qid} appears twice`);
    const seen = new Set<string>();
    for (const h of q.hits) {
      if (seen.has(h.docid)) throw new Error(`run ${runIndex + 1}: query ${q.qid} retrieves ${h.docid} twice`);
      if (!Number.isFinite(h.score)) throw new Error(`run ${runIndex + 1}: query ${q.qid}: score of ${h.docid} is not finite`);
      seen.add(h.docid);
    }
    const hits = [...q.hits].sort(compareHits);
    if (hits.length > depth) hits.length = depth;
    byQuery.set(q.qid, hits);
  }
  return byQuery;
}

function reciprocalRankScores(lists: readonly Hit[][], k: number): Map<string, number> {
  const scores = new Map<string, number>();
  for (const hits of lists) {
    hits.forEach((h, i) => scores.set(h.docid, (scores.get(h.docid) ?? 0) + 1 / (k + i + 1)));
  }
  return scores;
}

function interpolatedScores(lists: readonly Hit[][], alpha: number, normalize: boolean): Map<string, number> {
  const [first, second] = lists as [Hit[], Hit[]];
  const stats = [first, second].map((hits) => {
    const scores = new Map(hits.map((h) => [h.docid, h.score]));
    // An empty run has min 0 and max 1, as in HybridSearcher.
    const min = hits.length ? hits.reduce((m, h) => Math.min(m, h.score), Infinity) : 0;
    const max = hits.length ? hits.reduce((m, h) => Math.max(m, h.score), -Infinity) : 1;
    return { scores, min, max };
  });
  const adjusted = (s: number, min: number, max: number): number => {
    if (!normalize) return s;
    // HybridSearcher divides by zero here; a run whose scores are all equal contributes 0 instead.
    return max === min ? 0 : (s - (min + max) / 2) / (max - min);
  };
  const fused = new Map<string, number>();
  for (const docid of new Set([...stats[0]!.scores.keys(), ...stats[1]!.scores.keys()])) {
    const [s0, s1] = stats.map(({ scores, min, max }) => adjusted(scores.get(docid) ?? min, min, max)) as [number, number];
    fused.set(docid, s0 + alpha * s1);
  }
  return fused;
}

/** Fuses runs query by query; queries are output in order of first appearance across the runs. */
export function fuseRuns(runs: readonly (readonly QueryHits[])[], options: FuseOptions): QueryHits[] {
  const method = options.method;
  if (method !== 'rrf' && method !== 'interpolate') throw new Error(`unknown fusion method ${JSON.stringify(method)} (expected "rrf" or "interpolate")`);
  if (runs.length < 2) throw new Error(`fusion needs at least 2 runs, got ${runs.length}`);
  if (method === 'interpolate' && runs.length !== 2) throw new Error(`interpolation fuses exactly 2 runs, got ${runs.length}`);
  const k = options.k ?? DEFAULT_RRF_K;
  if (!(Number.isFinite(k) && k >= 0)) throw new RangeError(`RRF k must be a non-negative number, got ${k}`);
  const alpha = options.alpha ?? DEFAULT_ALPHA;
  if (!Number.isFinite(alpha)) throw new RangeError(`interpolation alpha must be a finite number, got ${alpha}`);
  checkPositiveInteger('depth', options.depth);
  checkPositiveInteger('hits', options.hits);
  const depth = options.depth ?? Number.POSITIVE_INFINITY;
  const keep = options.hits ?? DEFAULT_FUSED_HITS;

  const perRun = runs.map((run, i) => rankedHits(run, i, depth));
  const qids = new Set<string>();
  for (const run of runs) for (const q of run) qids.add(q.qid);

  const out: QueryHits[] = [];
  for (const qid of qids) {
    const lists = perRun.map((m) => m.get(qid) ?? []);
    const scores = method === 'rrf' ? reciprocalRankScores(lists, k) : interpolatedScores(lists, alpha, options.normalize ?? true);
    const hits = [...scores].map(([docid, score]) => ({ docid, score })).sort(compareHits);
    if (hits.length > keep) hits.length = keep;
    out.push({ qid, hits });
  }
  return out;
}
