// The milvus engine on real embeddings (SciFact, all-MiniLM-L6-v2) against a real Milvus server:
// FLAT gives the local flat index's top 100 and nDCG@10; HNSW keeps recall@10 ≥ 0.98; an upload
// killed with SIGKILL and run again ends with exactly one row per passage and the same results.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { MilvusClient } from '@zilliz/milvus2-sdk-node';
import { readQueries } from '../../../src/corpus/index.js';
import { evaluatePreset, readQrels, runFromHits } from '../../../src/eval/index.js';
import { exportIndex } from '../../../src/index/build/export.js';
import { connectMilvus } from '../../../src/index/engines/milvus/connection.js';
import { Index, type IndexQueryHits } from '../../../src/index/index.js';
import { cleanUpMilvus, milvusForTests } from '../../support/milvus.js';
import { SCIFACT, scifactMiniLmIndex } from '../../support/scifact-minilm.js';

const milvus = await milvusForTests();
const scifact = milvus.server ? await scifactMiniLmIndex() : undefined;
const skip = milvus.skip || scifact?.skip || false;
/** HNSW search width used for the recall check (Milvus's ef; raised to k when smaller). */
const EF = 64;

describe('milvus engine on SciFact with all-MiniLM-L6-v2', { skip }, () => {
  const server = milvus.server!;
  const prefix = `densekit_scifact_${process.pid}_`;
  const milvusParams = (collection: string, extra: Record<string, string | number> = {}) => ({ kind: 'milvus', params: { uri: server.uri, collection: prefix + collection, ...extra } });
  let tmp: string;
  let client: MilvusClient;
  let local: Index;
  let ids: string[];
  let vectors: Float32Array[];
  let exact: IndexQueryHits[];
  let flatHits: IndexQueryHits[];

  before(async () => {
    if (server.token !== undefined) process.env.MILVUS_TOKEN = server.token;
    tmp = mkdtempSync(join(tmpdir(), 'densekit-milvus-scifact-'));
    client = await connectMilvus({ uri: server.uri, token: server.token });
    const qrels = await readQrels(`${SCIFACT}/qrels/test.tsv`);
    const queries = (await readQueries(`${SCIFACT}/queries.jsonl`)).filter((q) => qrels.has(q.id));
    local = await Index.open(scifact!.indexDir!, { threads: 1 });
    ids = queries.map((q) => q.id);
    vectors = await local.encodeQueries(queries.map((q) => q.text));
    exact = await local.searchVectors(ids, vectors, 100);
  });
  after(async () => {
    await local?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
    await cleanUpMilvus(server, client, (name) => name.startsWith(prefix));
  });

  it('FLAT: the local flat index\'s top 100 per query (ties aside) and nDCG@10 0.6451', async () => {
    const dir = join(tmp, 'flat');
    const manifest = await exportIndex({ fromDir: scifact!.indexDir!, outDir: dir, index: milvusParams('flat', { type: 'FLAT' }) });
    assert.equal(manifest.count, 5183);
    assert.equal(manifest.shards.length, 0, 'the directory keeps only the manifest');
    assert.equal(manifest.engine.params.collection, `${prefix}flat`);
    assert.ok(!JSON.stringify(manifest).includes(server.token ?? '\u0000'), 'no token in the manifest');
    const index = await Index.open(dir);
    try {
      flatHits = await index.searchVectors(ids, vectors, 100);
      let reordered = 0;
      for (const [q, want] of exact.entries()) {
        const got = flatHits[q]!.hits;
        assert.equal(got.length, 100);
        const cut = want.hits[99]!.score;
        for (const [r, h] of want.hits.entries()) {
          // Milvus's COSINE and densekit's inner product of unit vectors agree to float32 rounding.
          assert.ok(Math.abs(got[r]!.score - h.score) < 1e-5, `query ${ids[q]} rank ${r}: ${got[r]!.score} vs ${h.score}`);
          if (got[r]!.docid === h.docid) continue;
          reordered++;
          const nearTie = want.hits.some((o, r2) => r2 !== r && o.docid === got[r]!.docid && Math.abs(o.score - h.score) < 1e-5) || Math.abs(h.score - cut) < 1e-5;
          assert.ok(nearTie, `query ${ids[q]} rank ${r}: ${got[r]!.docid} instead of ${h.docid} with no near-tie between them`);
        }
      }
      console.log(`# milvus FLAT vs local flat: ${reordered} of ${exact.length * 100} ranks hold another docid of a near-tie`);
      const qrels = await readQrels(`${SCIFACT}/qrels/test.tsv`);
      const ndcg = evaluatePreset('beir', qrels, runFromHits(flatHits)).all.ndcg_cut_10!;
      const localNdcg = evaluatePreset('beir', qrels, runFromHits(exact)).all.ndcg_cut_10!;
      console.log(`# nDCG@10: milvus FLAT ${ndcg.toFixed(4)}, local flat ${localNdcg.toFixed(4)} (published 0.6451)`);
      assert.equal(ndcg.toFixed(4), localNdcg.toFixed(4));
      assert.ok(Math.abs(ndcg - 0.6451) < 0.005, `nDCG@10 ${ndcg}`);
      const [doc] = await index.documents([{ docid: flatHits[0]!.hits[0]!.docid }]);
      assert.ok(doc && doc.text.length > 0 && doc.id === flatHits[0]!.hits[0]!.docid, 'passages come back from the collection');
    } finally {
      await index.close();
    }
  });

  it(`HNSW (M=16, efConstruction=200): recall@10 ≥ 0.98 against exact search at ef ${EF}`, async () => {
    const dir = join(tmp, 'hnsw');
    await exportIndex({ fromDir: scifact!.indexDir!, outDir: dir, index: milvusParams('hnsw', { type: 'HNSW', M: 16, efConstruction: 200 }) });
    const index = await Index.open(dir, { efSearch: EF });
    try {
      assert.equal(index.engine.describe().searchParams.efSearch, EF);
      const found = await index.searchVectors(ids, vectors, 10);
      let hit = 0;
      found.forEach((f, q) => {
        const want = new Set(exact[q]!.hits.slice(0, 10).map((h) => h.docid));
        hit += f.hits.filter((h) => want.has(h.docid)).length;
      });
      const recall = hit / (10 * found.length);
      console.log(`# milvus HNSW recall@10 at ef ${EF}: ${recall.toFixed(4)} over ${found.length} queries`);
      assert.ok(recall >= 0.98, `recall@10 ${recall}`);
    } finally {
      await index.close();
    }
  });

  it('an upload killed with SIGKILL and run again: exactly one row per passage, same results', async () => {
    const dir = join(tmp, 'killed');
    const collection = `${prefix}killed`;
    const args = ['dist/src/cli/main.js', 'export', '--from', scifact!.indexDir!, '--out', dir, '--index', 'milvus:type=FLAT', '--milvus-uri', server.uri, '--collection', collection];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (b) => (stderr += b));
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    // Kill once some windows are in, and well before all 5183 rows are.
    for (;;) {
      const has = await client.hasCollection({ collection_name: collection });
      if (has.value) {
        const stats = await client.getCollectionStatistics({ collection_name: collection });
        if (Number(stats.data.row_count) >= 300) break;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    child.kill('SIGKILL');
    assert.equal(await exited, 'SIGKILL', `the export finished before it could be killed:\n${stderr}`);
    const rerun = spawnSync(process.execPath, args, { encoding: 'utf8' });
    assert.equal(rerun.status, 0, rerun.stderr);
    const index = await Index.open(dir);
    try {
      assert.equal(index.engine.count, 5183);
      const rows = await client.query({ collection_name: collection, filter: 'docid in ["4983", "5836", "7912"]', output_fields: ['docid'], consistency_level: 'Strong' as never });
      assert.deepEqual(rows.data.map((r) => r.docid).sort(), ['4983', '5836', '7912']);
      const again = await index.searchVectors(ids, vectors, 100);
      assert.deepEqual(again.map((q) => q.hits.map((h) => [h.docid, h.score])), flatHits.map((q) => q.hits.map((h) => [h.docid, h.score])));
    } finally {
      await index.close();
    }
  });
});
