import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Tokenizer } from '../../src/tokenizer/tokenizer.js';
import type { TokenizerOptions } from '../../src/tokenizer/tokenizer.js';
import type { TruncationStrategy } from '../../src/tokenizer/types.js';
import { GOLDEN_DIR, loadGoldenCases, readGoldenVocab } from './golden-cases.js';

const cases = loadGoldenCases();

test('every single-text golden: same tokens and ids (with [CLS]/[SEP]) as transformers 3.4.0', async () => {
  const tok = await Tokenizer.fromDir(GOLDEN_DIR);
  assert.equal(cases.single.length, 33);
  for (const c of cases.single) {
    assert.deepEqual(tok.tokenize(c.text), c.tokens, `tokens of ${JSON.stringify(c.text)}`);
    const e = tok.encode(c.text);
    assert.deepEqual(e.ids, c.input_ids, `ids of ${JSON.stringify(c.text)}`);
    assert.deepEqual(e.tokens, ['[CLS]', ...c.tokens, '[SEP]']);
    assert.deepEqual(e.typeIds, new Array(c.input_ids.length).fill(0));
  }
});

test('every pair golden: ids and token types, with and without longest_first truncation', async () => {
  const tok = await Tokenizer.fromDir(GOLDEN_DIR);
  assert.equal(cases.pairs.length, 18);
  for (const c of cases.pairs) {
    const opts = c.max_length === null ? {} : { maxLength: c.max_length, truncation: c.truncation ?? 'longest_first' };
    const e = tok.encode(c.text, c.text_pair, opts);
    const what = `${JSON.stringify(c.text.slice(0, 30))} / max ${c.max_length}`;
    assert.deepEqual(e.ids, c.input_ids, `ids of ${what}`);
    assert.deepEqual(e.typeIds, c.token_type_ids, `types of ${what}`);
    if (c.max_length !== null) assert.ok(e.ids.length <= c.max_length);
  }
});

test('every single_truncated golden (max length includes [CLS]/[SEP])', async () => {
  const tok = await Tokenizer.fromDir(GOLDEN_DIR);
  assert.equal(cases.single_truncated.length, 66);
  for (const c of cases.single_truncated) {
    const e = tok.encode(c.text, undefined, { maxLength: c.max_length });
    assert.deepEqual(e.ids, c.input_ids, `${JSON.stringify(c.text.slice(0, 30))} max ${c.max_length}`);
    assert.equal(e.ids.at(-1), 102, 'truncation keeps the final [SEP]');
  }
});

interface ReferenceCase {
  config: string;
  text: string;
  text_pair?: string;
  max_length?: number;
  truncation?: TruncationStrategy;
  tokens?: string[];
  input_ids: number[];
  token_type_ids?: number[];
}

test('extra transformers 3.4.0 cases: cased / keep-accents configs, final sigma, special tokens inside words, only_first/only_second', () => {
  // Generated with transformers 3.4.0 (see "reference" in the file) for behaviour the shared goldens leave open.
  const ref = JSON.parse(readFileSync('test/tokenizer/reference-cases.json', 'utf8')) as {
    configs: Record<string, { do_lower_case?: boolean; strip_accents?: boolean; tokenize_chinese_chars?: boolean }>;
    cases: ReferenceCase[];
  };
  const vocab = readGoldenVocab();
  const tokenizers = new Map<string, Tokenizer>();
  for (const [name, c] of Object.entries(ref.configs)) {
    const opts: TokenizerOptions = {};
    if (c.do_lower_case !== undefined) opts.doLowerCase = c.do_lower_case;
    if (c.strip_accents !== undefined) opts.stripAccents = c.strip_accents;
    if (c.tokenize_chinese_chars !== undefined) opts.tokenizeChineseChars = c.tokenize_chinese_chars;
    tokenizers.set(name, Tokenizer.fromVocab(vocab, opts));
  }
  assert.ok(ref.cases.length > 100);
  for (const c of ref.cases) {
    const tok = tokenizers.get(c.config)!;
    const what = `${c.config}: ${JSON.stringify(c.text)}`;
    if (c.text_pair === undefined) {
      assert.deepEqual(tok.tokenize(c.text), c.tokens, what);
      assert.deepEqual(tok.encode(c.text).ids, c.input_ids, what);
    } else {
      const e = tok.encode(c.text, c.text_pair, { maxLength: c.max_length!, truncation: c.truncation! });
      assert.deepEqual(e.ids, c.input_ids, `${what} / ${c.text_pair} ${c.truncation} ${c.max_length}`);
      assert.deepEqual(e.typeIds, c.token_type_ids, what);
    }
  }
});
