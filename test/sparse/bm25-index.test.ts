import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { CorpusRecord } from '../../src/corpus/types.js';
import { Bm25Index } from '../../src/sparse/bm25-index.js';

const close = (actual: number, expected: number): void =>
  assert.ok(Math.abs(actual - expected) < 1e-6, `${actual} is not ${expected}`);

// Hand-computed with k1 = 0.9, b = 0.4: score = idf * tf / (tf + k1 * (1 - b + b * dl / avgdl)),
// idf = ln(1 + (N - df + 0.5) / (df + 0.5)).
test('BM25 flat: scores match the formula by hand', async () => {
  const index = await Bm25Index.build(
    [
      { id: 'd1', text: 'apple banana' },
      { id: 'd2', text: 'apples apple cherry' },
      { id: 'd3', text: 'banana' },
    ],
    { fields: 'flat' },
  );
  const [q] = await index.search([{ id: 'q', text: 'Apple' }], 10);
  // N = 3, df = 2, avgdl = 6 / 3 = 2; d1: tf 1, dl 2; d2: tf 2, dl 3.
  const idf = Math.log(1 + 1.5 / 2.5);
  assert.deepEqual(q!.hits.map((h) => h.docid), ['d2', 'd1']);
  close(q!.hits[0]!.score, (idf * 2) / (2 + 0.9 * (0.6 + (0.4 * 3) / 2)));
  close(q!.hits[1]!.score, (idf * 1) / (1 + 0.9 * (0.6 + (0.4 * 2) / 2)));

  // A repeated query term counts twice (Anserini boosts each distinct term by its count).
  const [twice] = await index.search([{ id: 'q', text: 'apple APPLE the' }], 10);
  close(twice!.hits[0]!.score, 2 * q!.hits[0]!.score);
});

test('BM25 multifield: title and text are scored as separate fields and summed', async () => {
  const index = await Bm25Index.build(
    [
      { id: 'a', title: 'apple', text: 'banana' },
      { id: 'b', title: 'banana', text: 'apple apple' },
    ],
    { fields: 'multifield' },
  );
  const ln2 = Math.log(2);
  // contents: avgdl 1.5; title: avgdl 1; each term has df 1 of docCount 2 in each field.
  const contents = (tf: number, dl: number): number => (ln2 * tf) / (tf + 0.9 * (0.6 + (0.4 * dl) / 1.5));
  const title = ln2 / (1 + 0.9);
  const [apple, both] = await index.search(
    [
      { id: 'apple', text: 'apple' },
      { id: 'both', text: 'apple banana' },
    ],
    10,
  );
  assert.deepEqual(apple!.hits.map((h) => h.docid), ['b', 'a']);
  close(apple!.hits[0]!.score, contents(2, 2));
  close(apple!.hits[1]!.score, title);
  assert.deepEqual(both!.hits.map((h) => h.docid), ['b', 'a']);
  close(both!.hits[0]!.score, contents(2, 2) + title);
  close(both!.hits[1]!.score, title + contents(1, 1));
});

test('BM25: ties are ordered by docid descending; k cuts; stop-word-only queries return nothing', async () => {
  async function* records(): AsyncGenerator<CorpusRecord> {
    for (const id of ['x1', 'x3', 'x2']) yield { id, title: 'Same', text: 'same words here' };
    yield { id: 'other', text: 'unrelated' };
  }
  const index = await Bm25Index.build(records(), { fields: 'flat', k1: 1.2, b: 0.75 });
  assert.equal(index.manifest.k1, 1.2);
  const [q, empty] = await index.search(
    [
      { id: 'q', text: 'same' },
      { id: 'e', text: 'the and of' },
    ],
    2,
  );
  assert.deepEqual(q!.hits.map((h) => h.docid), ['x3', 'x2']);
  assert.equal(q!.hits[0]!.score, q!.hits[1]!.score);
  assert.deepEqual(empty!.hits, []);
  await assert.rejects(index.search([{ id: 'q', text: 'same' }], 0), /k must be a positive integer/);
});

test('BM25 build: bad records are refused with the record named', async () => {
  await assert.rejects(Bm25Index.build([{ id: 'a', text: 'x' }, { id: 'a', text: 'y' }], { fields: 'flat' }), /record #2: duplicate id "a"/);
  await assert.rejects(Bm25Index.build([{ id: '', text: 'x' }], { fields: 'flat' }), /record #1: missing or empty "id"/);
  await assert.rejects(Bm25Index.build([{ id: 'a\nb', text: 'x' }], { fields: 'flat' }), /line break/);
  await assert.rejects(Bm25Index.build([{ id: 'a', text: 3 } as unknown as CorpusRecord], { fields: 'flat' }), /"text" must be a string/);
  await assert.rejects(Bm25Index.build([], { fields: 'flat', b: 2 }), /b must be within/);
  await assert.rejects(Bm25Index.build([], { fields: 'both' as 'flat' }), /"flat" or "multifield"/);
});

test('BM25 save/open: same hits after a round trip; a damaged or foreign directory is refused', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'densekit-bm25-unit-'));
  try {
    const index = await Bm25Index.build(
      [
        { id: 'a', title: 'Protein folding', text: 'Proteins fold into structures.' },
        { id: 'b', title: 'Cell biology', text: 'Cells divide; proteins help.' },
      ],
      { fields: 'multifield' },
    );
    await index.save(join(dir, 'idx'));
    const files = (await readdir(join(dir, 'idx'))).sort();
    assert.ok(files.includes('manifest.json') && files.includes('docids.txt') && files.includes('title.terms.txt'));
    assert.ok(!files.some((f) => f.includes('.tmp-')));
    const reopened = await Bm25Index.open(join(dir, 'idx'));
    assert.equal(reopened.fieldMode, 'multifield');
    const queries = [{ id: 'q', text: 'protein structure' }];
    assert.deepEqual(await reopened.search(queries, 5), await index.search(queries, 5));

    assert.equal(await Bm25Index.isBm25Dir(dir), false);
    await writeFile(join(dir, 'manifest.json'), JSON.stringify({ kind: 'dense' }));
    assert.equal(await Bm25Index.isBm25Dir(dir), false);
    await assert.rejects(Bm25Index.open(dir), /not a BM25 index/);

    await truncate(join(dir, 'idx', 'contents.postings.bin'), 4);
    await assert.rejects(Bm25Index.open(join(dir, 'idx')), /contents\.postings\.bin: 4 bytes, expected/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
