/**
 * Compiles a Python `re` pattern (Python 3.11 syntax, as DPR's regex_match compiles it with
 * IGNORECASE | UNICODE | MULTILINE) into an equivalent JS RegExp.
 *
 * Written by hand because no npm library translates Python regex syntax: the two dialects differ
 * in what is an error (Python rejects `\e`, `\8` without that group, variable-width lookbehind,
 * `a**`; JS without the `u` flag accepts all of them) and in meaning (Python's `\w`, `\d`, `\s`,
 * `\b` are Unicode-aware on str patterns, `$` also matches before a final newline, `{` that does
 * not form a quantifier is a literal). This is a port of CPython 3.11's re/_parser.py checks, so
 * a pattern compiles here exactly when it compiles in Python; the emitted JS uses the `v` flag
 * and spells every non-alphanumeric literal as `\u{…}` so nothing is left to JS's own escaping.
 *
 * Not translated (they throw UnsupportedPythonRegexError, never a silent mismatch): conditional
 * groups `(?(1)a|b)`, `\N{NAME}`, and scoped flags `(?-i:…)`, `(?a:…)`, `(?t)`. Known residual
 * difference: a backreference to a group that did not participate matches empty in JS but fails
 * in Python.
 */

/** The pattern does not compile in Python (re.error, or ValueError/OverflowError from re.compile). */
export class PythonRegexError extends Error {}

/** The pattern is valid Python but uses a feature this translator does not reproduce. */
export class UnsupportedPythonRegexError extends Error {}

type Category = 'd' | 'D' | 's' | 'S' | 'w' | 'W';
type ClassItem = { t: 'lit'; cp: number } | { t: 'range'; lo: number; hi: number } | { t: 'cat'; cat: Category };
type Anchor = 'bol' | 'eol' | 'bos' | 'eos' | 'boundary' | 'nonboundary';
type Node =
  | { t: 'lit'; cp: number }
  | { t: 'class'; negate: boolean; items: ClassItem[] }
  | { t: 'any'; dotall: boolean }
  | { t: 'at'; anchor: Anchor; multiline: boolean }
  | { t: 'group'; index: number | null; body: Alternation }
  | { t: 'atomic'; body: Alternation }
  | { t: 'assert'; behind: boolean; negate: boolean; body: Alternation }
  | { t: 'repeat'; min: number; max: number; mode: 'greedy' | 'lazy' | 'possessive'; item: Node }
  | { t: 'backref'; group: number };
type Sequence = Node[];
type Alternation = Sequence[];

interface Flags {
  readonly multiline: boolean;
  readonly dotall: boolean;
  readonly verbose: boolean;
}

const MAXREPEAT = 4294967295;
const MAXGROUPS = 1073741823; // CPython's _sre.MAXGROUPS (INT32_MAX / 2)
const SPECIAL = new Set('.\\[{()*+?^$|');
const WHITESPACE = new Set(' \t\n\r\v\f');
const DIGITS = /^[0-9]$/;
const OCT = /^[0-7]$/;
const HEX = /^[0-9a-fA-F]$/;
const ASCII_LETTER = /^[A-Za-z]$/;
const FLAG_CHARS = new Set('iLmsxatu');
const SIMPLE_ESCAPES: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 92 };

/** Python's re tokenizer: one code point, or a backslash with the code point after it. */
class Tokens {
  private readonly cps: string[];
  private index = 0;
  next: string | null = null;

  constructor(pattern: string) {
    this.cps = Array.from(pattern);
    this.advance();
  }

  private advance(): void {
    let i = this.index;
    if (i >= this.cps.length) {
      this.next = null;
      return;
    }
    let ch = this.cps[i]!;
    if (ch === '\\') {
      i++;
      if (i >= this.cps.length) throw new PythonRegexError('bad escape (end of pattern)');
      ch += this.cps[i]!;
    }
    this.index = i + 1;
    this.next = ch;
  }

  match(ch: string): boolean {
    if (this.next === ch) {
      this.advance();
      return true;
    }
    return false;
  }

  get(): string | null {
    const t = this.next;
    this.advance();
    return t;
  }

