// The Porter (1980) stemmer as Lucene's PorterStemFilter runs it. Written by hand because the npm
// stemmers differ from Lucene's in details that change index terms: Lucene stems only words longer
// than two characters, treats every non-vowel character (digits too) as a consonant, and carries
// Porter's own later departures from the paper ("bli" → "ble", "logi" → "log").

/** Stems one lowercased word. */
export function porterStem(word: string): string {
  if (word.length <= 2) return word;
  return new PorterWord(word).stem();
}

/** One word being stemmed: `b` holds its characters, `k` the index of its current last character. */
class PorterWord {
  private readonly b: string[];
  private k: number;
  /** End of the stem (index of its last character) found by the latest successful `endsWith`. */
  private j = 0;

  constructor(word: string) {
    this.b = word.split('');
    this.k = this.b.length - 1;
  }

  stem(): string {
    this.step1();
    this.step2();
    this.step3();
    this.step4();
    this.step5();
    this.step6();
    return this.b.slice(0, this.k + 1).join('');
  }

  private isConsonant(i: number): boolean {
    const c = this.b[i];
    if (c === 'a' || c === 'e' || c === 'i' || c === 'o' || c === 'u') return false;
    if (c === 'y') return i === 0 ? true : !this.isConsonant(i - 1);
    return true;
  }

  /** Porter's m: the number of vowel-consonant sequences in b[0..j]. */
  private measure(): number {
    let n = 0;
    let i = 0;
    const j = this.j;
    // Skip the leading consonants.
    while (i <= j && this.isConsonant(i)) i++;
    while (i <= j) {
      // A run of vowels...
      while (i <= j && !this.isConsonant(i)) i++;
      if (i > j) break;
      // ...followed by a run of consonants is one VC.
      while (i <= j && this.isConsonant(i)) i++;
      n++;
    }
    return n;
  }

  private stemHasVowel(): boolean {
    for (let i = 0; i <= this.j; i++) if (!this.isConsonant(i)) return true;
    return false;
  }

  private isDoubleConsonant(i: number): boolean {
    return i >= 1 && this.b[i] === this.b[i - 1] && this.isConsonant(i);
  }

  /** consonant-vowel-consonant ending at i, the last consonant not w, x or y (e.g. "hop", not "snow"). */
  private isCvc(i: number): boolean {
    if (i < 2 || !this.isConsonant(i) || this.isConsonant(i - 1) || !this.isConsonant(i - 2)) return false;
    const c = this.b[i];
    return c !== 'w' && c !== 'x' && c !== 'y';
  }

  private endsWith(suffix: string): boolean {
    const start = this.k - suffix.length + 1;
    if (start < 0) return false;
    for (let i = 0; i < suffix.length; i++) if (this.b[start + i] !== suffix[i]) return false;
    this.j = this.k - suffix.length;
    return true;
  }

  /** Replaces b[j+1..k] by s. */
  private setTo(s: string): void {
    for (let i = 0; i < s.length; i++) this.b[this.j + 1 + i] = s[i]!;
    this.k = this.j + s.length;
  }

  private replaceIfMeasured(s: string): void {
    if (this.measure() > 0) this.setTo(s);
  }

  /** Plurals and -ed/-ing: caresses → caress, ponies → poni, agreed → agree, hopping → hop. */
  private step1(): void {
    if (this.b[this.k] === 's') {
      if (this.endsWith('sses')) this.k -= 2;
      else if (this.endsWith('ies')) this.setTo('i');
      else if (this.b[this.k - 1] !== 's') this.k--;
    }
    if (this.endsWith('eed')) {
      if (this.measure() > 0) this.k--;
    } else if ((this.endsWith('ed') || this.endsWith('ing')) && this.stemHasVowel()) {
      this.k = this.j;
      if (this.endsWith('at')) this.setTo('ate');
      else if (this.endsWith('bl')) this.setTo('ble');
      else if (this.endsWith('iz')) this.setTo('ize');
      else if (this.isDoubleConsonant(this.k)) {
        const c = this.b[this.k];
        if (c !== 'l' && c !== 's' && c !== 'z') this.k--;
      } else if (this.measure() === 1 && this.isCvc(this.k)) this.setTo('e');
    }
  }

