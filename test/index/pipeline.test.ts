import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCorpus, readQueries, type CorpusRecord } from '../../src/corpus/index.js';
import { Encoder } from '../../src/encoder/encoder.js';
import { parseTrecRun } from '../../src/eval/run.js';
import { writeTrecRun } from '../../src/results/trec-run.js';
import { compareBytes, trecOrder } from '../../src/eval/trec-order.js';
import { exactInnerProduct } from '../../src/index/engines/exact-score.js';
import { Index } from '../../src/index/dense-index.js';
import { mergeSlices } from '../../src/index/build/merge.js';
import { readManifest } from '../../src/index/formats/manifest.js';
import { VectorStore } from '../../src/index/formats/vector-store.js';

// End to end on SciFact (5,183 passages, 300 queries) with the tiny golden BERT: build, open, search,
// and check exact search against a brute force over the stored vectors.

const MODEL = 'test/fixtures/goldens/models/bert-tiny';
const CORPUS = 'test/fixtures/data/scifact/corpus.jsonl';
const QUERIES = 'test/fixtures/data/scifact/queries.jsonl';
const K = 100;

let tmp: string;
let encoder: Encoder;

before(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'densekit-pipeline-'));
  // Short inputs keep the 5,183-passage build to a few seconds; the pipeline does not care about length.
  encoder = await Encoder.load(MODEL, { passage: { maxLength: 64 }, query: { maxLength: 32 } });
});
after(async () => {
  await encoder.dispose();
  rmSync(tmp, { recursive: true, force: true });
});

/** Top-k by exact inner product over every stored row, ties by docid descending (trec_eval's order). */
function bruteForce(rows: Float32Array, docids: readonly string[], dim: number, q: Float32Array, k: number) {
  const scored = docids.map((docid, r) => ({ docid, score: exactInnerProduct(q, 0, rows, r * dim, dim) }));
  scored.sort((a, b) => b.score - a.score || compareBytes(b.docid, a.docid));
  return scored.slice(0, k);
}

test('index SciFact, search 300 queries: a valid TREC run equal to brute force', async () => {
  const out = join(tmp, 'scifact');
  const result = await Index.build({ encoder, corpusPath: CORPUS, outDir: out, shardSize: 2000, batchSize: 64 });
  assert.equal(result.totalCount, 5183);
  assert.equal(result.encoded, 5183);
  const manifest = readManifest(out);
  assert.equal(manifest.count, 5183);
  assert.deepEqual(manifest.shards.map((s) => s.count), [2000, 2000, 1183]);
  assert.equal(manifest.dims, encoder.dims);
  assert.deepEqual(manifest.encoder, encoder.settings);
  assert.equal(manifest.model.id, MODEL);

  const queries = await readQueries(QUERIES);
  assert.equal(queries.length, 300);
  const index = await Index.open(out);
  try {
    const hits = await index.search(queries, K);
    // A valid TREC run: 300 queries × K hits, parsed back by the eval module.
    const run = parseTrecRun(writeTrecRun(hits, 'test'));
    assert.equal(run.size, 300);
    for (const [qid, list] of run) {
      assert.equal(list.docids.length, K, `query ${qid}`);
      assert.deepEqual(trecOrder(list), list.docids.map((_, i) => i), `query ${qid} is in trec_eval order`);
    }

    // Brute force from the stored vectors and ids, with queries encoded by a separately loaded encoder.
    const store = VectorStore.open(out, manifest.shards.map((s) => s.vectors.file));
    const rows = store.readRows(0, store.count);
    store.close();
    const docids = manifest.shards.flatMap((s) => readFileSync(join(out, s.docids.file), 'utf8').split('\n').slice(0, -1));
    const corpusIds: string[] = [];
    for await (const r of readCorpus(CORPUS)) corpusIds.push(r.id);
    assert.deepEqual(docids, corpusIds, 'rows are stored in corpus order');
    const qv = await encoder.encodeQueries(queries.map((q) => q.text));
    qv.forEach((q, i) => {
      const expected = bruteForce(rows, docids, manifest.dims, q, K);
      assert.deepEqual(hits[i]!.hits.map((h) => ({ docid: h.docid, score: h.score })), expected, `query ${queries[i]!.id}`);
    });

    // The doc store gives back each hit's passage.
    const first = hits[0]!.hits[0]!;
    const doc = index.document(first.row!);
    const line = readFileSync(CORPUS, 'utf8').split('\n').find((l) => l.includes(`"_id": "${first.docid}"`))!;
    const src = JSON.parse(line) as { title: string; text: string };
    assert.deepEqual(doc, { id: first.docid, title: src.title, text: src.text });
  } finally {
    await index.close();
  }
});

