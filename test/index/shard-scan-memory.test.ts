import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VectorShardWriter } from '../../src/index/formats/shard-writer.js';
import { VectorStore } from '../../src/index/formats/vector-store.js';
import { exactInnerProduct } from '../../src/index/engines/exact-score.js';
import { runSamplingRssAnon } from '../support/rss-anon.js';

// The scan's memory does not grow with the corpus: a child process searches a 150 MiB int8 index
// while its anonymous memory (RssAnon: the process's own pages, not the page cache's copy of the
// shard files) is sampled from /proc and must stay under 112 MiB, a limit below the index's size.
// (A cgroup or `ulimit -v` would be the blunter tool: V8 and onnxruntime reserve far more address
// space than they touch, and cgroups need privileges CI may lack.)

const LIMIT_MIB = 112;

test('a scan of an index larger than a small memory limit stays under it (RssAnon sampled from /proc)', { skip: process.platform !== 'linux' }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'densekit-scan-mem-'));
  try {
    const dim = 256, perShard = 200_000, shards = 3;
    let s = 99;
    const chunk = new Float32Array(4096 * dim);
    const probe: Float32Array[] = []; // rows to search for: each must come back first
    for (let f = 0; f < shards; f++) {
      const w = new VectorShardWriter(join(dir, `s${f}.vec`), { dtype: 'int8', dim });
      for (let r = 0; r < perShard; r += 4096) {
        const m = Math.min(4096, perShard - r);
        for (let i = 0; i < m * dim; i++) {
          s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
          chunk[i] = s / 2 ** 32 - 0.5;
        }
        w.append(chunk.subarray(0, m * dim));
        if (r === 4096 * 7) probe.push(chunk.slice(0, dim));
      }
      w.finish();
    }
    const store = VectorStore.open(dir, [0, 1, 2].map((f) => `s${f}.vec`));
    const indexMiB = store.shards.reduce((n, sh) => n + sh.bytes, 0) / 2 ** 20;
    const want = probe.map((_, f) => f * perShard + 4096 * 7);
    // The stored (quantised) row scores highest against its own float32 original among random rows.
    const stored = want.map((row) => store.readRows(row, 1));
    store.close();
    assert.ok(indexMiB > 1.3 * LIMIT_MIB, `index is ${indexMiB.toFixed(0)} MiB`);
    const queries = join(dir, 'queries.json');
    writeFileSync(queries, JSON.stringify(probe.map((q) => Array.from(q))));

    const { code, stdout, peakKiB } = await runSamplingRssAnon(['dist/test/support/scan-child.js', dir, queries], 20);
    assert.equal(code, 0);
    const [k10, k1000] = JSON.parse(stdout) as number[][][];
    for (const hits of [k10!, k1000!]) assert.deepEqual(hits.map((ids) => ids[0]), want);
    assert.ok(exactInnerProduct(probe[0]!, 0, stored[0]!, 0, dim) > 0);
    assert.ok(peakKiB > 0, 'RssAnon was sampled');
    t.diagnostic(`peak RssAnon ${(peakKiB / 1024).toFixed(0)} MiB, index ${indexMiB.toFixed(0)} MiB`);
    assert.ok(peakKiB / 1024 < LIMIT_MIB, `peak RssAnon ${(peakKiB / 1024).toFixed(0)} MiB while searching a ${indexMiB.toFixed(0)} MiB index`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
