// Lucene's StandardTokenizer (Lucene 8/9 grammar, StandardTokenizerImpl.jflex): UAX#29 word boundaries,
// keeping only the segments that hold letters, digits, ideographs, South-East Asian runs or emoji.
// Written by hand because no npm library reproduces this grammar (Intl.Segmenter follows ICU's tailored
// rules with dictionary-based CJK/Thai splitting, which Lucene does not do).
//
// The grammar is a set of rules matched longest-first at each position; each rule below is one sticky
// regex, and the longest match wins. Characters no rule matches (spaces, punctuation, symbols) are dropped.
import {
  aLetter,
  complexContext,
  doubleQuote,
  extend,
  extendNumLet,
  format,
  hebrewLetter,
  katakana,
  midLetter,
  midNum,
  midNumLet,
  numeric,
  regionalIndicator,
  singleQuote,
  zwj,
} from './word-break-classes.js';

/** Lucene's StandardAnalyzer.DEFAULT_MAX_TOKEN_LENGTH: longer tokens are split into pieces of this many UTF-16 units. */
export const MAX_TOKEN_LENGTH = 255;

// UAX#29 WB4: Format, Extend and ZWJ characters attach to the character before them.
const extFmtZwj = `[${format}${extend}${zwj}]*`;
// The emoji rules attach them too, except the two presentation selectors, which the emoji rule matches itself.
const extFmtZwjSansPresSel = `(?:(?![\\u{FE0E}\\u{FE0F}])[${format}${extend}${zwj}])*`;

const ahLetterEx = `[${aLetter}${hebrewLetter}]${extFmtZwj}`;
// Lucene adds the full-width digits (Halfwidth and Fullwidth Forms block, Nd) to Numeric.
const numericEx = `[${numeric}\\u{FF10}-\\u{FF19}]${extFmtZwj}`;
const katakanaEx = `[${katakana}]${extFmtZwj}`;
const midLetterEx = `[${midLetter}${midNumLet}${singleQuote}]${extFmtZwj}`;
const midNumericEx = `[${midNum}${midNumLet}${singleQuote}]${extFmtZwj}`;
const extendNumLetEx = `[${extendNumLet}]${extFmtZwj}`;
const hebrewLetterEx = `[${hebrewLetter}]${extFmtZwj}`;
const singleQuoteEx = `[${singleQuote}]${extFmtZwj}`;
const doubleQuoteEx = `[${doubleQuote}]${extFmtZwj}`;

// A letter run must leave a Hebrew letter that starts a WB7a-c unit (א' or א"ב) to that unit, else
// greedy matching would stop the token at the quote.
const ahLetterNotQuotedHebrew = `(?!${hebrewLetterEx}(?:${singleQuoteEx}|${doubleQuoteEx}${hebrewLetterEx}))${ahLetterEx}`;

// WB5-WB13b: letters, digits, katakana joined by mid-letter/mid-number punctuation and connectors.
// Alternatives are ordered so that JavaScript's first-match backtracking yields the longest match here.
const wordSegment =
  `(?:${katakanaEx}(?:(?:${extendNumLetEx})*${katakanaEx})*` +
  `|(?:${hebrewLetterEx}(?:${singleQuoteEx}|${doubleQuoteEx}${hebrewLetterEx})` +
  `|${numericEx}(?:(?:(?:${extendNumLetEx})*|${midNumericEx})${numericEx})*` +
  `|${ahLetterNotQuotedHebrew}(?:(?:(?:${extendNumLetEx})*|${midLetterEx})${ahLetterNotQuotedHebrew})*` +
  `)+)`;
const wordRule = `(?:${extendNumLetEx})*${wordSegment}(?:(?:${extendNumLetEx})+${wordSegment})*(?:${extendNumLetEx})*`;

