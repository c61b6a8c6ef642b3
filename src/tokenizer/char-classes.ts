// Character classes of BERT's BasicTokenizer (transformers 3.4.0 tokenization_bert.py), looked up
// through tables filled lazily per code point, because Unicode property regexes per character are
// too slow for millions of passages.

/** How the text-cleaning/splitting pass treats a code point. */
export const CharClass = {
  /** Part of a word. */
  Word: 1,
  /** A separator: ' ', \t, \n, \r, any Zs; also U+2028/U+2029, which Python's str.split() splits on. */
  Space: 2,
  /** Removed by _clean_text: U+0000, U+FFFD and every C* category except \t\n\r (lone surrogates too). */
  Drop: 3,
  /** A CJK ideograph (BasicTokenizer._is_chinese_char): becomes a word of its own. */
  Cjk: 4,
} as const;
export type CharClass = (typeof CharClass)[keyof typeof CharClass];

const ZS = /^\p{Zs}$/u;
const OTHER = /^\p{C}$/u;
const PUNCT = /^\p{P}$/u;

/** BasicTokenizer._is_chinese_char: the CJK Unified Ideograph blocks (not Hangul, kana or CJK punctuation). */
export function isCjkIdeograph(cp: number): boolean {
  return (
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x20000 && cp <= 0x2a6df) ||
    (cp >= 0x2a700 && cp <= 0x2b73f) ||
    (cp >= 0x2b740 && cp <= 0x2b81f) ||
    (cp >= 0x2b820 && cp <= 0x2ceaf) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0x2f800 && cp <= 0x2fa1f)
  );
}

function computeClass(cp: number): CharClass {
  if (cp === 0x20 || cp === 0x09 || cp === 0x0a || cp === 0x0d) return CharClass.Space;
  if (cp === 0 || cp === 0xfffd) return CharClass.Drop;
  if (cp >= 0xd800 && cp <= 0xdfff) return CharClass.Drop; // a lone surrogate (category Cs)
  const ch = String.fromCodePoint(cp);
  if (OTHER.test(ch)) return CharClass.Drop;
  if (ZS.test(ch) || cp === 0x2028 || cp === 0x2029) return CharClass.Space;
  if (isCjkIdeograph(cp)) return CharClass.Cjk;
  return CharClass.Word;
}

function computePunct(cp: number): boolean {
  // BERT counts every ASCII non-alphanumeric printable as punctuation ("$", "^", "`", ...), plus Unicode P*.
  if ((cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) || (cp >= 123 && cp <= 126)) return true;
  if (cp >= 0xd800 && cp <= 0xdfff) return false;
  return PUNCT.test(String.fromCodePoint(cp));
}

const bmpClass = new Uint8Array(0x10000); // 0 = not computed yet
const bmpPunct = new Uint8Array(0x10000); // 0 = not computed, 1 = no, 2 = yes
const astralClass = new Map<number, CharClass>();
const astralPunct = new Map<number, boolean>();

export function charClass(cp: number): CharClass {
  if (cp < 0x10000) {
    let c = bmpClass[cp];
    if (c === 0) bmpClass[cp] = c = computeClass(cp);
    return c as CharClass;
  }
  let c = astralClass.get(cp);
  if (c === undefined) astralClass.set(cp, (c = computeClass(cp)));
  return c;
}

export function isPunctuation(cp: number): boolean {
  if (cp < 0x10000) {
    let p = bmpPunct[cp];
    if (p === 0) bmpPunct[cp] = p = computePunct(cp) ? 2 : 1;
    return p === 2;
  }
  let p = astralPunct.get(cp);
  if (p === undefined) astralPunct.set(cp, (p = computePunct(cp)));
  return p;
}
