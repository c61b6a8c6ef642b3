// Every route of the server against a real index (bert-tiny over a SciFact slice) on 127.0.0.1.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { Index } from '../../src/index/dense-index.js';
import { startServer, type RunningServer } from '../../src/server/index.js';
import { buildFixtureIndex, scifactRecords } from './fixture-index.js';

// An extra passage whose id needs URL encoding and whose text looks like markup.
const ODD_DOC = { id: 'odd/id 1', title: 'Markup <b>test</b>', text: 'A passage about <script>alert(1)</script> vitamin deficiency & cells.' };

let dir: string;
let index: Index;
let server: RunningServer;

const post = (body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${server.url}/search`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body),
  });

interface Reply {
  results: { query: string; hits: { docid: string; score: number; title?: string; text?: string }[] }[];
  tookMs: number;
}

before(async () => {
  dir = await buildFixtureIndex([...scifactRecords(200), ODD_DOC]);
  index = await Index.open(dir, { threads: 1 });
  server = await startServer({
    index,
    port: 0,
    limits: { maxK: 50, maxQueryLength: 300, maxQueriesPerRequest: 4, maxBodyBytes: 4096, batchWaitMs: 5 },
  });
});

after(async () => {
  await server?.close();
  await index?.close();
  if (dir) rmSync(dirname(dir), { recursive: true, force: true });
});

describe('routes', () => {
  test('GET /healthz', async () => {
    const res = await fetch(`${server.url}/healthz`);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { status: 'ok' });
  });

  test('GET /info reports model, index and limits', async () => {
    const res = await fetch(`${server.url}/info`);
    assert.equal(res.status, 200);
    const info = (await res.json()) as Record<string, unknown>;
    assert.equal(info.model, 'test/fixtures/goldens/models/bert-tiny');
    assert.equal(info.count, 201);
    assert.equal(info.dims, 32);
    assert.equal(info.indexType, 'flat');
    assert.equal(info.dtype, 'f32');
    assert.equal(info.similarity, 'dot');
    assert.equal(info.storesText, true);
    assert.equal((info.limits as Record<string, unknown>).maxK, 50);
    assert.deepEqual(Object.keys(info.stats as object).sort(), ['batches', 'inFlight', 'largestBatch', 'queries']);
    assert.equal((info.stats as Record<string, number>).inFlight, 1, 'the /info request itself');
  });

  test('POST /search {query, k} answers exactly what the library answers, with stored title and text', async () => {
    const query = 'vitamin D deficiency and bone density';
    const res = await post({ query, k: 5 });
    assert.equal(res.status, 200);
    const body = (await res.json()) as Reply;
    const [expected] = await index.search([{ id: 'q', text: query }], 5);
    assert.equal(body.results.length, 1);
    assert.equal(body.results[0]!.query, query);
    assert.deepEqual(body.results[0]!.hits.map((h) => [h.docid, h.score]), expected!.hits.map((h) => [h.docid, h.score]));
    for (const hit of body.results[0]!.hits) {
      const row = index.docids!.rowOf(hit.docid)!;
      const doc = index.document(row)!;
      assert.equal(hit.text, doc.text);
      assert.equal(hit.title, doc.title);
    }
    assert.ok(body.tookMs >= 0);
  });

  test('POST /search {queries} answers each query in order; k defaults to 10', async () => {
    const queries = ['cancer cells', 'protein folding', 'cancer cells'];
    const body = (await (await post({ queries })).json()) as Reply;
    assert.deepEqual(body.results.map((r) => r.query), queries);
    const expected = await index.search(queries.map((text, i) => ({ id: String(i), text })), 10);
    body.results.forEach((r, i) => {
      assert.equal(r.hits.length, 10);
      assert.deepEqual(r.hits.map((h) => [h.docid, h.score]), expected[i]!.hits.map((h) => [h.docid, h.score]));
    });
  });

  test('concurrent requests share encoder batches and each still gets its own answer', async () => {
    const queries = Array.from({ length: 12 }, (_, i) => `query number ${i} about cells and genes`);
    const ks = queries.map((_, i) => 1 + (i % 5));
    const before = server.stats();
    const replies = await Promise.all(queries.map(async (query, i) => (await (await post({ query, k: ks[i] })).json()) as Reply));
    const stats = server.stats();
    assert.equal(stats.queries - before.queries, 12);
    assert.ok(stats.batches - before.batches < 12, `12 concurrent queries took ${stats.batches - before.batches} batches`);
    assert.ok(stats.largestBatch > 1);
    const expected = await index.search(queries.map((text, i) => ({ id: String(i), text })), 5);
    replies.forEach((r, i) => {
      assert.deepEqual(r.results[0]!.hits.map((h) => [h.docid, h.score]), expected[i]!.hits.slice(0, ks[i]).map((h) => [h.docid, h.score]));
    });
  });

  test('GET /docs/:id returns the stored passage; ids are URL-decoded', async () => {
    const res = await fetch(`${server.url}/docs/${encodeURIComponent(ODD_DOC.id)}`);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), ODD_DOC);
    const first = scifactRecords(1)[0]!;
    assert.deepEqual(await (await fetch(`${server.url}/docs/${first.id}`)).json(), first);
  });

  test('GET /docs/:id of an unknown id is 404 with a JSON error', async () => {
    const res = await fetch(`${server.url}/docs/no-such-doc`);
    assert.equal(res.status, 404);
    assert.deepEqual(await res.json(), { statusCode: 404, code: 'DOC_NOT_FOUND', error: 'Not Found', message: 'no document with id "no-such-doc"' });
  });

  test('GET /openapi.json describes every route with the limits in force', async () => {
    const res = await fetch(`${server.url}/openapi.json`);
    assert.equal(res.status, 200);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, Record<string, any>> };
    assert.equal(doc.openapi, '3.1.0');
    assert.deepEqual(Object.keys(doc.paths).sort(), ['/', '/docs/{id}', '/healthz', '/info', '/openapi.json', '/search']);
    const body = doc.paths['/search']!.post.requestBody.content['application/json'].schema;
    assert.equal(body.properties.k.maximum, 50);
    assert.equal(body.properties.query.maxLength, 300);
    assert.equal(body.properties.queries.maxItems, 4);
  });

  test('GET / is a self-contained HTML page with a strict CSP', async () => {
    const res = await fetch(`${server.url}/`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type')!, /^text\/html; charset=utf-8/);
    assert.match(res.headers.get('content-security-policy')!, /default-src 'none'/);
    const html = await res.text();
    assert.match(html, /<input id="q"/);
    assert.doesNotMatch(html, /https?:\/\//, 'no external assets');
    assert.doesNotMatch(html, /innerHTML/, 'results are built with textContent, never parsed as HTML');
  });

  test('unknown routes are 404 JSON', async () => {
    const res = await fetch(`${server.url}/nope`);
    assert.equal(res.status, 404);
    assert.equal(((await res.json()) as { code: string }).code, 'NOT_FOUND');
  });
});

describe('bad requests get a 4xx JSON error and the server keeps answering', () => {
  const cases: { name: string; body: unknown; headers?: Record<string, string>; status: number; code: string; message?: RegExp }[] = [
    { name: 'malformed JSON', body: '{"query": "x",', status: 400, code: 'MALFORMED_JSON', message: /not valid JSON/ },
    { name: 'invalid UTF-8', body: Buffer.from([0x7b, 0x22, 0x71, 0x75, 0x65, 0x72, 0x79, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]), status: 400, code: 'INVALID_UTF8' },
    { name: 'missing query', body: { k: 3 }, status: 400, code: 'MISSING_QUERY' },
    { name: 'empty body', body: '', status: 400, code: 'MISSING_QUERY' },
    { name: 'body not an object', body: '["x"]', status: 400, code: 'INVALID_BODY' },
    { name: 'both query and queries', body: { query: 'a', queries: ['b'] }, status: 400, code: 'AMBIGUOUS_QUERY' },
    { name: 'unknown field', body: { q: 'a' }, status: 400, code: 'UNKNOWN_FIELD', message: /"q"/ },
    { name: '__proto__ key', body: '{"query":"a","__proto__":{"k":1}}', status: 400, code: 'UNKNOWN_FIELD' },
    { name: 'empty query', body: { query: '' }, status: 400, code: 'EMPTY_QUERY' },
    { name: 'query not a string', body: { query: 42 }, status: 400, code: 'INVALID_QUERY' },
    { name: 'query too long', body: { query: 'x'.repeat(301) }, status: 400, code: 'QUERY_TOO_LONG', message: /300 characters/ },
    { name: 'query of 300 astral code points is not too long', body: { query: '😀'.repeat(300) }, status: 200, code: '' },
    { name: 'too many queries', body: { queries: ['a', 'b', 'c', 'd', 'e'] }, status: 400, code: 'TOO_MANY_QUERIES' },
    { name: 'empty queries', body: { queries: [] }, status: 400, code: 'EMPTY_QUERY' },
    { name: 'k = 0', body: { query: 'a', k: 0 }, status: 400, code: 'INVALID_K', message: /from 1 to 50/ },
    { name: 'k = -1', body: { query: 'a', k: -1 }, status: 400, code: 'INVALID_K' },
    { name: 'k = 10^9', body: { query: 'a', k: 1e9 }, status: 400, code: 'INVALID_K' },
    { name: 'k = 51 (max k is 50)', body: { query: 'a', k: 51 }, status: 400, code: 'INVALID_K' },
    { name: 'k = 2.5', body: { query: 'a', k: 2.5 }, status: 400, code: 'INVALID_K' },
    { name: 'k as a string', body: { query: 'a', k: '5' }, status: 400, code: 'INVALID_K' },
    { name: 'body over the size limit', body: { queries: ['x'.repeat(300), 'y'.repeat(300)], k: 1, pad: 'z'.repeat(5000) }, status: 413, code: 'BODY_TOO_LARGE', message: /4096 bytes/ },
    { name: 'not JSON content type', body: 'query=a', headers: { 'content-type': 'application/x-www-form-urlencoded' }, status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
  ];
  for (const c of cases) {
    test(c.name, async () => {
      const res = await post(c.body, c.headers);
      assert.equal(res.status, c.status);
      const body = (await res.json()) as { statusCode: number; code: string; message: string; error: string };
      if (c.status !== 200) {
        assert.equal(body.statusCode, c.status);
        assert.equal(body.code, c.code);
        assert.equal(typeof body.error, 'string');
        if (c.message) assert.match(body.message, c.message);
      }
      const health = await fetch(`${server.url}/healthz`);
      assert.equal(health.status, 200);
      const ok = await post({ query: 'still answering', k: 1 });
      assert.equal(ok.status, 200);
      assert.equal(((await ok.json()) as Reply).results[0]!.hits.length, 1);
    });
  }
});