  getWhile(n: number, allowed: RegExp): string {
    let out = '';
    for (let i = 0; i < n; i++) {
      const c = this.next;
      if (c === null || !allowed.test(c)) break;
      out += c;
      this.advance();
    }
    return out;
  }

  getUntil(terminator: string, name: string): string {
    let out = '';
    for (;;) {
      const c = this.next;
      this.advance();
      if (c === null) throw new PythonRegexError(out ? `missing ${terminator}, unterminated name` : `missing ${name}`);
      if (c === terminator) {
        if (!out) throw new PythonRegexError(`missing ${name}`);
        return out;
      }
      out += c;
    }
  }

  tell(): number {
    return this.index - (this.next === null ? 0 : Array.from(this.next).length);
  }

  seek(index: number): void {
    this.index = index;
    this.advance();
  }
}

type Width = [number, number];

class ParseState {
  globalMultiline = true; // DPR compiles with re.MULTILINE
  globalDotall = false;
  globalVerbose = false;
  /** Width of each closed group (index 0 unused); undefined while the group is open. */
  readonly groupWidths: (Width | undefined)[] = [[0, 0]];
  readonly groupNames = new Map<string, number>();
  lookbehindGroups: number | null = null;

  get groups(): number {
    return this.groupWidths.length;
  }

  openGroup(name: string | null): number {
    const gid = this.groups;
    this.groupWidths.push(undefined);
    if (this.groups > MAXGROUPS) throw new PythonRegexError('too many groups');
    if (name !== null) {
      if (this.groupNames.has(name)) throw new PythonRegexError(`redefinition of group name ${name}`);
      this.groupNames.set(name, gid);
    }
    return gid;
  }

  checkGroup(gid: number): boolean {
    return gid < this.groups && this.groupWidths[gid] !== undefined;
  }

  checkLookbehindGroup(gid: number): void {
    if (this.lookbehindGroups !== null) {
      if (!this.checkGroup(gid)) throw new PythonRegexError('cannot refer to an open group');
      if (gid >= this.lookbehindGroups) throw new PythonRegexError('cannot refer to group defined in the same lookbehind subpattern');
    }
  }
}

const ID_START = /^[\p{ID_Start}_]$/u;
const ID_CONTINUE = /^[\p{ID_Continue}]$/u;
function isIdentifier(name: string): boolean {
  const cps = Array.from(name);
  return cps.length > 0 && ID_START.test(cps[0]!) && cps.slice(1).every((c) => ID_CONTINUE.test(c));
}

function cpOf(ch: string): number {
  return ch.codePointAt(0)!;
}

/** Python's _class_escape: an escape inside [...]. */
function classEscape(src: Tokens, escape: string): ClassItem {
  const c = escape.slice(1);
  if (c in SIMPLE_ESCAPES) return { t: 'lit', cp: SIMPLE_ESCAPES[c]! };
  if ('dDsSwW'.includes(c) && c.length === 1) return { t: 'cat', cat: c as Category };
  return { t: 'lit', cp: numericEscape(src, escape, true) };
}

/** \x, \u, \U, \N, octal and identity escapes (shared by both escape contexts). */
function numericEscape(src: Tokens, escape: string, inClass: boolean): number {
  const c = escape.slice(1);
  if (c === 'x') {
    const digits = src.getWhile(2, HEX);
    if (digits.length !== 2) throw new PythonRegexError(`incomplete escape \\x${digits}`);
    return parseInt(digits, 16);
  }
  if (c === 'u') {
    const digits = src.getWhile(4, HEX);
    if (digits.length !== 4) throw new PythonRegexError(`incomplete escape \\u${digits}`);
    return parseInt(digits, 16);
  }
  if (c === 'U') {
    const digits = src.getWhile(8, HEX);
    if (digits.length !== 8) throw new PythonRegexError(`incomplete escape \\U${digits}`);
    const cp = parseInt(digits, 16);
    if (cp > 0x10ffff) throw new PythonRegexError(`bad escape \\U${digits}`);
    return cp;
  }
  if (c === 'N') {
    if (!src.match('{')) throw new PythonRegexError('missing {');
    const name = src.getUntil('}', 'character name');
    throw new UnsupportedPythonRegexError(`named character escapes (\\N{${name}}) are not supported`);
  }
  if (inClass && OCT.test(c)) {
    const digits = c + src.getWhile(2, OCT);
    const cp = parseInt(digits, 8);
    if (cp > 0o377) throw new PythonRegexError(`octal escape value \\${digits} outside of range 0-0o377`);
    return cp;
  }
  if (DIGITS.test(c)) throw new PythonRegexError(`bad escape ${escape}`);
  if (ASCII_LETTER.test(c)) throw new PythonRegexError(`bad escape ${escape}`);
  return cpOf(c);
}

