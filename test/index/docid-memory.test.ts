// Opening a whole index through openIndex loads no docids when it has a docid index: a child process
// opens a 1M-row index and searches it (k = 10 and 1000) while its anonymous memory (RssAnon, sampled
// from /proc) is measured, once as written and once with the manifest's docid index removed (the old
// path: every docid loaded and sorted). Same hits both ways; the docid index must save most of what
// the docids cost, and stay under an absolute limit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Encoder } from '../../src/encoder/encoder.js';
import { importVectors } from '../../src/index/import/import-vectors.js';
import { MANIFEST_FILE } from '../../src/index/formats/manifest.js';
import { runSamplingRssAnon } from '../support/rss-anon.js';

const MODEL = 'test/fixtures/goldens/models/bert-tiny';
const ROWS = 1_000_000;
/** RssAnon limit with the docid index: the encoder, ORT and one scan block, not the corpus. */
const LIMIT_MIB = 128;

async function peakAnonOf(dir: string): Promise<{ peakMiB: number; hits: [string, number][][] }> {
  const { code, stdout, peakKiB } = await runSamplingRssAnon(['dist/test/support/open-index-child.js', dir]);
  assert.equal(code, 0);
  assert.ok(peakKiB > 0, 'RssAnon was sampled');
  return { peakMiB: peakKiB / 1024, hits: JSON.parse(stdout) as [string, number][][] };
}

test('openIndex + search of a 1M-row index keeps the docids on disk (RssAnon sampled from /proc)', { skip: process.platform !== 'linux' }, async (t) => {
  const tmp = mkdtempSync(join(tmpdir(), 'densekit-docid-mem-'));
  try {
    const e = await Encoder.load(MODEL, { threads: 1 });
    const dim = e.dims;
    const encoder = { source: e.source, settings: { ...e.settings, similarity: 'dot' as const }, dims: dim, trainedFor: e.trainedFor };
    await e.dispose();
    // MS MARCO-like docids, long enough that holding them all shows.
    const docids = join(tmp, 'docids.txt');
    writeFileSync(docids, Array.from({ length: ROWS }, (_, i) => `msmarco_passage_${String(i).padStart(8, '0')}\n`).join(''));
    let s = 1;
    const dir = join(tmp, 'index');
    await importVectors({
      encoder, vectorsPath: 'generated', docidsPath: docids, outDir: dir, dtype: 'int8', shardSize: 1 << 17,
      vectors: {
        dim, count: ROWS,
        readRows(_start, n) {
          const rows = new Float32Array(n * dim);
          for (let i = 0; i < rows.length; i++) {
            s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
            rows[i] = s / 2 ** 32 - 0.5;
          }
          return rows;
        },
      },
    });
    const fresh = await peakAnonOf(dir);
    const path = join(dir, MANIFEST_FILE);
    const json = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    delete json['docidIndex'];
    writeFileSync(path, JSON.stringify(json));
    const legacy = await peakAnonOf(dir);
    t.diagnostic(`peak RssAnon: ${fresh.peakMiB.toFixed(0)} MiB with the docid index, ${legacy.peakMiB.toFixed(0)} MiB loading all ${ROWS} docids`);
    assert.deepEqual(fresh.hits, legacy.hits);
    assert.equal(fresh.hits[1]!.length, 1000);
    assert.ok(fresh.peakMiB < LIMIT_MIB, `peak RssAnon ${fresh.peakMiB.toFixed(0)} MiB with the docid index`);
    assert.ok(legacy.peakMiB - fresh.peakMiB > 50, `the docid index saves only ${(legacy.peakMiB - fresh.peakMiB).toFixed(0)} MiB`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
