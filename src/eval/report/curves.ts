import { evaluate, judgeRanking } from '../evaluate.js';
import type { Qrels } from '../qrels.js';
import type { RankedList, Run } from '../run.js';
import type { Series } from './svg-charts.js';

export const CURVE_CUTOFFS = [1, 2, 3, 5, 10, 20, 50, 100, 200, 500, 1000];

export interface CurveOptions {
  readonly level?: number | undefined;
  readonly complete?: boolean | undefined;
  readonly maxDepth?: number | undefined;
}

/** trec_eval recall.k at each cutoff, with the same topic set and flags as the metric table. */
export function recallCurve(name: string, qrels: Qrels, run: Run, cutoffs: readonly number[], options: CurveOptions = {}): Series {
  const result = evaluate(qrels, run, { ...options, measures: [`recall.${cutoffs.join(',')}`] });
  return { name, points: cutoffs.map((k) => [k, result.all[`recall_${k}`]!] as const) };
}

const EMPTY: RankedList = { docids: [], scores: [], ranks: [] };

/** Accuracy@k for qrels: the fraction of topics with at least one relevant document in the top k. */
export function successCurve(name: string, qrels: Qrels, run: Run, cutoffs: readonly number[], options: CurveOptions = {}): Series {
  const level = options.level ?? 1;
  const topics = options.complete ? [...qrels.keys()] : [...run.keys()].filter((q) => qrels.has(q));
  const firstRanks = topics.map((qid) => judgeRanking(run.get(qid) ?? EMPTY, qrels.get(qid)!, level, options.maxDepth).firstRelevantRank());
  return {
    name,
    points: cutoffs.map((k) => [k, topics.length === 0 ? 0 : firstRanks.filter((r) => r > 0 && r <= k).length / topics.length] as const),
  };
}
