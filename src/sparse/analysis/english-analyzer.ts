// Anserini's DefaultEnglishAnalyzer (what Pyserini indexes and searches BEIR with): Lucene's
// StandardTokenizer → EnglishPossessiveFilter → LowerCaseFilter → StopFilter(ENGLISH_STOP_WORDS_SET)
// → PorterStemFilter.
import { porterStem } from './porter-stemmer.js';
import { standardTokenize } from './standard-tokenizer.js';

/** Lucene's EnglishAnalyzer.ENGLISH_STOP_WORDS_SET (33 words). */
export const ENGLISH_STOP_WORDS: ReadonlySet<string> = new Set([
  'a', 'an', 'and', 'are', 'as', 'at', 'be', 'but', 'by', 'for', 'if', 'in', 'into', 'is', 'it', 'no', 'not',
  'of', 'on', 'or', 'such', 'that', 'the', 'their', 'then', 'there', 'these', 'they', 'this', 'to', 'was',
  'will', 'with',
]);

/** EnglishPossessiveFilter: strips a trailing 's / ’s / ＇s (either case of s). */
export function stripPossessive(token: string): string {
  const n = token.length;
  if (n < 2) return token;
  const s = token.charCodeAt(n - 1);
  const quote = token.charCodeAt(n - 2);
  if ((s === 0x73 || s === 0x53) && (quote === 0x27 || quote === 0x2019 || quote === 0xff07)) return token.slice(0, n - 2);
  return token;
}

/**
 * LowerCaseFilter: Java's Character.toLowerCase on each code point (simple case mapping, no context),
 * so "Σ" always becomes "σ" and "İ" becomes "i", unlike String.prototype.toLowerCase.
 */
export function lowerCaseLikeLucene(token: string): string {
  if (!/[^\x00-\x7f]/.test(token)) return token.toLowerCase();
  let out = '';
  for (const ch of token) {
    const lower = ch.toLowerCase();
    // Full case mapping can expand one code point (only U+0130 does for lowercase); Java maps it to 'i'.
    if (ch === '\u0130') out += 'i';
    else if (lower.length === ch.length || [...lower].length === 1) out += lower;
    else out += ch;
  }
  return out;
}

/** The index terms of a text, in order (stop words removed, so positions are not kept). */
export function analyzeEnglish(text: string): string[] {
  const terms: string[] = [];
  for (const raw of standardTokenize(text)) {
    const term = lowerCaseLikeLucene(stripPossessive(raw));
    if (ENGLISH_STOP_WORDS.has(term)) continue;
    terms.push(porterStem(term));
  }
  return terms;
}
