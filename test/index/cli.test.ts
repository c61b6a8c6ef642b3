import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseTrecRun } from '../../src/eval/run.js';
import { densekit, densekitOk } from '../support/cli.js';

// The index, merge and search commands as a user runs them.

const MODEL = 'test/fixtures/goldens/models/bert-tiny';

let tmp: string;
let corpus: string;
let lines: string[];

before(() => {
  tmp = mkdtempSync(join(tmpdir(), 'densekit-index-cli-'));
  corpus = join(tmp, 'corpus.jsonl');
  lines = readFileSync('test/fixtures/data/scifact/corpus.jsonl', 'utf8').split('\n').slice(0, 600);
  writeFileSync(corpus, `${lines.join('\n')}\n`);
});
after(() => rmSync(tmp, { recursive: true, force: true }));

const ok = densekitOk;

const build = (out: string, ...extra: string[]) =>
  ok('index', '--model', MODEL, '--corpus', corpus, '--out', out, '--shard-size', '50', '--max-length', '48', ...extra);

function snapshot(dir: string): Map<string, Buffer> {
  return new Map(readdirSync(dir).sort().map((name) => [name, readFileSync(join(dir, name))]));
}

test('slices (--shard i/n) merged equal one run byte for byte', () => {
  const single = join(tmp, 'single');
  build(single);
  // 600 records in 12 shards over 5 slices: uneven slices (2, 2, 3, 2, 3 shards), merged in any order.
  const slices = [0, 1, 2, 3, 4].map((i) => {
    const dir = join(tmp, `slice-${i}`);
    build(dir, '--shard', `${i}/5`);
    return dir;
  });
  const sliceManifest = JSON.parse(readFileSync(join(slices[2]!, 'manifest.json'), 'utf8')) as { count: number; slice: unknown };
  assert.deepEqual(sliceManifest.slice, { i: 2, n: 5, firstShard: 4, shardCount: 3, totalCount: 600 });
  assert.equal(sliceManifest.count, 150);
  const merged = join(tmp, 'merged');
  ok('merge', '--out', merged, ...[...slices].reverse());
  const want = snapshot(single);
  const got = snapshot(merged);
  assert.deepEqual([...got.keys()], [...want.keys()]);
  for (const [name, bytes] of want) assert.ok(bytes.equals(got.get(name)!), `${name} differs`);

  const missing = densekit('merge', '--out', join(tmp, 'merged-missing'), slices[0]!, slices[1]!, slices[3]!, slices[4]!);
  assert.notEqual(missing.status, 0);
  assert.match(missing.stderr, /slice 2\/5 is missing/);
});

test('--shard i/n on a corpus smaller than one window: empty slices warn and say which --shard-size splits it; every split merges into the single run', () => {
  const small = join(tmp, 'small.jsonl');
  writeFileSync(small, `${lines.slice(0, 50).join('\n')}\n`);
  const index = (out: string, ...extra: string[]) => ok('index', '--model', MODEL, '--corpus', small, '--out', out, '--max-length', '48', ...extra);
  for (const shardSize of [[], ['--shard-size', '12']]) {
    const tag = shardSize.length ? 'ss12' : 'default';
    const single = join(tmp, `small-single-${tag}`);
    index(single, ...shardSize);
    const counts: number[] = [];
    const slices = [0, 1, 2, 3].map((i) => {
      const dir = join(tmp, `small-slice-${tag}-${i}`);
      const r = index(dir, ...shardSize, '--shard', `${i}/4`);
      const m = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { count: number };
      counts.push(m.count);
      if (m.count === 0) assert.match(r.stderr, new RegExp(`warning: slice ${i}/4 is empty: .*50 records make 1 shard\\(s\\) of --shard-size 8192.*--shard-size 12 or less`));
      else assert.doesNotMatch(r.stderr, /is empty/);
      return dir;
    });
    // One 8,192-record window cannot be split; 12-record windows (5 of them) are dealt out 1, 1, 1, 2.
    assert.deepEqual(counts, shardSize.length ? [12, 12, 12, 14] : [0, 0, 0, 50]);
    const merged = join(tmp, `small-merged-${tag}`);
    ok('merge', '--out', merged, ...slices);
    const want = snapshot(single);
    const got = snapshot(merged);
    assert.deepEqual([...got.keys()], [...want.keys()]);
    for (const [name, bytes] of want) assert.ok(bytes.equals(got.get(name)!), `${tag}: ${name} differs`);
  }
});

