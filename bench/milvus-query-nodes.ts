// Milvus with one and with two query nodes on this machine: starts Kafka + a Milvus standalone
// (scripts/milvus/cluster.sh), loads a collection with one replica and measures search throughput, then
// adds a second `milvus run querynode` process, reloads with two replicas, shows from getReplicas and
// each node's own metrics that both nodes answer searches, and measures again.
//
//   npx tsc -p . && node dist/bench/milvus-query-nodes.js [--rows 50000] [--dim 384] [--k 10]
//        [--concurrency 8] [--seconds 20] [--dir /tmp/densekit-milvus-cluster]
//
// Vectors are seeded random unit vectors (the point is throughput, not recall). On one 2-core machine
// both query nodes share the same two cores, so a second node adds no compute: see bench/RESULTS.md.
import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { rmSync } from 'node:fs';
import { MilvusCollection } from '../src/index/engines/milvus/collection.js';
import { connectMilvus } from '../src/index/engines/milvus/connection.js';
import { completeIndexSpec } from '../src/index/engines/milvus/index-spec.js';
import { uploadRows } from '../src/index/engines/milvus/upload.js';
import { formatLoad, runLoad } from './search-load.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1]! : fallback;
}
const rows = Number(arg('rows', '50000'));
const dim = Number(arg('dim', '384'));
const k = Number(arg('k', '10'));
const concurrency = Number(arg('concurrency', '8'));
const seconds = Number(arg('seconds', '20'));
const dir = arg('dir', '/tmp/densekit-milvus-cluster');
const script = 'scripts/milvus/cluster.sh';

function unitVectors(n: number, seed: number): Float32Array[] {
  let s = seed >>> 0 || 1;
  const u = () => {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    return (s + 0.5) / 2 ** 32 - 0.5;
  };
  return Array.from({ length: n }, () => {
    const v = Float32Array.from({ length: dim }, u);
    const norm = Math.hypot(...v);
    return v.map((x) => x / norm);
  });
}

/** Search requests a node's metrics endpoint has counted (successful ones, all query types summed). */
async function searchRequests(metricsPort: number): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
  let total = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('milvus_querynode_sq_req_count{') && /query_type="search"/.test(line) && /status="success"/.test(line)) total += Number(line.split(' ').pop());
  }
  return total;
}

execFileSync('bash', [script, 'stop', dir], { stdio: 'inherit' }); // anything an interrupted run left
rmSync(dir, { recursive: true, force: true });
try {
  execFileSync('bash', [script, 'start', dir], { stdio: 'inherit' });
  const client = await connectMilvus({ uri: '127.0.0.1:19530' });
  const collection = new MilvusCollection(client, 'bench_query_nodes', '127.0.0.1:19530');
  await collection.ensure({ dims: dim, metric: 'IP' });
  const data = unitVectors(rows, 7);
  const t0 = performance.now();
  // Kafka (broker and Milvus's librdkafka producer) caps a message at about 1 MB: 400 rows of 384 floats fit.
  await uploadRows(collection, data.map((vector, i) => ({ id: `d${i}`, text: '', vector })), { batchRows: Math.max(1, Math.floor(600_000 / (dim * 4 + 64))) });
  const spec = completeIndexSpec({ type: 'HNSW', M: 16, efConstruction: 200 });
  await collection.buildIndex(spec, 'IP', 1);
  console.log(`uploaded and indexed ${rows} × ${dim} in ${((performance.now() - t0) / 1000).toFixed(1)} s; count ${await collection.count()}`);
  const queries = unitVectors(1000, 11);
  const search = (q: number) => collection.search([queries[q]!], k, spec, 'IP', { ef: 64 });

  const replicas = async () => (await client.getReplicas({ collectionID: (await client.describeCollection({ collection_name: collection.name })).collectionID })).replicas
    .map((r) => `replica ${r.replicaID}: nodes ${[...new Set(r.shard_replicas.flatMap((s) => s.node_ids.map(String)))].join(',')}`).join('; ');

  await runLoad(search, queries.length, { concurrency, seconds: 3 }); // warm-up
  console.log(`1 query node, 1 replica [${await replicas()}], load ${loadavg()[0]!.toFixed(2)}:`);
  console.log(`  ${formatLoad(await runLoad(search, queries.length, { concurrency, seconds }))}`);

  execFileSync('bash', [script, 'querynode', dir], { stdio: 'inherit' });
  await client.releaseCollection({ collection_name: collection.name });
  await collection.load(2);
  await runLoad(search, queries.length, { concurrency, seconds: 3 });
  const before = [await searchRequests(9091), await searchRequests(9191)];
  console.log(`2 query nodes, 2 replicas [${await replicas()}], load ${loadavg()[0]!.toFixed(2)}:`);
  console.log(`  ${formatLoad(await runLoad(search, queries.length, { concurrency, seconds }))}`);
  const after = [await searchRequests(9091), await searchRequests(9191)];
  console.log(`  search requests counted by each node during the run: standalone's query node ${after[0]! - before[0]!}, second query node ${after[1]! - before[1]!}`);
  await collection.drop();
  await client.closeConnection();
} finally {
  execFileSync('bash', [script, 'stop', dir], { stdio: 'inherit' });
}
