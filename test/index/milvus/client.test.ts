// The Milvus client layer against a real server: connection failures told apart, collection create and
// check, idempotent upsert, the three index types, search, count and passage lookup.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { MilvusClient } from '@zilliz/milvus2-sdk-node';
import { MilvusCollection, LIMITS } from '../../../src/index/engines/milvus/collection.js';
import { connectMilvus } from '../../../src/index/engines/milvus/connection.js';
import { completeIndexSpec } from '../../../src/index/engines/milvus/index-spec.js';
import { uploadRows, withRetries } from '../../../src/index/engines/milvus/upload.js';
import { cleanUpMilvus, milvusForTests } from '../../support/milvus.js';

const milvus = await milvusForTests();

/** 50 distinct unit vectors in 8 dims: row i points along axis i % 8, tilted towards the next axis by i / 8. */
function rows(n = 50) {
  return Array.from({ length: n }, (_, i) => {
    const v = Array.from({ length: 8 }, (_, d) => (d === i % 8 ? 1 : d === (i + 1) % 8 ? 0.05 * Math.floor(i / 8) : 0));
    const norm = Math.hypot(...v);
    return { id: `doc-${i}`, title: i % 2 ? `title ${i}` : undefined, text: `text of passage ${i} ✓`, vector: v.map((x) => x / norm) };
  });
}

