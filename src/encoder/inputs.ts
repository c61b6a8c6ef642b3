import type { Encoding } from '../tokenizer/types.js';
import type { PassageInput, SideSettings } from './types.js';

/** The part of the tokenizer the input formatting needs. */
export interface TextTokenizer {
  encode(text: string, pair?: string, options?: { maxLength?: number; truncation?: 'longest_first' }): Encoding;
}

/** Tokenizes a query as the side's settings say: prefix, then one sequence truncated to maxLength. */
export function encodeQueryInput(tokenizer: TextTokenizer, text: string, side: SideSettings): Encoding {
  return tokenizer.encode((side.prefix ?? '') + text, undefined, { maxLength: side.maxLength, truncation: 'longest_first' });
}

/**
 * Tokenizes a passage in the side's passage format:
 * - `pair`: tokenizer(title, text_pair=text), longest_first truncation; a passage with no title is
 *   encoded as its text alone, unless the side names a `missingTitle` (SimLM puts "-" there).
 *   An explicitly empty title ("") is kept as an empty first segment, as the reference does.
 * - `join`: `title + " " + text` as one sequence (BEIR/MTEB's sentence-transformers convention).
 * - `text`: the text alone.
 */
export function encodePassageInput(tokenizer: TextTokenizer, passage: PassageInput, side: SideSettings): Encoding {
  const opts = { maxLength: side.maxLength, truncation: 'longest_first' as const };
  const prefix = side.prefix ?? '';
  const format = side.passageFormat ?? 'pair';
  switch (format) {
    case 'text':
      return tokenizer.encode(prefix + passage.text, undefined, opts);
    case 'join':
      return tokenizer.encode(prefix + (passage.title !== undefined ? `${passage.title} ${passage.text}` : passage.text), undefined, opts);
    case 'pair': {
      let title = passage.title;
      if (side.missingTitle !== undefined && (title === undefined || title.trim() === '')) title = side.missingTitle;
      if (title === undefined) return tokenizer.encode(prefix + passage.text, undefined, opts);
      return tokenizer.encode(prefix + title, passage.text, opts);
    }
  }
}
