// A BM25 index directory served the same way: hits with docid and score, no stored text.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Bm25Index } from '../../src/sparse/index.js';
import { startServer, type RunningServer } from '../../src/server/index.js';
import { scifactRecords } from './fixture-index.js';

let root: string;
let index: Bm25Index;
let server: RunningServer;

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'densekit-serve-bm25-'));
  index = await Bm25Index.build(scifactRecords(300), { fields: 'flat' });
  await index.save(join(root, 'bm25'));
  server = await startServer({ indexDir: join(root, 'bm25'), port: 0 });
});

after(async () => {
  await server?.close();
  if (root) rmSync(root, { recursive: true, force: true });
});

test('GET /info describes the BM25 index', async () => {
  const info = (await (await fetch(`${server.url}/info`)).json()) as Record<string, unknown>;
  assert.equal(info.indexType, 'bm25');
  assert.equal(info.count, 300);
  assert.equal(info.storesText, false);
  assert.equal(info.dims, undefined);
  assert.match(info.model as string, /^bm25 \(k1=0\.9, b=0\.4/);
});

test('POST /search answers what the library answers, without text', async () => {
  const query = 'hepatitis C virus RNA detection';
  const res = await fetch(`${server.url}/search`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, k: 5 }) });
  assert.equal(res.status, 200);
  const body = (await res.json()) as { results: { hits: { docid: string; score: number; text?: string }[] }[] };
  const [expected] = await index.search([{ id: 'q', text: query }], 5);
  assert.ok(expected!.hits.length > 0);
  assert.deepEqual(body.results[0]!.hits, expected!.hits.map((h) => ({ docid: h.docid, score: h.score })));
});

test('GET /docs/:id says the index stores no text', async () => {
  const res = await fetch(`${server.url}/docs/4983`);
  assert.equal(res.status, 404);
  assert.equal(((await res.json()) as { code: string }).code, 'NO_STORED_TEXT');
});
