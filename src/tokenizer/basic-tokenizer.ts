// BERT's BasicTokenizer (transformers 3.4.0), split in two so that the expensive per-word part can be
// cached: splitWords() does _clean_text, _tokenize_chinese_chars and whitespace splitting in one pass
// over the UTF-16 code units; splitWordOnPunctuation() and stripAccents() handle one word.
import { CharClass, charClass, isPunctuation } from './char-classes.js';

/**
 * Appends the whitespace-separated words of `text` after cleaning (control characters, U+0000 and
 * U+FFFD removed, even mid-word) and, when `splitCjk`, with each CJK ideograph as its own word.
 */
export function splitWords(text: string, splitCjk: boolean, out: string[]): void {
  const n = text.length;
  let start = -1; // start of the current clean run inside the word, or -1
  let head = ''; // the word's clean text before a removed character, when there was one
  let open = false; // a word is in progress
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    let cls: CharClass;
    let width = 1;
    if (c < 0x80) {
      cls = ASCII_CLASS[c] as CharClass;
    } else if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        cls = charClass(((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000);
        width = 2;
      } else {
        cls = CharClass.Drop;
      }
    } else {
      cls = charClass(c);
    }
    if (cls === CharClass.Cjk && !splitCjk) cls = CharClass.Word;
    switch (cls) {
      case CharClass.Word:
        if (start < 0) start = i;
        open = true;
        break;
      case CharClass.Drop:
        if (start >= 0) {
          head += text.slice(start, i);
          start = -1;
        }
        break;
      case CharClass.Space:
      case CharClass.Cjk:
        if (open) {
          out.push(start >= 0 ? head + text.slice(start, i) : head);
          head = '';
          start = -1;
          open = false;
        }
        if (cls === CharClass.Cjk) out.push(text.slice(i, i + width));
        break;
    }
    i += width - 1;
  }
  if (open) out.push(start >= 0 ? head + text.slice(start, n) : head);
}

/** _run_strip_accents: NFD, then drop nonspacing marks (Mn). ASCII words pass through untouched. */
export function stripAccents(word: string): string {
  if (isAscii(word)) return word;
  return word.normalize('NFD').replace(NONSPACING_MARKS, '');
}

/** _run_split_on_punc: every punctuation character becomes a piece of its own. */
export function splitWordOnPunctuation(word: string, out: string[]): void {
  const n = word.length;
  let start = 0;
  for (let i = 0; i < n; i++) {
    let cp = word.charCodeAt(i);
    let width = 1;
    if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < n) {
      const d = word.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        cp = ((cp - 0xd800) << 10) + (d - 0xdc00) + 0x10000;
        width = 2;
      }
    }
    if (cp < 0x80 ? ASCII_PUNCT[cp] === 1 : isPunctuation(cp)) {
      if (i > start) out.push(word.slice(start, i));
      out.push(word.slice(i, i + width));
      start = i + width;
    }
    i += width - 1;
  }
  if (start < n) out.push(start === 0 ? word : word.slice(start));
}

const NONSPACING_MARKS = /\p{Mn}/gu;

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 0x80) return false;
  return true;
}

const ASCII_CLASS = new Uint8Array(128);
const ASCII_PUNCT = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  ASCII_CLASS[c] = charClass(c);
  ASCII_PUNCT[c] = isPunctuation(c) ? 1 : 0;
}
