// BM25 on BEIR SciFact (5,183 documents, 300 test queries), flat and multifield: index build time
// (reading + analysis + inversion), index size on disk, open time, and queries per second at k = 1000
// (single thread, analysis included). Prints markdown table rows; best of `rounds`.
// Run: npx tsc -p . && node dist/bench/bm25.js [rounds]
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCorpus, readQueries } from '../src/corpus/index.js';
import { Bm25Index, type Bm25FieldMode } from '../src/sparse/bm25-index.js';

const DATA = 'test/fixtures/data/scifact';
const rounds = Number(process.argv[2] ?? 3);

async function dirBytes(dir: string): Promise<number> {
  let total = 0;
  for (const f of await readdir(dir)) total += (await stat(join(dir, f))).size;
  return total;
}

const queries = await readQueries(join(DATA, 'queries.jsonl'));
console.log('| mode | build (s) | size on disk (MiB) | open (ms) | queries/s (k=1000) |');
console.log('|---|---|---|---|---|');
for (const mode of ['flat', 'multifield'] as Bm25FieldMode[]) {
  let build = Infinity;
  let open = Infinity;
  let search = Infinity;
  let bytes = 0;
  for (let r = 0; r < rounds; r++) {
    const dir = await mkdtemp(join(tmpdir(), 'densekit-bench-bm25-'));
    try {
      let t = performance.now();
      const index = await Bm25Index.build(readCorpus(join(DATA, 'corpus.jsonl')), { fields: mode });
      build = Math.min(build, performance.now() - t);
      await index.save(dir);
      bytes = await dirBytes(dir);
      t = performance.now();
      const reopened = await Bm25Index.open(dir);
      open = Math.min(open, performance.now() - t);
      t = performance.now();
      await reopened.search(queries, 1000);
      search = Math.min(search, performance.now() - t);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  const qps = queries.length / (search / 1000);
  console.log(`| ${mode} | ${(build / 1000).toFixed(2)} | ${(bytes / 2 ** 20).toFixed(2)} | ${open.toFixed(0)} | ${qps.toFixed(0)} |`);
}