/** Python's _escape: an escape outside [...]. */
function escapeNode(src: Tokens, escape: string, state: ParseState, flags: Flags): Node {
  const c = escape.slice(1);
  switch (c) {
    case 'A': return { t: 'at', anchor: 'bos', multiline: flags.multiline };
    case 'Z': return { t: 'at', anchor: 'eos', multiline: flags.multiline };
    case 'b': return { t: 'at', anchor: 'boundary', multiline: flags.multiline };
    case 'B': return { t: 'at', anchor: 'nonboundary', multiline: flags.multiline };
    case 'd': case 'D': case 's': case 'S': case 'w': case 'W':
      return { t: 'class', negate: false, items: [{ t: 'cat', cat: c }] };
  }
  if (c in SIMPLE_ESCAPES) return { t: 'lit', cp: SIMPLE_ESCAPES[c]! };
  if (c === '0') return { t: 'lit', cp: parseInt(c + src.getWhile(2, OCT), 8) };
  if (DIGITS.test(c)) {
    let digits = c;
    if (src.next !== null && DIGITS.test(src.next)) {
      digits += src.get()!;
      if (OCT.test(digits[0]!) && OCT.test(digits[1]!) && src.next !== null && OCT.test(src.next)) {
        digits += src.get()!;
        const cp = parseInt(digits, 8);
        if (cp > 0o377) throw new PythonRegexError(`octal escape value \\${digits} outside of range 0-0o377`);
        return { t: 'lit', cp };
      }
    }
    const group = Number(digits);
    if (group < state.groups) {
      if (!state.checkGroup(group)) throw new PythonRegexError('cannot refer to an open group');
      state.checkLookbehindGroup(group);
      return { t: 'backref', group };
    }
    throw new PythonRegexError(`invalid group reference ${group}`);
  }
  return { t: 'lit', cp: numericEscape(src, escape, false) };
}

function parseAlternation(src: Tokens, state: ParseState, flags: Flags, nested: number): Alternation {
  const items: Alternation = [];
  for (;;) {
    items.push(parseSequence(src, state, flags, nested + 1, nested === 0 && items.length === 0));
    if (!src.match('|')) break;
    // Global flags (only legal at the very start) govern the remaining top-level alternatives.
    if (nested === 0) flags = { multiline: state.globalMultiline, dotall: state.globalDotall, verbose: state.globalVerbose };
  }
  return items;
}