  /** Terminal y → i when the stem has a vowel. */
  private step2(): void {
    if (this.endsWith('y') && this.stemHasVowel()) this.b[this.k] = 'i';
  }

  /** Double suffixes to single ones (-ization → -ize, ...), when the stem has m > 0. */
  private step3(): void {
    if (this.k === 0) return;
    const pairs = STEP3_RULES[this.b[this.k - 1]!];
    if (pairs) this.applyFirst(pairs);
  }

  /** -ic-, -full, -ness, ... when the stem has m > 0. */
  private step4(): void {
    const pairs = STEP4_RULES[this.b[this.k]!];
    if (pairs) this.applyFirst(pairs);
  }

  private applyFirst(rules: readonly (readonly [string, string])[]): void {
    for (const [suffix, replacement] of rules) {
      if (this.endsWith(suffix)) {
        this.replaceIfMeasured(replacement);
        return;
      }
    }
  }

  /** Drops -ant, -ence, ... when the stem has m > 1. */
  private step5(): void {
    if (this.k === 0) return;
    const suffixes = STEP5_SUFFIXES[this.b[this.k - 1]!];
    if (!suffixes) return;
    let found = false;
    for (const suffix of suffixes) {
      if (!this.endsWith(suffix)) continue;
      // -ion is removed only after s or t.
      if (suffix === 'ion' && !(this.j >= 0 && (this.b[this.j] === 's' || this.b[this.j] === 't'))) continue;
      found = true;
      break;
    }
    if (found && this.measure() > 1) this.k = this.j;
  }

  /** Final -e when m > 1 (or m = 1 and not cvc), and -ll → -l when m > 1. */
  private step6(): void {
    this.j = this.k;
    if (this.b[this.k] === 'e') {
      const m = this.measure();
      if (m > 1 || (m === 1 && !this.isCvc(this.k - 1))) this.k--;
    }
    if (this.b[this.k] === 'l' && this.isDoubleConsonant(this.k) && this.measure() > 1) this.k--;
  }
}

/** Keyed by the penultimate character, tried in order; the first suffix that matches decides. */
const STEP3_RULES: Readonly<Record<string, readonly (readonly [string, string])[]>> = {
  a: [['ational', 'ate'], ['tional', 'tion']],
  c: [['enci', 'ence'], ['anci', 'ance']],
  e: [['izer', 'ize']],
  l: [['bli', 'ble'], ['alli', 'al'], ['entli', 'ent'], ['eli', 'e'], ['ousli', 'ous']],
  o: [['ization', 'ize'], ['ation', 'ate'], ['ator', 'ate']],
  s: [['alism', 'al'], ['iveness', 'ive'], ['fulness', 'ful'], ['ousness', 'ous']],
  t: [['aliti', 'al'], ['iviti', 'ive'], ['biliti', 'ble']],
  g: [['logi', 'log']],
};

/** Keyed by the last character. */
const STEP4_RULES: Readonly<Record<string, readonly (readonly [string, string])[]>> = {
  e: [['icate', 'ic'], ['ative', ''], ['alize', 'al']],
  i: [['iciti', 'ic']],
  l: [['ical', 'ic'], ['ful', '']],
  s: [['ness', '']],
};

/** Keyed by the penultimate character. */
const STEP5_SUFFIXES: Readonly<Record<string, readonly string[]>> = {
  a: ['al'],
  c: ['ance', 'ence'],
  e: ['er'],
  i: ['ic'],
  l: ['able', 'ible'],
  n: ['ant', 'ement', 'ment', 'ent'],
  o: ['ion', 'ou'],
  s: ['ism'],
  t: ['ate', 'iti'],
  u: ['ous'],
  v: ['ive'],
  z: ['ize'],
};
