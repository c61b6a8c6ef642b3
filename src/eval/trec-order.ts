import type { RankedList } from './run.js';

/**
 * Compares strings in UTF-8 byte order (= code point order), as C's strcmp does on UTF-8 docids.
 * JS `<` compares UTF-16 code units, which differs only between surrogates and U+E000..U+FFFF.
 */
export function compareBytes(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 && y >= 0xd800) {
      // Surrogates (astral code points) sort after U+E000..U+FFFF in code point order.
      x = x < 0xe000 ? x + 0x2000 : x - 0x800;
      y = y < 0xe000 ? y + 0x2000 : y - 0x800;
    }
    return x - y;
  }
  return a.length - b.length;
}

/**
 * Indices of a ranked list in trec_eval's order: score descending, ties by docid descending (byte
 * order); the rank column is ignored. Keeps at most `depth` (trec_eval -M).
 */
export function trecOrder(list: RankedList, depth = Number.POSITIVE_INFINITY): number[] {
  const { scores, docids } = list;
  const order = Array.from({ length: scores.length }, (_, i) => i);
  order.sort((i, j) => scores[j]! - scores[i]! || compareBytes(docids[j]!, docids[i]!));
  if (order.length > depth) order.length = depth;
  return order;
}