function parseFlags(src: Tokens, state: ParseState, first: string): { add: Set<string>; del: Set<string> } | null {
  const add = new Set<string>();
  const del = new Set<string>();
  let ch: string | null = first;
  if (ch !== '-') {
    for (;;) {
      if (ch === 'L') throw new PythonRegexError("bad inline flags: cannot use 'L' flag with a str pattern");
      add.add(ch!);
      if (['a', 'u'].filter((f) => add.has(f)).length > 1) throw new PythonRegexError("bad inline flags: flags 'a', 'u' and 'L' are incompatible");
      ch = src.get();
      if (ch === null) throw new PythonRegexError('missing -, : or )');
      if (')-:'.includes(ch)) break;
      if (!FLAG_CHARS.has(ch)) throw new PythonRegexError(/\p{L}/u.test(ch) ? 'unknown flag' : 'missing -, : or )');
    }
  }
  if (ch === ')') {
    if (add.has('a')) throw new PythonRegexError('ASCII and UNICODE flags are incompatible'); // DPR passes re.UNICODE
    if (add.has('t')) throw new UnsupportedPythonRegexError('the (?t) template flag is not supported');
    if (add.has('m')) state.globalMultiline = true;
    if (add.has('s')) state.globalDotall = true;
    if (add.has('x')) state.globalVerbose = true;
    return null;
  }
  if (add.has('t')) throw new PythonRegexError('bad inline flags: cannot turn on global flag');
  if (ch === '-') {
    ch = src.get();
    if (ch === null) throw new PythonRegexError('missing flag');
    if (!FLAG_CHARS.has(ch)) throw new PythonRegexError(/\p{L}/u.test(ch) ? 'unknown flag' : 'missing flag');
    for (;;) {
      if ('auL'.includes(ch!)) throw new PythonRegexError("bad inline flags: cannot turn off flags 'a', 'u' and 'L'");
      del.add(ch!);
      ch = src.get();
      if (ch === null) throw new PythonRegexError('missing :');
      if (ch === ':') break;
      if (!FLAG_CHARS.has(ch)) throw new PythonRegexError(/\p{L}/u.test(ch) ? 'unknown flag' : 'missing :');
    }
  }
  if (del.has('t')) throw new PythonRegexError('bad inline flags: cannot turn off global flag');
  for (const f of add) if (del.has(f)) throw new PythonRegexError('bad inline flags: flag turned on and off');
  return { add, del };
}

function parseClass(src: Tokens): Node {
  const items: ClassItem[] = [];
  const negate = src.match('^');
  for (;;) {
    const tok = src.get();
    if (tok === null) throw new PythonRegexError('unterminated character set');
    if (tok === ']' && items.length > 0) break;
    const code1: ClassItem = tok[0] === '\\' && tok.length > 1 ? classEscape(src, tok) : { t: 'lit', cp: cpOf(tok) };
    if (src.match('-')) {
      const that = src.get();
      if (that === null) throw new PythonRegexError('unterminated character set');
      if (that === ']') {
        items.push(code1, { t: 'lit', cp: 45 });
        break;
      }
      const code2: ClassItem = that[0] === '\\' && that.length > 1 ? classEscape(src, that) : { t: 'lit', cp: cpOf(that) };
      if (code1.t !== 'lit' || code2.t !== 'lit' || code2.cp < code1.cp) throw new PythonRegexError(`bad character range ${tok}-${that}`);
      items.push({ t: 'range', lo: code1.cp, hi: code2.cp });
    } else {
      items.push(code1);
    }
  }
  return { t: 'class', negate, items };
}

