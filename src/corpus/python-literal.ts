/**
 * Parses a Python list of string literals, as DPR's QA files write answers: `['a', "b's", 'c\\'d']`.
 * Hand-written because only this narrow subset of Python literal syntax is needed (JSON cannot read
 * single quotes, and evaluating the text would be unsafe).
 */
export function parsePythonStringList(text: string): string[] {
  const s = text.trim();
  let i = 0;
  const fail = (why: string): never => {
    throw new Error(`cannot read the answer list ${JSON.stringify(s.length > 80 ? `${s.slice(0, 80)}…` : s)}: ${why} at character ${i + 1}`);
  };
  const skipSpace = () => {
    while (i < s.length && /\s/.test(s[i]!)) i++;
  };
  if (s[i] !== '[') fail("expected '['");
  i++;
  const out: string[] = [];
  skipSpace();
  if (s[i] === ']') return i === s.length - 1 ? out : fail('unexpected text after the list');
  for (;;) {
    skipSpace();
    const quote = s[i];
    if (quote !== "'" && quote !== '"') fail('expected a quoted string');
    i++;
    let value = '';
    while (i < s.length && s[i] !== quote) {
      if (s[i] === '\\') {
        const next = s[i + 1];
        if (next === undefined) fail('unfinished escape');
        const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"' };
        if (next === 'x' || next === 'u' || next === 'U') {
          const len = next === 'x' ? 2 : next === 'u' ? 4 : 8;
          const hex = s.slice(i + 2, i + 2 + len);
          if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== len) fail(`bad \\${next} escape`);
          value += String.fromCodePoint(parseInt(hex, 16));
          i += 2 + len;
          continue;
        }
        value += simple[next!] ?? `\\${next}`;
        i += 2;
        continue;
      }
      value += s[i];
      i++;
    }
    if (i >= s.length) fail('unterminated string');
    i++;
    out.push(value);
    skipSpace();
    if (s[i] === ',') {
      i++;
      skipSpace();
      if (s[i] === ']') break;
      continue;
    }
    if (s[i] === ']') break;
    fail("expected ',' or ']'");
  }
  if (i !== s.length - 1) fail('unexpected text after the list');
  return out;
}