describe('milvus client', { skip: milvus.skip }, () => {
  const server = milvus.server!;
  let client: MilvusClient;
  const prefix = `densekit_client_${process.pid}_`;

  before(async () => {
    client = await connectMilvus({ uri: server.uri, token: server.token });
  });
  after(() => cleanUpMilvus(server, client, (name) => name.startsWith(prefix)));

  it('says "server unreachable" when nothing listens at the uri', async () => {
    await assert.rejects(connectMilvus({ uri: '127.0.0.1:1' }, { timeoutMs: 5000 }), /milvus 127\.0\.0\.1:1: server unreachable .*MILVUS_URI/);
  });

  it('says "authentication refused" for a wrong or missing token', { skip: server.auth ? false : 'the server given by DENSEKIT_MILVUS_URI has no authentication' }, async () => {
    await assert.rejects(connectMilvus({ uri: server.uri, token: 'root:not-the-password' }), /authentication refused: the token was refused/);
    await assert.rejects(connectMilvus({ uri: server.uri }), /authentication refused: no token was given/);
  });

  it('creates a collection, upserts idempotently, builds FLAT, searches, counts and returns passages', async () => {
    const c = new MilvusCollection(client, `${prefix}flat`, server.uri);
    assert.equal(await c.ensure({ dims: 8, metric: 'IP' }), 'created');
    const data = rows();
    await uploadRows(c, data, { batchRows: 16 });
    await uploadRows(c, data.slice(10, 30), { batchRows: 7 });
    await c.buildIndex(completeIndexSpec({ type: 'FLAT' }), 'IP');
    assert.equal(await c.count(), 50);
    const hits = await c.search([data[3]!.vector, data[12]!.vector], 3, completeIndexSpec({ type: 'FLAT' }), 'IP', {});
    assert.equal(hits.length, 2);
    assert.equal(hits[0]![0]!.docid, 'doc-3');
    assert.equal(hits[1]![0]!.docid, 'doc-12');
    assert.ok(Math.abs(hits[0]![0]!.score - 1) < 1e-5, `self score ${hits[0]![0]!.score}`);
    const one = await c.search([data[5]!.vector], 1, completeIndexSpec({ type: 'FLAT' }), 'IP', {});
    assert.deepEqual(one.map((h) => h.map((x) => x.docid)), [['doc-5']]);
    const docs = await c.documents(['doc-1', 'missing', 'doc-2']);
    assert.deepEqual(docs, [{ id: 'doc-1', title: 'title 1', text: 'text of passage 1 ✓' }, undefined, { id: 'doc-2', text: 'text of passage 2 ✓' }]);
    // an existing collection of the same shape is accepted as it is
    assert.equal(await c.ensure({ dims: 8, metric: 'IP' }), 'existing');
  });

  it('builds HNSW and IVF_FLAT with their parameters and searches with ef and nprobe', async () => {
    const data = rows();
    for (const spec of [completeIndexSpec({ type: 'HNSW', M: 8, efConstruction: 64 }), completeIndexSpec({ type: 'ivf_flat', nlist: 4 })]) {
      const c = new MilvusCollection(client, `${prefix}${spec.type.toLowerCase()}`, server.uri);
      await c.ensure({ dims: 8, metric: 'COSINE' });
      await uploadRows(c, data);
      await c.buildIndex(spec, 'COSINE');
      assert.equal(await c.indexMetric(), 'COSINE');
      const found = await c.search([data[7]!.vector], 5, spec, 'COSINE', { ef: 32, nprobe: 4 });
      assert.equal(found[0]![0]!.docid, 'doc-7', spec.type);
      assert.equal(found[0]!.length, 5);
    }
  });

  it('refuses a missing collection, another dimension and another metric by name', async () => {
    const missing = new MilvusCollection(client, `${prefix}never_made`, server.uri);
    await assert.rejects(missing.checkShape({ dims: 8, metric: 'IP' }), /collection "densekit_client_\d+_never_made" does not exist/);
    const c = new MilvusCollection(client, `${prefix}shape`, server.uri);
    await c.ensure({ dims: 8, metric: 'IP' });
    await assert.rejects(c.ensure({ dims: 16, metric: 'IP' }), /holds 8-dimensional vectors; this index has 16/);
    await assert.rejects(c.ensure({ dims: 8, metric: 'COSINE' }), /was created for metric IP; this index's similarity needs COSINE/);
  });

  it('refuses a passage longer than the collection holds, naming it, before writing anything', async () => {
    const c = new MilvusCollection(client, `${prefix}limits`, server.uri);
    await c.ensure({ dims: 8, metric: 'IP' });
    const data = rows(3);
    // 'é' is two UTF-8 bytes: under the limit in characters, over it in bytes
    const long = { ...data[1]!, text: 'é'.repeat(Math.ceil(LIMITS.text / 2)) };
    await assert.rejects(uploadRows(c, [data[0]!, long, data[2]!]), /passage "doc-1" cannot be stored .*its text is 65536 UTF-8 bytes; the Milvus collection holds at most 65535/);
    await assert.rejects(uploadRows(c, [{ ...data[0]!, id: 'x'.repeat(LIMITS.docid + 1) }]), /its docid is 513 UTF-8 bytes/);
    await c.buildIndex(completeIndexSpec({ type: 'FLAT' }), 'IP');
    assert.equal(await c.count(), 0);
  });
});

describe('milvus retries', () => {
  it('retries transient failures with backoff and gives up on the others at once', async () => {
    let calls = 0;
    const waits: string[] = [];
    const value = await withRetries('op', async () => {
      calls++;
      if (calls < 3) throw Object.assign(new Error('14 UNAVAILABLE: connection reset'), { code: 14 });
      return 'done';
    }, { baseDelayMs: 1, log: (m) => waits.push(m) });
    assert.equal(value, 'done');
    assert.equal(calls, 3);
    assert.equal(waits.length, 2);
    assert.match(waits[1]!, /retrying in 2 ms \(attempt 3 of 6\)/);
    calls = 0;
    await assert.rejects(withRetries('op', async () => {
      calls++;
      throw Object.assign(new Error('bad request'), { code: 3 });
    }, { baseDelayMs: 1 }), /bad request/);
    assert.equal(calls, 1);
    calls = 0;
    await assert.rejects(withRetries('op', async () => {
      calls++;
      throw Object.assign(new Error('14 UNAVAILABLE'), { code: 14 });
    }, { baseDelayMs: 1, attempts: 3 }), /after 3 attempts/);
    assert.equal(calls, 3);
  });
});