test('f16 and int8 indexes search exactly over their decoded vectors', async () => {
  const records: CorpusRecord[] = [];
  for await (const r of readCorpus(CORPUS)) if (records.push(r) >= 400) break;
  const queries = (await readQueries(QUERIES)).slice(0, 20);
  for (const dtype of ['f16', 'int8'] as const) {
    const out = join(tmp, dtype);
    await Index.build({ encoder, records, outDir: out, dtype, shardSize: 128 });
    const manifest = readManifest(out);
    assert.equal(manifest.dtype, dtype);
    const store = VectorStore.open(out, manifest.shards.map((s) => s.vectors.file));
    const rows = store.readRows(0, store.count);
    store.close();
    const index = await Index.open(out, { encoder });
    try {
      const hits = await index.search(queries, 10);
      const qv = await encoder.encodeQueries(queries.map((q) => q.text));
      qv.forEach((q, i) => {
        const expected = bruteForce(rows, records.map((r) => r.id), manifest.dims, q, 10);
        assert.deepEqual(hits[i]!.hits.map((h) => ({ docid: h.docid, score: h.score })), expected, `${dtype} query ${i}`);
      });
    } finally {
      await index.close();
    }
  }
});

test('cosine similarity: passages and queries are L2-normalised', async () => {
  const cosine = await Encoder.load(MODEL, { passage: { maxLength: 32 }, query: { maxLength: 16 }, similarity: 'cosine' });
  try {
    const records: CorpusRecord[] = [];
    for await (const r of readCorpus(CORPUS)) if (records.push(r) >= 50) break;
    const out = join(tmp, 'cosine');
    await Index.build({ encoder: cosine, records, outDir: out });
    const store = VectorStore.open(out, readManifest(out).shards.map((s) => s.vectors.file));
    const rows = store.readRows(0, store.count);
    store.close();
    for (let r = 0; r < 50; r++) {
      const norm = Math.hypot(...rows.subarray(r * 32, r * 32 + 32));
      assert.ok(Math.abs(norm - 1) < 1e-5, `row ${r} has norm ${norm}`);
    }
    const index = await Index.open(out, { encoder: cosine });
    try {
      const [hits] = await index.search([{ id: 'q', text: records[7]!.title! }], 3);
      for (const h of hits!.hits) assert.ok(h.score <= 1 + 1e-6, `cosine score ${h.score}`);
    } finally {
      await index.close();
    }
  } finally {
    await cosine.dispose();
  }
});

