import type { TruncationStrategy } from './types.js';

/**
 * How many tokens of each sequence survive truncation, with transformers 3.4.0's truncate_sequences
 * semantics. longest_first removes one token at a time from the longer sequence, and from the second
 * one on a tie. Where the reference only logs an error and returns a sequence longer than asked
 * (only_first/only_second with too short a sequence to cut), this throws: an over-long sequence would
 * fail later, far from the cause.
 */
export function truncatedLengths(
  firstLen: number,
  secondLen: number | undefined,
  toRemove: number,
  strategy: TruncationStrategy,
): [first: number, second: number | undefined] {
  if (toRemove <= 0) return [firstLen, secondLen];
  switch (strategy) {
    case 'longest_first': {
      let a = firstLen;
      let b = secondLen;
      for (let i = 0; i < toRemove; i++) {
        if (b === undefined || a > b) a = Math.max(0, a - 1);
        else b = Math.max(0, b - 1);
      }
      return [a, b];
    }
    case 'only_first':
      if (firstLen <= toRemove) {
        throw new Error(
          `truncation only_first: the first sequence has ${firstLen} tokens, but ${toRemove} must be removed to fit; use longest_first or a larger max length`,
        );
      }
      return [firstLen - toRemove, secondLen];
    case 'only_second':
      if (secondLen === undefined) throw new Error('truncation only_second needs a text pair, but only one text was given');
      if (secondLen <= toRemove) {
        throw new Error(
          `truncation only_second: the second sequence has ${secondLen} tokens, but ${toRemove} must be removed to fit; use longest_first or a larger max length`,
        );
      }
      return [firstLen, secondLen - toRemove];
    default:
      throw new Error(`unknown truncation strategy ${JSON.stringify(strategy)} (expected longest_first, only_first or only_second)`);
  }
}