test('export: a flat index moved to hnsw without re-encoding equals an hnsw build byte for byte', () => {
  const exported = join(tmp, 'exported-hnsw');
  const r = ok('export', '--from', join(tmp, 'single'), '--out', exported, '--index', 'hnsw:M=8');
  assert.match(r.stderr, /exported 600 passages .* \(hnsw\)/);
  const direct = join(tmp, 'direct-hnsw');
  build(direct, '--index', 'hnsw', '--hnsw-m', '8');
  const want = snapshot(direct);
  const got = snapshot(exported);
  assert.deepEqual([...got.keys()], [...want.keys()]);
  for (const [name, bytes] of want) assert.ok(bytes.equals(got.get(name)!), `${name} differs`);
  const again = densekit('export', '--from', join(tmp, 'single'), '--out', exported, '--index', 'hnsw');
  assert.notEqual(again.status, 0);
  assert.match(again.stderr, /exported-hnsw is not empty/);
  const slice = densekit('export', '--from', join(tmp, 'slice-0'), '--out', join(tmp, 'exported-slice'), '--index', 'hnsw');
  assert.match(slice.stderr, /a slice \(0\/5\); merge the slices first/);
});

test('search writes trec, msmarco, jsonl and dpr-json runs', () => {
  const dir = join(tmp, 'single');
  const queries = join(tmp, 'queries.tsv');
  writeFileSync(queries, 'q1\tvitamin D deficiency\nq2\tcell migration in cancer\n');
  const trec = join(tmp, 'run.trec');
  ok('search', '--index', dir, '--queries', queries, '--k', '20', '--output', trec);
  const run = parseTrecRun(readFileSync(trec, 'utf8'));
  assert.deepEqual([...run.keys()], ['q1', 'q2']);
  for (const list of run.values()) assert.equal(list.docids.length, 20);
  const trecLines = readFileSync(trec, 'utf8').trim().split('\n');
  assert.match(trecLines[0]!, /^q1 Q0 \S+ 1 -?[\d.e+-]+ densekit$/);

  const msmarco = ok('search', '--index', dir, '--queries', queries, '--k', '3', '--format', 'msmarco').stdout.trim().split('\n');
  assert.deepEqual(msmarco.map((l) => l.split('\t').slice(0, 1).concat(l.split('\t')[2]!)), [['q1', '1'], ['q1', '2'], ['q1', '3'], ['q2', '1'], ['q2', '2'], ['q2', '3']]);
  assert.deepEqual(msmarco.map((l) => l.split('\t')[1]), trecLines.filter((l) => / [123] \S+ densekit$/.test(l)).map((l) => l.split(' ')[2]));

  const jsonl = ok('search', '--index', dir, '--query', 'vitamin D', '--k', '2', '--format', 'jsonl').stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.equal(jsonl.length, 2);
  assert.deepEqual(Object.keys(jsonl[0]!), ['qid', 'docid', 'rank', 'score', 'title', 'text']);
  const source = lines.map((l) => JSON.parse(l) as { _id: string; title: string; text: string }).find((r) => r._id === jsonl[0]!.docid)!;
  assert.equal(jsonl[0]!.text, source.text);

  const qa = join(tmp, 'qa.tsv');
  writeFileSync(qa, "what does vitamin D do\t['calcium', 'bone']\n");
  const dpr = join(tmp, 'run.json');
  ok('search', '--index', dir, '--queries', qa, '--k', '5', '--format', 'dpr-json', '--output', dpr);
  const entries = JSON.parse(readFileSync(dpr, 'utf8')) as { question: string; answers: string[]; ctxs: { id: string; title: string; text: string; score: number; has_answer: boolean }[] }[];
  assert.equal(entries.length, 1);
  assert.equal(entries[0]!.question, 'what does vitamin D do');
  assert.deepEqual(entries[0]!.answers, ['calcium', 'bone']);
  assert.equal(entries[0]!.ctxs.length, 5);
  for (const c of entries[0]!.ctxs) {
    assert.equal(typeof c.has_answer, 'boolean');
    assert.equal(c.has_answer, /\b(calcium|bone)\b/i.test(c.text), `has_answer of ${c.id}`);
  }
});

