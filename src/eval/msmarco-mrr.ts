import type { MeasureValues } from './evaluate.js';
import type { Qrels } from './qrels.js';
import type { Run } from './run.js';
import { compareBytes } from './trec-order.js';

export interface MsmarcoMrrResult {
  readonly mean: number;
  /** Per run topic that has qrels. */
  readonly perQuery: Map<string, number>;
}

/**
 * MRR@depth as MS MARCO's official msmarco_passage_eval.py computes it, which differs from
 * trec_eval's recip_rank in three ways:
 * - it orders by the run's rank column (a document at rank r sits in slot r; scores are ignored,
 *   and a later line with the same rank overwrites an earlier one);
 * - every docid listed in the qrels for a topic is relevant, whatever its grade;
 * - the mean divides by the number of qrels topics (topics missing from the run count as 0).
 */
export function msmarcoMrr(qrels: Qrels, run: Run, depth = 10): MsmarcoMrrResult {
  const perQuery = new Map<string, number>();
  let sum = 0;
  for (const qid of [...run.keys()].filter((q) => qrels.has(q)).sort(compareBytes)) {
    const list = run.get(qid)!;
    const judged = qrels.get(qid)!;
    const slots: (string | undefined)[] = new Array(depth);
    list.ranks.forEach((rank, i) => {
      if (rank < 1) throw new Error(`topic ${qid}: rank ${rank} of ${list.docids[i]} is below 1 (MS MARCO ranks start at 1)`);
      if (rank <= depth) slots[rank - 1] = list.docids[i];
    });
    let rr = 0;
    for (let i = 0; i < depth; i++) {
      const docid = slots[i];
      if (docid !== undefined && judged.has(docid)) {
        rr = 1 / (i + 1);
        break;
      }
    }
    perQuery.set(qid, rr);
    sum += rr;
  }
  return { mean: qrels.size === 0 ? 0 : sum / qrels.size, perQuery };
}

/** Adds a per-topic value into a per-query table under `name`. */
export function mergePerQuery(into: Map<string, MeasureValues>, name: string, values: ReadonlyMap<string, number>): void {
  for (const [qid, v] of values) {
    let row = into.get(qid);
    if (!row) into.set(qid, (row = {}));
    row[name] = v;
  }
}
