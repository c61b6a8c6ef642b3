// The docid index (docids.chunks, docids.ranks, docids.sorted): written at import, it gives exactly the
// results of the old whole-array path (ids, scores, tie order) with every local engine; older indexes
// without it still open, and `upgradeIndex` adds it; damage is named by file at open, on read, or by verify.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Encoder } from '../../src/encoder/encoder.js';
import { Index } from '../../src/index/dense-index.js';
import { importVectors } from '../../src/index/import/import-vectors.js';
import { upgradeIndex } from '../../src/index/build/upgrade.js';
import { verifyIndexDir } from '../../src/index/formats/index-verify.js';
import { RUN_IDS } from '../../src/index/formats/docid-order.js';
import { MANIFEST_FILE, readManifest, type DocidIndexRecord } from '../../src/index/formats/manifest.js';
import type { RecordedEncoder } from '../../src/index/build/build.js';
import { docidTieRanks } from '../../src/results/tie-ranks.js';

const MODEL = 'test/fixtures/goldens/models/bert-tiny';
const DIM = 16, ROWS = 4500, SHARD = 1000;
let tmp: string;
let encoder: RecordedEncoder;
let docids: string[];

/** Docids whose byte order differs from UTF-16 order and from row order, with shared prefixes. */
function makeDocids(): string[] {
  const odd = ['\u{1F600}x', '\uE000y', 'é', 'e\u0301', 'Z', 'a b', 'a\tb'];
  return Array.from({ length: ROWS }, (_, i) => (i < odd.length ? odd[i]! : `d${(i * 7919) % 100003}${i % 3 === 0 ? '-x' : ''}`));
}

/** Small integer components: many exactly equal scores, so tie order decides most cuts. */
function makeRows(): Float32Array {
  const rows = new Float32Array(ROWS * DIM);
  let s = 7;
  for (let i = 0; i < rows.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    rows[i] = ((s >>> 28) % 3) - 1;
  }
  return rows;
}

async function importInto(name: string, options: { dtype: 'f32' | 'int8'; index?: string }): Promise<string> {
  const dir = join(tmp, name);
  const rows = makeRows();
  await importVectors({
    encoder, vectorsPath: 'generated', docidsPath: join(tmp, 'docids.txt'), outDir: dir, dtype: options.dtype, shardSize: SHARD,
    ...(options.index ? { index: options.index } : {}),
    vectors: { dim: DIM, count: ROWS, readRows: (start, n) => rows.slice(start * DIM, (start + n) * DIM) },
  });
  return dir;
}

/** A copy of `dir` as the previous densekit wrote it: no docid index in the manifest or directory. */
function legacyCopy(dir: string, name: string): string {
  const out = join(tmp, name);
  cpSync(dir, out, { recursive: true });
  const path = join(out, MANIFEST_FILE);
  const json = JSON.parse(readFileSync(path, 'utf8')) as { docidIndex?: DocidIndexRecord };
  for (const f of Object.values(json.docidIndex!)) rmSync(join(out, f.file));
  delete json.docidIndex;
  writeFileSync(path, `${JSON.stringify(json, null, 2)}\n`);
  return out;
}

function queries(): Float32Array[] {
  const qs = [new Float32Array(DIM)]; // scores 0 everywhere: the order is the tie order alone
  let s = 3;
  for (let q = 0; q < 12; q++) {
    const v = new Float32Array(DIM);
    for (let j = 0; j < DIM; j++) {
      s = (Math.imul(s, 22695477) + 1) >>> 0;
      v[j] = ((s >>> 29) % 3) - 1;
    }
    qs.push(v);
  }
  return qs;
}

async function run(dir: string, options: { engine?: string; scan?: string } = {}): Promise<string> {
  const index = await Index.open(dir, {
    threads: 1,
    ...(options.engine ? { engine: options.engine } : {}),
    ...(options.scan ? { searchParams: { scan: options.scan } } : {}),
  });
  try {
    const qs = queries();
    const out: string[] = [];
    for (const k of [1, 10, 200]) {
      for (const r of await index.searchVectors(qs.map((_, i) => `q${i}`), qs, k)) {
        out.push(...r.hits.map((h) => `${r.qid} ${k} ${h.docid} ${h.score} ${h.row}`));
      }
    }
    return out.join('\n');
  } finally {
    await index.close();
  }
}

before(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'densekit-docid-index-'));
  const e = await Encoder.load(MODEL, { threads: 1 });
  encoder = { source: e.source, settings: { ...e.settings, similarity: 'dot' }, dims: DIM, trainedFor: e.trainedFor };
  await e.dispose();
  docids = makeDocids();
  writeFileSync(join(tmp, 'docids.txt'), docids.map((d) => `${d}\n`).join(''));
});
after(() => rmSync(tmp, { recursive: true, force: true }));

