import type { Vocab } from './vocab.js';

/**
 * Greedy longest-match-first WordPiece (transformers' WordpieceTokenizer). Lengths count code points,
 * as Python does, so a word of more than `maxInputCharsPerWord` code points becomes the unknown token.
 */
export class WordPiece {
  /** Longest vocabulary entry in code points (without the prefix): no longer substring can match. */
  private readonly maxTokenChars: number;

  constructor(
    private readonly vocab: Vocab,
    private readonly unkId: number,
    private readonly prefix = '##',
    private readonly maxInputCharsPerWord = 100,
  ) {
    let longest = 1;
    for (const token of vocab.tokenToId.keys()) {
      const body = token.startsWith(prefix) ? token.slice(prefix.length) : token;
      let n = 0;
      for (let i = 0; i < body.length; i++) {
        const c = body.charCodeAt(i);
        if (c < 0xdc00 || c > 0xdfff) n++; // count code points: skip low surrogates
      }
      if (n > longest) longest = n;
    }
    this.maxTokenChars = longest;
  }

  /** Appends the ids of one word (already normalized and split on punctuation). */
  appendIds(word: string, out: number[]): void {
    // UTF-16 offsets of code point starts, plus the end.
    const bounds: number[] = [];
    for (let i = 0; i < word.length; i++) {
      const c = word.charCodeAt(i);
      if (c < 0xdc00 || c > 0xdfff || i === 0 || !isHighSurrogate(word.charCodeAt(i - 1))) bounds.push(i);
    }
    const count = bounds.length;
    if (count === 0) return;
    if (count > this.maxInputCharsPerWord) {
      out.push(this.unkId);
      return;
    }
    bounds.push(word.length);
    const firstOut = out.length;
    let start = 0;
    while (start < count) {
      let end = Math.min(count, start + this.maxTokenChars);
      let found = -1;
      while (end > start) {
        const sub = word.slice(bounds[start], bounds[end]);
        const id = this.vocab.tokenToId.get(start > 0 ? this.prefix + sub : sub);
        if (id !== undefined) {
          found = id;
          break;
        }
        end--;
      }
      if (found < 0) {
        out.length = firstOut; // one unmatched piece makes the whole word unknown
        out.push(this.unkId);
        return;
      }
      out.push(found);
      start = end;
    }
  }
}

function isHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}
