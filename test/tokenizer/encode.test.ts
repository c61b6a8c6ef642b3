import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Tokenizer } from '../../src/tokenizer/tokenizer.js';
import { padBatch } from '../../src/tokenizer/pad-batch.js';
import { readGoldenVocab } from './golden-cases.js';

const tok = Tokenizer.fromVocab(readGoldenVocab(), { modelMaxLength: 512 });

test('pair layout: [CLS] a [SEP] b [SEP], types 0 then 1; an empty pair still counts', () => {
  const e = tok.encode('hello', 'world');
  assert.deepEqual(e.tokens, ['[CLS]', 'hello', '[SEP]', 'world', '[SEP]']);
  assert.deepEqual(e.typeIds, [0, 0, 0, 1, 1]);
  assert.deepEqual(tok.encode('hello', '').tokens, ['[CLS]', 'hello', '[SEP]', '[SEP]']);
});

test('longest_first removes from the longer side one token at a time, from the second side on ties', () => {
  const a = 'a b c d e f';
  const b = 'x y z';
  // 6 + 3 + 3 specials = 12; max 9 removes 3: a 6→5→4 (longer), then tie 4/3? no: 4 > 3 → a 3; result a=3, b=3.
  assert.deepEqual(tok.encode(a, b, { maxLength: 9 }).tokens, ['[CLS]', 'a', 'b', 'c', '[SEP]', 'x', 'y', 'z', '[SEP]']);
  // max 8 removes 4: after a=3 (tie with b=3) the second side loses.
  assert.deepEqual(tok.encode(a, b, { maxLength: 8 }).tokens, ['[CLS]', 'a', 'b', 'c', '[SEP]', 'x', 'y', '[SEP]']);
});

test('only_first / only_second cut one side; impossible cuts throw instead of returning an over-long input', () => {
  assert.deepEqual(tok.encode('a b c d', 'x y', { maxLength: 7, truncation: 'only_first' }).tokens, ['[CLS]', 'a', 'b', '[SEP]', 'x', 'y', '[SEP]']);
  assert.deepEqual(tok.encode('a b', 'w x y z', { maxLength: 7, truncation: 'only_second' }).tokens, ['[CLS]', 'a', 'b', '[SEP]', 'w', 'x', '[SEP]']);
  assert.throws(() => tok.encode('a', 'w x y z', { maxLength: 5, truncation: 'only_first' }), /only_first: the first sequence has 1 tokens/);
  assert.throws(() => tok.encode('a b c', undefined, { maxLength: 3, truncation: 'only_second' }), /only_second needs a text pair/);
  assert.throws(() => tok.encode('a', 'b', { maxLength: 2 }), /maxLength must be an integer of at least 3/);
});

test('no special tokens on request; no truncation without maxLength', () => {
  const e = tok.encode('hello', 'world', { addSpecialTokens: false });
  assert.deepEqual(e.tokens, ['hello', 'world']);
  assert.deepEqual(e.typeIds, [0, 1]);
  assert.equal(tok.encode('word '.repeat(600)).ids.length, 602);
});

test('special-token strings inside text, words over 100 characters, blank text', () => {
  assert.deepEqual(tok.tokenize('foo[SEP]bar [MASK]'), ['foo', '[SEP]', 'bar', '[MASK]']);
  assert.deepEqual(tok.tokenize('[sep]'), ['[', 'sep', ']'], 'special tokens match case-sensitively');
  assert.deepEqual(tok.tokenize('a'.repeat(101)), ['[UNK]']);
  assert.equal(tok.tokenize('a'.repeat(100)).includes('[UNK]'), false);
  assert.deepEqual(tok.encode(' \t\n\u00a0').tokens, ['[CLS]', '[SEP]']);
  assert.deepEqual(tok.tokenize('ΣΑΣ'), ['σ', '##α', '##σ'], 'the reference lowercases one character at a time (no final ς)');
});

test('repeated words hit the cache and give identical results', () => {
  const text = 'Retrieval-augmented generation, retrieval-augmented generation.';
  assert.deepEqual(tok.encode(text), tok.encode(text));
});

test('padBatch right-pads with attention masks; zeroTokenTypes and padId', () => {
  const encs = [tok.encode('hello', 'world'), tok.encode('hi')];
  const b = padBatch(encs);
  assert.equal(b.batchSize, 2);
  assert.equal(b.seqLen, 5);
  assert.deepEqual([...b.inputIds], [101, 7592, 102, 2088, 102, 101, 7632, 102, 0, 0]);
  assert.deepEqual([...b.attentionMask], [1, 1, 1, 1, 1, 1, 1, 1, 0, 0]);
  assert.deepEqual([...b.tokenTypeIds], [0, 0, 0, 1, 1, 0, 0, 0, 0, 0]);
  const z = padBatch(encs, { zeroTokenTypes: true, padId: 7 });
  assert.deepEqual([...z.tokenTypeIds], new Array(10).fill(0));
  assert.deepEqual([...z.inputIds].slice(8), [7, 7]);
  const empty = padBatch([]);
  assert.equal(empty.batchSize, 0);
  assert.equal(empty.inputIds.length, 0);
});
