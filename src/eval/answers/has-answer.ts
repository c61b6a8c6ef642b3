import { compilePythonRegex, PythonRegexError } from './python-regex.js';
import { simpleTokenizeUncased } from './simple-tokenizer.js';

export type AnswerMatchMode = 'string' | 'regex';

export interface HasAnswerOptions {
  /** `string` (default): token match, as DPR's NQ/TriviaQA/WebQ evaluation; `regex`: CuratedTREC. */
  readonly mode?: AnswerMatchMode;
}

/** Compiled answer regexes, by NFD pattern (null = does not compile in Python). */
const regexCache = new Map<string, RegExp | null>();

function compiledAnswer(pattern: string): RegExp | null {
  let re = regexCache.get(pattern);
  if (re === undefined) {
    try {
      re = compilePythonRegex(pattern);
    } catch (e) {
      if (!(e instanceof PythonRegexError)) throw e;
      re = null; // DPR's regex_match catches the compile error and reports no match
    }
    if (regexCache.size > 10_000) regexCache.clear();
    regexCache.set(pattern, re);
  }
  return re;
}

function containsRun(haystack: readonly string[], needle: readonly string[]): boolean {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

/**
 * DPR's qa_validation.has_answer: does `text` contain one of `answers`?
 * String mode: NFD-normalize both, tokenize with SimpleTokenizer, lowercase, look for the answer's
 * tokens as a contiguous run (an answer with no tokens matches anything, as in DPR).
 * Regex mode: each answer is a Python regex, searched in the NFD text with IGNORECASE | UNICODE |
 * MULTILINE; a pattern Python cannot compile matches nothing.
 */
export function hasAnswer(answers: readonly string[], text: string, options: HasAnswerOptions = {}): boolean {
  const mode = options.mode ?? 'string';
  const normalized = text.normalize('NFD');
  if (mode === 'regex') {
    for (const answer of answers) {
      const re = compiledAnswer(answer.normalize('NFD'));
      if (re && re.test(normalized)) return true;
    }
    return false;
  }
  if (mode !== 'string') throw new Error(`unknown answer match mode ${JSON.stringify(mode)} (expected "string" or "regex")`);
  const words = simpleTokenizeUncased(normalized);
  for (const answer of answers) {
    if (containsRun(words, simpleTokenizeUncased(answer.normalize('NFD')))) return true;
  }
  return false;
}