test('with and without the docid index, every local engine gives the same ids, scores and tie order', async () => {
  for (const dtype of ['int8', 'f32'] as const) {
    const dir = await importInto(`fresh-${dtype}`, { dtype });
    const legacy = legacyCopy(dir, `legacy-${dtype}`);
    assert.ok(readManifest(dir).docidIndex);
    assert.equal(readManifest(legacy).docidIndex, undefined);
    for (const options of [{}, { scan: 'on' }, { scan: 'off' }, { engine: 'reference' }]) {
      const fresh = await run(dir, options);
      assert.equal(fresh, await run(legacy, options), `${dtype} ${JSON.stringify(options)}`);
      // The all-zero query lists docids in descending byte order (trec_eval's tie order).
      const zero = fresh.split('\n').filter((l) => l.startsWith('q0 200 ')).map((l) => l.split(' ')[2]);
      const ranks = docidTieRanks(docids);
      const expected = docids.map((_, row) => row).sort((a, b) => ranks[b]! - ranks[a]!).slice(0, 200).map((row) => docids[row]);
      assert.deepEqual(zero, expected);
    }
  }
  const hnsw = await importInto('fresh-hnsw', { dtype: 'f32', index: 'hnsw' });
  assert.equal(await run(hnsw), await run(legacyCopy(hnsw, 'legacy-hnsw')));
});

test('ranks and docid order from an external sort of many runs equal the one-run files; upgrade writes the same files', async () => {
  const fresh = readManifest(await importInto('one-run', { dtype: 'int8' })).docidIndex!;
  const saved = RUN_IDS.value;
  RUN_IDS.value = 700; // 7 runs of 700 ids, merged
  let merged: DocidIndexRecord;
  try {
    merged = readManifest(await importInto('many-runs', { dtype: 'int8' })).docidIndex!;
  } finally {
    RUN_IDS.value = saved;
  }
  assert.deepEqual(merged, fresh);
  const legacy = legacyCopy(join(tmp, 'one-run'), 'to-upgrade');
  const before = await run(legacy);
  assert.deepEqual(upgradeIndex(legacy).docidIndex, fresh);
  assert.deepEqual(readManifest(legacy).docidIndex, fresh);
  assert.equal(await run(legacy), before);
  assert.match(upgradeIndex(legacy).reason!, /already has a docid index/);
  const cli = spawnSync(process.execPath, ['dist/src/cli/main.js', 'upgrade', legacyCopy(join(tmp, 'one-run'), 'to-upgrade-cli')], { encoding: 'utf8' });
  assert.equal(cli.status, 0, cli.stderr);
  assert.match(cli.stdout, /wrote docids\.chunks \(\d+ bytes\), docids\.ranks \(18000 bytes\), docids\.sorted \(18000 bytes\)/);
  assert.deepEqual(readManifest(join(tmp, 'to-upgrade-cli')).docidIndex, fresh);
});

test('a docid is found by its row without loading the docids, and unknown ones are not', async () => {
  const dir = join(tmp, 'fresh-int8');
  const index = await Index.open(dir);
  try {
    for (const row of [0, 1, 2, 3, 4, 5, 6, 999, 1000, 2500, ROWS - 1]) {
      assert.equal(index.docids!.docid(row), docids[row]);
      assert.equal(index.docids!.rowOf(docids[row]!), row);
    }
    for (const missing of ['', 'd', 'zzz', 'd0-', '\u{1F600}']) assert.equal(index.docids!.rowOf(missing), undefined);
    assert.deepEqual(await index.documentById(docids[7]!), undefined); // imported vectors store ids, no text
  } finally {
    await index.close();
  }
});

test('damaged docid files: a wrong size is refused at open naming the file, a flipped byte on read and by verify', async () => {
  const dir = join(tmp, 'damaged');
  cpSync(join(tmp, 'fresh-int8'), dir, { recursive: true });
  assert.deepEqual(verifyIndexDir(dir).problems, []);

  truncateSync(join(dir, 'docids.sorted'), 100);
  await assert.rejects(Index.open(dir), /docids\.sorted is 100 bytes, the manifest says 18000/);
  assert.ok(verifyIndexDir(dir).problems.some((p) => /docids\.sorted is 100 bytes/.test(p)));
  cpSync(join(tmp, 'fresh-int8', 'docids.sorted'), join(dir, 'docids.sorted'));

  const ranks = readFileSync(join(dir, 'docids.ranks'));
  ranks[40]! ^= 0x04;
  writeFileSync(join(dir, 'docids.ranks'), ranks);
  const report = verifyIndexDir(dir);
  assert.equal(report.problems.length, 1);
  assert.match(report.problems[0]!, /docids\.ranks is corrupt/);
  cpSync(join(tmp, 'fresh-int8', 'docids.ranks'), join(dir, 'docids.ranks'));

  // A flipped byte in an .ids file: opening reads no docids; the search whose hit lies in that chunk refuses it.
  const ids = readFileSync(join(dir, 'shard-00002.ids'));
  ids[3]! ^= 0x01;
  writeFileSync(join(dir, 'shard-00002.ids'), ids);
  const index = await Index.open(dir);
  try {
    assert.equal(index.docids!.docid(0), docids[0]);
    assert.throws(() => index.docids!.docid(2000), /shard-00001\.ids, \S+shard-00002\.ids: docids of rows 1792\.\.2047 fail their crc32 check/);
  } finally {
    await index.close();
  }
  assert.ok(verifyIndexDir(dir).problems.some((p) => /shard-00002\.ids is corrupt/.test(p)));
});
