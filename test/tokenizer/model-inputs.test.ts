import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Tokenizer } from '../../src/tokenizer/tokenizer.js';
import { padBatch } from '../../src/tokenizer/pad-batch.js';
import type { TokenBatch } from '../../src/model/types.js';

const DIR = 'test/fixtures/goldens/models/bert-tiny';

interface BatchJson {
  input_ids: number[][];
  token_type_ids: number[][];
  attention_mask: number[][];
}

function assertBatch(actual: TokenBatch, expected: BatchJson, what: string): void {
  assert.equal(actual.batchSize, expected.input_ids.length, what);
  assert.equal(actual.seqLen, expected.input_ids[0]!.length, what);
  assert.deepEqual([...actual.inputIds], expected.input_ids.flat(), `${what} input_ids`);
  assert.deepEqual([...actual.tokenTypeIds], expected.token_type_ids.flat(), `${what} token_type_ids`);
  assert.deepEqual([...actual.attentionMask], expected.attention_mask.flat(), `${what} attention_mask`);
}

test('bert-tiny model golden: the reference batches (queries, (title, text) pairs, joined passages) from fromDir + padBatch', async () => {
  const expected = JSON.parse(readFileSync(`${DIR}/expected.json`, 'utf8')) as {
    query_max_length: number;
    passage_max_length: number;
    queries: string[];
    passages: [string, string][];
    inputs: { queries: BatchJson; passages: BatchJson; passages_join_256: BatchJson };
  };
  const tok = await Tokenizer.fromDir(DIR);
  const opts = (maxLength: number) => ({ maxLength, truncation: 'longest_first' as const });
  assertBatch(padBatch(expected.queries.map((q) => tok.encode(q, undefined, opts(expected.query_max_length)))), expected.inputs.queries, 'queries');
  assertBatch(
    padBatch(expected.passages.map(([title, text]) => tok.encode(title, text, opts(expected.passage_max_length)))),
    expected.inputs.passages,
    'passages',
  );
  assertBatch(
    padBatch(expected.passages.map(([title, text]) => tok.encode(`${title} ${text}`, undefined, opts(256)))),
    expected.inputs.passages_join_256,
    'passages_join_256',
  );
});
