/**
 * DPR's (DrQA's) SimpleTokenizer: runs of letters, numbers and marks, or any single character that
 * is not a separator or control/format/unassigned/private-use code point.
 */
const TOKEN = /([\p{L}\p{N}\p{M}]+)|([^\p{Z}\p{C}])/gu;

/** The tokens of `text` (expected already NFD-normalized, as DPR normalizes before tokenizing), lowercased like Tokens.words(uncased=True). */
export function simpleTokenizeUncased(text: string): string[] {
  const words: string[] = [];
  for (const m of text.matchAll(TOKEN)) words.push(m[0].toLowerCase());
  return words;
}