test('bad input is refused with file:line, and --skip-bad reports what it skipped', () => {
  const bad = join(tmp, 'bad.jsonl');
  writeFileSync(bad, [lines[0], lines[1], 'not json at all', lines[2]].join('\n'));
  const stop = densekit('index', '--model', MODEL, '--corpus', bad, '--out', join(tmp, 'bad'), '--max-length', '32');
  assert.equal(stop.status, 1);
  assert.match(stop.stderr, new RegExp(`densekit: error: ${bad.replace(/\./g, '\\.')}:3: not valid JSON`));

  const skipped = build(join(tmp, 'skipped-bad'), '--corpus', bad, '--skip-bad');
  assert.match(skipped.stderr, /indexed 3 passages/);
  assert.match(skipped.stderr, /skipped 1 malformed line\(s\)[^\n]*\n\s+\S*bad\.jsonl:3: not valid JSON/);

  const weird = join(tmp, 'weird-queries.txt');
  writeFileSync(weird, 'just some words without any tabs\n');
  const q = densekit('search', '--index', join(tmp, 'single'), '--queries', weird);
  assert.equal(q.status, 1);
  assert.match(q.stderr, /unknown query file format; tried tsv .*beir .*dpr-qa .*jsonl/);

  const notEmpty = join(tmp, 'not-empty');
  mkdirSync(notEmpty);
  writeFileSync(join(notEmpty, 'notes.txt'), 'mine');
  const r = densekit('index', '--model', MODEL, '--corpus', corpus, '--out', notEmpty, '--max-length', '32');
  assert.equal(r.status, 1);
  assert.match(r.stderr, /not-empty is not empty and holds no densekit index build \(found notes\.txt\)/);
});

/** A .npy (format 1.0) file of float32 rows. */
function npy(rows: Float32Array, dim: number): Buffer {
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${rows.length / dim}, ${dim}), }`;
  header += ' '.repeat(63 - ((10 + header.length) % 64)) + '\n';
  const pre = Buffer.alloc(10);
  pre.write('\x93NUMPY', 0, 'latin1');
  pre[6] = 1;
  pre.writeUInt16LE(header.length, 8);
  return Buffer.concat([pre, Buffer.from(header, 'latin1'), Buffer.from(rows.buffer, rows.byteOffset, rows.byteLength)]);
}

test('import: .npy vectors + docids become an index that searches like the original', async () => {
  const { VectorStore } = await import('../../src/index/formats/vector-store.js');
  const { readManifest } = await import('../../src/index/formats/manifest.js');
  const source = join(tmp, 'single');
  const m = readManifest(source);
  const store = VectorStore.open(source, m.shards.map((s) => s.vectors.file));
  const rows = store.readRows(0, store.count);
  store.close();
  writeFileSync(join(tmp, 'vectors.npy'), npy(rows, m.dims));
  writeFileSync(join(tmp, 'docids.txt'), m.shards.map((s) => readFileSync(join(source, s.docids.file), 'utf8')).join(''));
  const imported = join(tmp, 'imported');
  const importRun = ok('import', '--model', MODEL, '--max-length', '48', '--vectors', join(tmp, 'vectors.npy'), '--docids', join(tmp, 'docids.txt'), '--out', imported);
  assert.match(importRun.stderr, /densekit: importing 600 vectors\n[^]*densekit: imported 600\/600 vectors/, 'progress on stderr');
  const q = ['--query', 'vitamin D deficiency', '--k', '10'];
  assert.equal(ok('search', '--index', imported, ...q).stdout, ok('search', '--index', source, ...q).stdout);
  const dpr = densekit('search', '--index', imported, ...q, '--format', 'dpr-json');
  assert.equal(dpr.status, 1);
  assert.match(dpr.stderr, /dpr-json format needs passage text/);

  const l2 = densekit('import', '--model', MODEL, '--vectors', 'test/fixtures/import/flat-l2.index', '--docids', 'test/fixtures/import/docid', '--out', join(tmp, 'l2'));
  assert.equal(l2.status, 1);
  assert.match(l2.stderr, /flat-l2\.index: uses the L2 metric/);
  const narrow = densekit('import', '--model', MODEL, '--vectors', 'test/fixtures/import/flat-ip.index', '--docids', 'test/fixtures/import/docid', '--out', join(tmp, 'narrow'));
  assert.equal(narrow.status, 1);
  assert.match(narrow.stderr, /flat-ip\.index: vectors have 6 dims but the model .* gives 32/);
});
