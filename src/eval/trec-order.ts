import { compareBytes } from '../results/hit-order.js';
import type { RankedList } from './run.js';

export { compareBytes };


/**
 * Indices of a ranked list in trec_eval's order: score descending, ties by docid descending (byte
 * order); the rank column is ignored. Keeps at most `depth` (trec_eval -M).
 */
export function trecOrder(list: RankedList, depth = Number.POSITIVE_INFINITY): number[] {
  const { scores, docids } = list;
  const order = Array.from({ length: scores.length }, (_, i) => i);
  const before = (i: number, j: number) => scores[j]! - scores[i]! || compareBytes(docids[j]!, docids[i]!);
  // Runs are usually written in this order already: check in O(n) before paying for a sort.
  let sorted = true;
  for (let i = 1; i < order.length && sorted; i++) sorted = before(i - 1, i) < 0;
  if (!sorted) order.sort(before);
  if (order.length > depth) order.length = depth;
  return order;
}