test('bad input: malformed line, --skip-bad, duplicate ids, corrupt and missing shards', async () => {
  const lines = readFileSync(CORPUS, 'utf8').split('\n').slice(0, 30);
  const bad = [...lines.slice(0, 10), '{"_id": "x", "text": ', ...lines.slice(10)];
  const badPath = join(tmp, 'bad.jsonl');
  writeFileSync(badPath, bad.join('\n'));
  await assert.rejects(Index.build({ encoder, corpusPath: badPath, outDir: join(tmp, 'bad') }), new RegExp(`${badPath.replace(/[.]/g, '\\.')}:11: `));

  const skipped = await Index.build({ encoder, corpusPath: badPath, outDir: join(tmp, 'skip'), skipBad: true });
  assert.equal(skipped.manifest.count, 30);
  assert.equal(skipped.skipped.skipped, 1);
  assert.match(skipped.skipped.skippedExamples[0]!, /bad\.jsonl:11:/);

  const dupPath = join(tmp, 'dup.jsonl');
  writeFileSync(dupPath, [...lines.slice(0, 20), lines[4]!].join('\n'));
  const id = (JSON.parse(lines[4]!) as { _id: string })._id;
  await assert.rejects(Index.build({ encoder, corpusPath: dupPath, outDir: join(tmp, 'dup') }), {
    message: `${dupPath}:21: duplicate document id "${id}" (first seen at line 5)`,
  });

  const good = join(tmp, 'good');
  await Index.build({ encoder, corpusPath: badPath, outDir: good, skipBad: true, shardSize: 8 });
  const shard = join(good, 'shard-00001.vec');
  const bytes = readFileSync(shard);
  bytes[100] = bytes[100]! ^ 0xff;
  writeFileSync(shard, bytes);
  await assert.rejects(Index.open(good, { encoder }), /shard-00001\.vec.*(checksum|corrupt)/);
  rmSync(shard);
  await assert.rejects(Index.open(good, { encoder }), /shard-00001\.vec.*cannot open|shard-00001\.vec.*missing/);
});

test('hnsw: the graph is in the manifest, searches close to exact, and slices merge into the same bytes', async () => {
  const records: CorpusRecord[] = [];
  for await (const r of readCorpus(CORPUS)) if (records.push(r) >= 600) break;
  const single = join(tmp, 'hnsw-single');
  await Index.build({ encoder, records, outDir: single, index: 'hnsw', shardSize: 100 });
  const manifest = readManifest(single);
  assert.deepEqual(manifest.engine.files.map((f) => f.file), ['hnsw.usearch', 'hnsw.usearch.json']);
  assert.deepEqual(manifest.engine.params, { M: 16, efConstruction: 128 });

  const slices = [0, 1].map((i) => join(tmp, `hnsw-slice-${i}`));
  for (const [i, dir] of slices.entries()) await Index.build({ encoder, records, outDir: dir, index: 'hnsw', shardSize: 100, shard: { i, n: 2 } });
  assert.deepEqual(readManifest(slices[0]!).engine.files, [], 'slices carry no graph; merge builds it');
  const merged = join(tmp, 'hnsw-merged');
  await mergeSlices({ outDir: merged, sliceDirs: slices });
  for (const name of readdirSync(single)) assert.ok(readFileSync(join(single, name)).equals(readFileSync(join(merged, name))), `${name} differs`);
  assert.deepEqual(readdirSync(merged).sort(), readdirSync(single).sort());

  // Queries near stored passages: inner-product HNSW over an untrained model's vectors serves those
  // well, while the random model's query vectors fall far off the passage manifold (recall ~0.75 there).
  const store = VectorStore.open(single, manifest.shards.map((s) => s.vectors.file));
  const rows = store.readRows(0, store.count);
  store.close();
  const qids = Array.from({ length: 30 }, (_, i) => String(i));
  const qv = qids.map((_, i) => rows.slice(i * 20 * manifest.dims, (i * 20 + 1) * manifest.dims).map((v, j) => v + 0.1 * Math.sin(i + j)));
  const approx = await Index.open(single, { encoder });
  const exact = await Index.open(single, { encoder, exact: true });
  try {
    const a = await approx.searchVectors(qids, qv, 10);
    const e = await exact.searchVectors(qids, qv, 10);
    let found = 0;
    a.forEach((q, i) => {
      const want = new Set(e[i]!.hits.map((h) => h.docid));
      found += q.hits.filter((h) => want.has(h.docid)).length;
    });
    assert.ok(found / 300 >= 0.95, `HNSW recall@10 ${found / 300}`);
  } finally {
    await approx.close();
    await exact.close();
  }
});
