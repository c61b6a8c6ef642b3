import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Encoder } from '../../src/encoder/encoder.js';

// encodeEncodings sorts by length and cuts batches by count and token budget; the vectors must come
// back in input order and must not depend on how the batches were cut.

const DIR = 'test/fixtures/goldens/models/bert-tiny';
const golden = JSON.parse(readFileSync(`${DIR}/expected.json`, 'utf8')) as { queries: string[]; passages: [string, string][] };

test('vectors are in input order and independent of batch size and token budget', async () => {
  // Mixed lengths, in an order that is not sorted by length, with a duplicate.
  const passages = [...golden.passages.map(([title, text]) => ({ title, text })), ...golden.queries.map((text) => ({ text }))];
  passages.push(passages[0]!);
  const one = await Encoder.load(DIR, { threads: 1, batchSize: 1 });
  const tight = await Encoder.load(DIR, { threads: 1, batchSize: 64, tokenBudget: 40 });
  const wide = await Encoder.load(DIR, { threads: 1, batchSize: 64, tokenBudget: 1 << 20 });
  try {
    const reference = await Promise.all(passages.map(async (p) => (await one.encodePassages([p]))[0]!));
    for (const [name, encoder] of [['tight budget', tight], ['one batch', wide]] as const) {
      const got = await encoder.encodePassages(passages);
      assert.equal(got.length, passages.length);
      got.forEach((v, i) => {
        const worst = Math.max(...v.map((x, j) => Math.abs(x - reference[i]![j]!)));
        assert.ok(worst < 1e-5, `${name}: passage ${i} differs from its single-passage encoding by ${worst}`);
      });
    }
    assert.deepEqual([...(await wide.encodePassages([]))], []);
  } finally {
    await Promise.all([one.dispose(), tight.dispose(), wide.dispose()]);
  }
});
