// Child process of the memory test in test/index/shard-scan-memory.test.ts: opens the shards of a
// directory with ShardScanIndex, searches the given queries at k = 10 and 1000, prints the hits.
import { readdirSync, readFileSync } from 'node:fs';
import { VectorStore } from '../../src/index/formats/vector-store.js';
import { ShardScanIndex } from '../../src/index/engines/flat/shard-scan-index.js';

const [dir, queriesJson] = process.argv.slice(2) as [string, string];
const queries = (JSON.parse(readFileSync(queriesJson, 'utf8')) as number[][]).map((q) => Float32Array.from(q));
const store = VectorStore.open(dir, readdirSync(dir).filter((f) => f.endsWith('.vec')).sort());
const index = await ShardScanIndex.open(store.shards);
const out = [];
for (const k of [10, 1000]) out.push(await index.search(queries, k));
await index.close();
store.close();
process.stdout.write(JSON.stringify(out.map((r) => r.ids.map((ids) => ids.slice(0, 10)))) + '\n');