// Emoji sequences (UTS#51 emoji_sequence, as Lucene's grammar spells it).
const emojiChar = `(?:\\p{Extended_Pictographic}|(?![${regionalIndicator}0-9#*\\u{A9}\\u{AE}\\u{2122}\\u{3030}\\u{303D}]|\\p{Emoji_Modifier})\\p{Emoji})`;
const emojiCharEx = `${emojiChar}${extFmtZwjSansPresSel}`;
const emojiModifierBaseEx = `\\p{Emoji_Modifier_Base}${extFmtZwjSansPresSel}`;
const emojiModifierEx = `\\p{Emoji_Modifier}${extFmtZwjSansPresSel}`;
const emojiElement =
  `(?:(?:[${zwj}]*${emojiModifierBaseEx})?${emojiModifierEx}` +
  `|[${zwj}]*${emojiCharEx}\\u{FE0F}?)`;
// An element may already have taken the joining ZWJ as a trailing extender; the lookbehind lets the
// next element follow it directly.
const emojiRule =
  `(?:${emojiElement}(?:[\\u{E0020}-\\u{E007E}]+\\u{E007F}|(?:(?:[${zwj}]|(?<=[${zwj}]))${emojiElement})*)` +
  `|[0-9#*]${extFmtZwjSansPresSel}\\u{FE0F}?\\u{20E3}${extFmtZwjSansPresSel}` +
  `|(?:[${regionalIndicator}]${extFmtZwj}){2})`;

const complexContextRule = `(?:[${complexContext}]${extFmtZwj})+`;
const hanRule = `\\p{Script=Han}${extFmtZwj}`;
const hiraganaRule = `\\p{Script=Hiragana}${extFmtZwj}`;

const rules: RegExp[] = [emojiRule, wordRule, complexContextRule, hanRule, hiraganaRule].map(
  (source) => new RegExp(source, 'uy'),
);
const [, wordRegex] = rules as [RegExp, RegExp, RegExp, RegExp, RegExp];

/** Length (in UTF-16 units) of the longest rule match at `pos`, or 0. */
function longestMatchAt(text: string, pos: number, candidates: readonly RegExp[]): number {
  let best = 0;
  for (const re of candidates) {
    re.lastIndex = pos;
    const m = re.exec(text);
    if (m && m[0].length > best) best = m[0].length;
  }
  return best;
}

const onlyWord = [wordRegex];

/**
 * Splits text into tokens exactly as Lucene's StandardTokenizer does (before any filter): no lowercasing,
 * punctuation dropped, e.g. "U.S.A. costs $1,000.50" → ["U.S.A", "costs", "1,000.50"].
 */
export function standardTokenize(text: string): string[] {
  const tokens: string[] = [];
  let pos = 0;
  const n = text.length;
  while (pos < n) {
    const c = text.charCodeAt(pos);
    let len: number;
    if (c < 0x80) {
      // ASCII fast path: only letters, digits and '_' can start a word; digits, '#' and '*' can also
      // start a keycap emoji, which needs U+FE0F or U+20E3 right after.
      const isWordStart = (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x5f;
      const next = pos + 1 < n ? text.charCodeAt(pos + 1) : 0;
      const maybeKeycap = (next === 0xfe0f || next === 0x20e3) && ((c >= 0x30 && c <= 0x39) || c === 0x23 || c === 0x2a);
      if (maybeKeycap) len = longestMatchAt(text, pos, rules);
      else if (isWordStart) len = longestMatchAt(text, pos, onlyWord);
      else len = 0;
    } else {
      len = longestMatchAt(text, pos, rules);
    }
    if (len === 0) {
      // Not part of any token: skip one code point.
      pos += c >= 0xd800 && c <= 0xdbff && pos + 1 < n ? 2 : 1;
      continue;
    }
    // Lucene's scanner buffer holds at most MAX_TOKEN_LENGTH characters: a longer match is cut there
    // and scanning restarts right after the cut.
    if (len > MAX_TOKEN_LENGTH) len = MAX_TOKEN_LENGTH;
    tokens.push(text.slice(pos, pos + len));
    pos += len;
  }
  return tokens;
}