function parseSequence(src: Tokens, state: ParseState, flags: Flags, nested: number, first: boolean): Sequence {
  const seq: Sequence = [];
  let verbose = flags.verbose;
  for (;;) {
    const tok = src.next;
    if (tok === null || tok === '|' || tok === ')') break;
    src.get();
    if (verbose) {
      if (WHITESPACE.has(tok)) continue;
      if (tok === '#') {
        for (;;) {
          const c = src.get();
          if (c === null || c === '\n') break;
        }
        continue;
      }
    }
    if (tok[0] === '\\' && tok.length > 1) {
      seq.push(escapeNode(src, tok, state, flags));
    } else if (!SPECIAL.has(tok)) {
      seq.push({ t: 'lit', cp: cpOf(tok) });
    } else if (tok === '[') {
      seq.push(parseClass(src));
    } else if ('*+?{'.includes(tok)) {
      const here = src.tell();
      let min: number, max: number;
      if (tok === '?') [min, max] = [0, 1];
      else if (tok === '*') [min, max] = [0, MAXREPEAT];
      else if (tok === '+') [min, max] = [1, MAXREPEAT];
      else {
        if (src.next === '}') {
          seq.push({ t: 'lit', cp: 123 });
          continue;
        }
        let lo = '';
        let hi = '';
        while (src.next !== null && DIGITS.test(src.next)) lo += src.get();
        if (src.match(',')) {
          while (src.next !== null && DIGITS.test(src.next)) hi += src.get();
        } else hi = lo;
        if (!src.match('}')) {
          seq.push({ t: 'lit', cp: 123 });
          src.seek(here);
          continue;
        }
        min = 0;
        max = MAXREPEAT;
        if (lo) {
          min = Number(lo);
          if (min >= MAXREPEAT) throw new PythonRegexError('the repetition number is too large');
        }
        if (hi) {
          max = Number(hi);
          if (max >= MAXREPEAT) throw new PythonRegexError('the repetition number is too large');
          if (max < min) throw new PythonRegexError('min repeat greater than max repeat');
        }
      }
      const item = seq[seq.length - 1];
      if (!item || item.t === 'at') throw new PythonRegexError('nothing to repeat');
      if (item.t === 'repeat') throw new PythonRegexError('multiple repeat');
      const mode = src.match('?') ? 'lazy' : src.match('+') ? 'possessive' : 'greedy';
      seq[seq.length - 1] = { t: 'repeat', min, max, mode, item };
    } else if (tok === '.') {
      seq.push({ t: 'any', dotall: flags.dotall });
    } else if (tok === '(') {
      let capture = true;
      let atomic = false;
      let name: string | null = null;
      let inner: Flags = { ...flags, verbose };
      if (src.match('?')) {
        const ch = src.get();
        if (ch === null) throw new PythonRegexError('unexpected end of pattern');
        if (ch === 'P') {
          if (src.match('<')) {
            name = src.getUntil('>', 'group name');
            if (!isIdentifier(name)) throw new PythonRegexError(`bad character in group name ${name}`);
          } else if (src.match('=')) {
            const ref = src.getUntil(')', 'group name');
            if (!isIdentifier(ref)) throw new PythonRegexError(`bad character in group name ${ref}`);
            const gid = state.groupNames.get(ref);
            if (gid === undefined) throw new PythonRegexError(`unknown group name ${ref}`);
            if (!state.checkGroup(gid)) throw new PythonRegexError('cannot refer to an open group');
            state.checkLookbehindGroup(gid);
            seq.push({ t: 'backref', group: gid });
            continue;
          } else {
            const c2 = src.get();
            if (c2 === null) throw new PythonRegexError('unexpected end of pattern');
            throw new PythonRegexError(`unknown extension ?P${c2}`);
          }
        } else if (ch === ':') {
          capture = false;
        } else if (ch === '#') {
          for (;;) {
            if (src.next === null) throw new PythonRegexError('missing ), unterminated comment');
            if (src.get() === ')') break;
          }
          continue;
        } else if (ch === '=' || ch === '!' || ch === '<') {
          let kind = ch;
          let behind = false;
          let outerLookbehind: number | null = null;
          if (ch === '<') {
            const c2 = src.get();
            if (c2 === null) throw new PythonRegexError('unexpected end of pattern');
            if (c2 !== '=' && c2 !== '!') throw new PythonRegexError(`unknown extension ?<${c2}`);
            kind = c2;
            behind = true;
            outerLookbehind = state.lookbehindGroups;
            if (outerLookbehind === null) state.lookbehindGroups = state.groups;
          }
          const body = parseAlternation(src, state, { ...flags, verbose }, nested + 1);
          if (behind && outerLookbehind === null) state.lookbehindGroups = null;
          if (!src.match(')')) throw new PythonRegexError('missing ), unterminated subpattern');
          seq.push({ t: 'assert', behind, negate: kind === '!', body });
          continue;
        } else if (ch === '(') {
          throw new UnsupportedPythonRegexError('conditional groups (?(id)yes|no) are not supported');
        } else if (ch === '>') {
          capture = false;
          atomic = true;
        } else if (FLAG_CHARS.has(ch) || ch === '-') {
          const parsed = parseFlags(src, state, ch);
          if (parsed === null) {
            if (!first || seq.length > 0) throw new PythonRegexError('global flags not at the start of the expression');
            verbose = state.globalVerbose;
            flags = { multiline: state.globalMultiline, dotall: state.globalDotall, verbose };
            continue;
          }
          if (parsed.del.has('i') || parsed.add.has('a')) throw new UnsupportedPythonRegexError('scoped flags (?-i:...) and (?a:...) are not supported');
          inner = {
            multiline: parsed.add.has('m') ? true : parsed.del.has('m') ? false : flags.multiline,
            dotall: parsed.add.has('s') ? true : parsed.del.has('s') ? false : flags.dotall,
            verbose: parsed.add.has('x') ? true : parsed.del.has('x') ? false : verbose,
          };
          capture = false;
        } else {
          throw new PythonRegexError(`unknown extension ?${ch}`);
        }
      }
      const group = capture ? state.openGroup(name) : null;
      const body = parseAlternation(src, state, inner, nested + 1);
      if (!src.match(')')) throw new PythonRegexError('missing ), unterminated subpattern');
      if (group !== null) state.groupWidths[group] = alternationWidth(body, state);
      seq.push(atomic ? { t: 'atomic', body } : { t: 'group', index: group, body });
    } else if (tok === '^') {
      seq.push({ t: 'at', anchor: 'bol', multiline: flags.multiline });
    } else if (tok === '$') {
      seq.push({ t: 'at', anchor: 'eol', multiline: flags.multiline });
    }
  }
  return seq;
}

