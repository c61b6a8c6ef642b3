import type { EvalOptions } from '../evaluate.js';
import type { Qrels } from '../qrels.js';
import type { Run } from '../run.js';
import type { MeasureTable } from '../report-text.js';
import type { AnswerRecallResult } from '../answers/answer-recall.js';
import { CURVE_CUTOFFS, recallCurve, successCurve } from './curves.js';
import type { ReportInput } from './html-report.js';

export interface NamedRun {
  readonly name: string;
  readonly run: Run;
}

/**
 * Report data for qrels evaluation: each run's metric table (trec_eval flags as given, or a
 * preset's table), recall@k and accuracy@k (a relevant document in the top k) curves under the same
 * level/-c/-M, and per-query comparison on `compareMeasure` (default: the table's first measure).
 */
export function qrelsReportInput(
  qrels: Qrels,
  runs: readonly NamedRun[],
  tables: readonly MeasureTable[],
  options: EvalOptions,
  notes: readonly string[],
  compareMeasure?: string,
): ReportInput {
  const curveOptions = { level: options.level, complete: options.complete, maxDepth: options.maxDepth };
  const depth = Math.max(1, ...runs.flatMap((r) => [...r.run.values()].map((l) => l.docids.length)));
  const cutoffs = CURVE_CUTOFFS.filter((k) => k <= Math.max(depth, 1));
  return {
    title: 'densekit evaluation report',
    notes,
    runs: runs.map((r, i) => ({ name: r.name, all: tables[i]!.all, perQuery: tables[i]!.perQuery })),
    curves: [
      { title: 'Recall@k', yLabel: 'recall', series: runs.map((r) => recallCurve(r.name, qrels, r.run, cutoffs, curveOptions)) },
      { title: 'Accuracy@k (a relevant document in the top k)', yLabel: 'accuracy', series: runs.map((r) => successCurve(r.name, qrels, r.run, cutoffs, curveOptions)) },
    ],
    ...(compareMeasure !== undefined ? { compareMeasure } : {}),
  };
}

/** Report data for DPR answer recall: top-k accuracy table and curve, per-question comparison on the largest k. */
export function answersReportInput(runs: readonly { name: string; result: AnswerRecallResult }[], topk: readonly number[], notes: readonly string[]): ReportInput {
  const kMax = Math.max(...topk);
  return {
    title: 'densekit answer recall report',
    notes,
    runs: runs.map((r) => ({
      name: r.name,
      all: Object.fromEntries(topk.map((k) => [`top_${k}`, r.result.accuracy.get(k)!])),
      perQuery: new Map([...r.result.firstHit].map(([id, first]) => [id, { [`top_${kMax}`]: first > 0 && first <= kMax ? 1 : 0 }])),
    })),
    curves: [{ title: 'Top-k answer accuracy', yLabel: 'accuracy', series: runs.map((r) => ({ name: r.name, points: topk.map((k) => [k, r.result.accuracy.get(k)!] as const) })) }],
    compareMeasure: `top_${kMax}`,
  };
}

