import type { Hit } from './hits.js';

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

/** True when (aScore, aDocid) ranks before (bScore, bDocid) in trec_eval's order: score desc, then docid desc. */
export function ranksBefore(aScore: number, aDocid: string, bScore: number, bDocid: string): boolean {
  return aScore > bScore || (aScore === bScore && compareBytes(aDocid, bDocid) > 0);
}

/** Array.sort comparator for hits in trec_eval's order. */
export function compareHits(a: Hit, b: Hit): number {
  return b.score - a.score || compareBytes(b.docid, a.docid);
}