const MAXWIDTH = Number.POSITIVE_INFINITY;

function nodeWidth(node: Node, state: ParseState): Width {
  switch (node.t) {
    case 'lit': case 'class': case 'any': return [1, 1];
    case 'at': case 'assert': return [0, 0];
    case 'group': case 'atomic': return alternationWidth(node.body, state);
    case 'backref': return state.groupWidths[node.group] ?? [0, 0];
    case 'repeat': {
      const [lo, hi] = nodeWidth(node.item, state);
      return [lo * node.min, node.max === MAXREPEAT && hi ? MAXWIDTH : hi * node.max];
    }
  }
}

function alternationWidth(alt: Alternation, state: ParseState): Width {
  if (alt.length === 1) {
    let lo = 0;
    let hi = 0;
    for (const n of alt[0]!) {
      const [l, h] = nodeWidth(n, state);
      lo += l;
      hi += h;
    }
    return [lo, hi];
  }
  let lo = MAXWIDTH;
  let hi = 0;
  for (const seq of alt) {
    const [l, h] = alternationWidth([seq], state);
    lo = Math.min(lo, l);
    hi = Math.max(hi, h);
  }
  return [lo, hi];
}

/** Python's compile step rejects variable-width lookbehind. */
function checkLookbehinds(alt: Alternation, state: ParseState): void {
  const visit = (n: Node): void => {
    switch (n.t) {
      case 'assert':
        if (n.behind) {
          const [lo, hi] = alternationWidth(n.body, state);
          if (lo !== hi) throw new PythonRegexError('look-behind requires fixed-width pattern');
        }
        checkLookbehinds(n.body, state);
        break;
      case 'group': case 'atomic': checkLookbehinds(n.body, state); break;
      case 'repeat': visit(n.item); break;
      default: break;
    }
  };
  for (const seq of alt) for (const n of seq) visit(n);
}

// Python's str-pattern categories (Unicode): \w is str.isalnum() or '_' (letters and numbers, not
// marks), \d is Nd, \s is str.isspace().
const WORD = '\\p{L}\\p{N}_';
const DIGIT = '\\p{Nd}';
const SPACE = '\\t-\\r\\u{1c}-\\u{20}\\u{85}\\u{a0}\\u{1680}\\u{2000}-\\u{200a}\\u{2028}\\u{2029}\\u{202f}\\u{205f}\\u{3000}';

function literal(cp: number): string {
  return (cp >= 48 && cp <= 57) || (cp >= 65 && cp <= 90) || (cp >= 97 && cp <= 122) ? String.fromCodePoint(cp) : `\\u{${cp.toString(16)}}`;
}

