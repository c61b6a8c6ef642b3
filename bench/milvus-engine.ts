// The milvus engine beside the local engines on the same vectors (SciFact, all-MiniLM-L6-v2: 5,183
// passages × 384, the 300 test queries encoded once): upload rate into Milvus (FLAT and HNSW), search
// throughput and latency (one query per request, k 10, concurrency 1 and 4) through densekit's library
// for Milvus FLAT, Milvus HNSW, local flat and local HNSW, and the Node SDK's own cost per request.
//
//   npx tsc -p . && node dist/bench/milvus-engine.js [--index .cache/scifact-minilm/flat] [--seconds 10]
//
// Starts its own Milvus (scripts/milvus/server.sh, data in a temp dir) unless MILVUS_URI is set.
// Needs the local SciFact flat index (test/support/scifact-minilm.ts builds it into .cache on first use).
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { readQueries } from '../src/corpus/index.js';
import { readQrels } from '../src/eval/index.js';
import { exportIndex } from '../src/index/build/export.js';
import { hnswEngine } from '../src/index/engines/hnsw/hnsw-engine.js';
import { connectMilvus } from '../src/index/engines/milvus/connection.js';
import { Index } from '../src/index/index.js';
import { manifestFor, paramsOf, readManifest, writeManifest } from '../src/index/formats/manifest.js';
import { formatLoad, runLoad } from './search-load.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1]! : fallback;
}
const sourceDir = arg('index', '.cache/scifact-minilm/flat');
const seconds = Number(arg('seconds', '10'));
const tmp = mkdtempSync(join(tmpdir(), 'densekit-bench-milvus-'));
const ownServer = !process.env.MILVUS_URI;
const dataDir = join(tmp, 'milvus');
const uri = process.env.MILVUS_URI ?? '127.0.0.1:19530';
const load = () => `load ${loadavg()[0]!.toFixed(2)}`;

/** A copy of the flat index with the local HNSW engine's graph built over the same shards. */
async function localHnsw(): Promise<string> {
  const dir = join(tmp, 'hnsw');
  cpSync(sourceDir, dir, { recursive: true });
  const m = readManifest(dir);
  const choice = { kind: 'hnsw', params: hnswEngine.parseParams({ M: 16, efConstruction: 200 }) };
  const params = { ...paramsOf(m), engine: choice };
  const files = await hnswEngine.build({ dir, params, shards: m.shards, threads: 2, log: () => {} }, choice.params);
  writeManifest(dir, manifestFor(params, m.shards, { engineFiles: files }));
  return dir;
}

if (ownServer) execFileSync('bash', ['scripts/milvus/server.sh', 'start', dataDir], { stdio: 'inherit' });
try {
  const qrels = await readQrels('test/fixtures/data/scifact/qrels/test.tsv');
  const queries = (await readQueries('test/fixtures/data/scifact/queries.jsonl')).filter((q) => qrels.has(q.id));
  const source = await Index.open(sourceDir, { threads: 1 });
  const vectors = await source.encodeQueries(queries.map((q) => q.text));
  await source.close();
  console.log(`vectors: ${readManifest(sourceDir).count} × ${readManifest(sourceDir).dims} (${sourceDir}); ${vectors.length} queries; ${load()}`);

  const dirs: Record<string, string> = { 'local flat': sourceDir, 'local hnsw (M 16, efC 200, ef 64)': await localHnsw() };
  for (const [label, type, extra] of [['milvus FLAT', 'FLAT', {}], ['milvus HNSW (M 16, efC 200, ef 64)', 'HNSW', { M: 16, efConstruction: 200 }]] as const) {
    const dir = join(tmp, type);
    const started = performance.now();
    let uploaded = 0;
    await exportIndex({
      fromDir: sourceDir,
      outDir: dir,
      index: { kind: 'milvus', params: { uri, collection: `bench_${type.toLowerCase()}`, type, ...extra } },
      onProgress: (done, total) => {
        if (done === total) uploaded = performance.now();
      },
    });
    const done = performance.now();
    const n = readManifest(dir).count;
    console.log(`${label}: upload ${(n / ((uploaded - started) / 1000)).toFixed(0)} passages/s (${((uploaded - started) / 1000).toFixed(1)} s), index build + load ${((done - uploaded) / 1000).toFixed(1)} s; ${load()}`);
    dirs[label] = dir;
  }

  for (const [label, dir] of Object.entries(dirs)) {
    const index = await Index.open(dir, { threads: 1, efSearch: 64 });
    const search = (q: number) => index.searchVectors(['q'], [vectors[q]!], 10);
    await runLoad(search, vectors.length, { concurrency: 1, seconds: 2 });
    for (const concurrency of [1, 4]) {
      console.log(`${label}, concurrency ${concurrency}: ${formatLoad(await runLoad(search, vectors.length, { concurrency, seconds }))}; ${load()}`);
    }
    await index.close();
  }

  // The SDK's own cost: client CPU per request (protobuf encode/decode, gRPC framing) and the round trip
  // of a request the server answers from memory (hasCollection), beside a k=10 search.
  const client = await connectMilvus({ uri, token: process.env.MILVUS_TOKEN });
  for (const [label, call] of [
    ['hasCollection', () => client.hasCollection({ collection_name: 'bench_flat' })],
    ['search k=10 (FLAT)', () => client.search({ collection_name: 'bench_flat', anns_field: 'vector', data: [Array.from(vectors[0]!)], limit: 10, metric_type: 'COSINE', output_fields: ['docid'] })],
  ] as const) {
    await runLoad(call, 1, { concurrency: 1, seconds: 1 });
    const cpu = process.cpuUsage();
    const r = await runLoad(call, 1, { concurrency: 1, seconds: Math.max(2, seconds / 2) });
    const used = process.cpuUsage(cpu);
    console.log(`sdk ${label}: ${formatLoad(r)}; client CPU ${(((used.user + used.system) / 1000) / r.queries).toFixed(3)} ms per request; ${load()}`);
  }
  for (const c of ['bench_flat', 'bench_hnsw']) await client.dropCollection({ collection_name: c });
  await client.closeConnection();
} finally {
  if (ownServer) execFileSync('bash', ['scripts/milvus/server.sh', 'stop', dataDir], { stdio: 'inherit' });
  rmSync(tmp, { recursive: true, force: true });
}