function classItem(item: ClassItem): string {
  switch (item.t) {
    case 'lit': return literal(item.cp);
    case 'range': return `${literal(item.lo)}-${literal(item.hi)}`;
    case 'cat':
      switch (item.cat) {
        case 'w': return `[${WORD}]`;
        case 'W': return `[^${WORD}]`;
        case 'd': return `[${DIGIT}]`;
        case 'D': return `[^${DIGIT}]`;
        case 's': return `[${SPACE}]`;
        case 'S': return `[^${SPACE}]`;
      }
  }
}

class Emitter {
  /** JS capture number of each Python group (atomic emulation adds JS-only groups). */
  private readonly jsGroup = new Map<number, number>();
  private jsGroups = 0;

  alternation(alt: Alternation): string {
    return alt.map((seq) => seq.map((n) => this.node(n)).join('')).join('|');
  }

  node(n: Node): string {
    switch (n.t) {
      case 'lit': return literal(n.cp);
      case 'class': return `[${n.negate ? '^' : ''}${n.items.map(classItem).join('')}]`;
      case 'any': return n.dotall ? '[\\s\\S]' : '[^\\n]';
      case 'at': return anchor(n.anchor, n.multiline);
      case 'backref': return `(?:\\${this.jsGroup.get(n.group)!})`;
      case 'assert': return `(?${n.behind ? '<' : ''}${n.negate ? '!' : '='}${this.alternation(n.body)})`;
      case 'group': {
        if (n.index === null) return `(?:${this.alternation(n.body)})`;
        this.jsGroup.set(n.index, ++this.jsGroups);
        return `(${this.alternation(n.body)})`;
      }
      case 'atomic': {
        const group = ++this.jsGroups;
        return atomicGroup(group, this.alternation(n.body));
      }
      case 'repeat': {
        const max = n.max === MAXREPEAT ? '' : String(n.max);
        const quant = n.min === 0 && max === '' ? '*' : n.min === 1 && max === '' ? '+' : `{${n.min},${max}}`;
        if (n.mode === 'possessive') {
          const group = ++this.jsGroups;
          return atomicGroup(group, `(?:${this.node(n.item)})${quant}`);
        }
        return `(?:${this.node(n.item)})${quant}${n.mode === 'lazy' ? '?' : ''}`;
      }
    }
  }

}

/**
 * JS has no atomic groups: a lookahead captures what the body matches, then a backreference
 * consumes exactly that, so backtracking cannot re-enter the body.
 */
function atomicGroup(group: number, inner: string): string {
  return `(?:(?=(${inner}))\\${group})`;
}

function anchor(a: Anchor, multiline: boolean): string {
  const word = `[${WORD}]`;
  switch (a) {
    case 'bos': return '(?<![\\s\\S])';
    case 'eos': return '(?![\\s\\S])';
    case 'bol': return multiline ? '(?<![^\\n])' : '(?<![\\s\\S])';
    case 'eol': return multiline ? '(?![^\\n])' : '(?=\\n?(?![\\s\\S]))';
    case 'boundary': return `(?:(?<=${word})(?!${word})|(?<!${word})(?=${word}))`;
    // sre never finds \B in an empty string.
    case 'nonboundary': return `(?:(?<=${word})(?=${word})|(?<!${word})(?!${word})(?:(?<=[\\s\\S])|(?=[\\s\\S])))`;
  }
}

/**
 * Compiles `pattern` as Python's `re.compile(pattern, re.IGNORECASE | re.UNICODE | re.MULTILINE)`
 * would, returning a JS RegExp with the same matches. Throws PythonRegexError when Python would
 * raise, UnsupportedPythonRegexError for the few valid features not translated.
 */
export function compilePythonRegex(pattern: string): RegExp {
  const src = new Tokens(pattern);
  const state = new ParseState();
  const alt = parseAlternation(src, state, { multiline: true, dotall: false, verbose: false }, 0);
  if (src.next !== null) throw new PythonRegexError('unbalanced parenthesis');
  checkLookbehinds(alt, state);
  const body = new Emitter().alternation(alt);
  try {
    return new RegExp(body, 'iv');
  } catch (e) {
    throw new Error(`internal error translating Python regex ${JSON.stringify(pattern)} to ${JSON.stringify(body)}: ${(e as Error).message}`);
  }
}
