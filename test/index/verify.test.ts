import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VectorShardReader } from '../../src/index/formats/shard-reader.js';

// `densekit verify` and the lazy block checks of a search, on an index built by the CLI.

const CLI = 'dist/src/cli/main.js';
const MODEL = 'test/fixtures/goldens/models/bert-tiny';
let tmp: string;
let corpus: string;

before(() => {
  tmp = mkdtempSync(join(tmpdir(), 'densekit-verify-'));
  corpus = join(tmp, 'corpus.jsonl');
  writeFileSync(corpus, readFileSync('test/fixtures/data/scifact/corpus.jsonl', 'utf8').split('\n').slice(0, 120).join('\n') + '\n');
});
after(() => rmSync(tmp, { recursive: true, force: true }));

const densekit = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });

function build(name: string, dtype: string, ...more: string[]): string {
  const out = join(tmp, name);
  const r = densekit('index', '--model', MODEL, '--corpus', corpus, '--out', out, '--shard-size', '40', '--max-length', '32', '--dtype', dtype, ...more);
  assert.equal(r.status, 0, r.stderr);
  return out;
}

test('verify passes a sound index and lists every damaged, truncated or missing file of a broken one', () => {
  const dir = build('broken', 'int8');
  const sound = densekit('verify', dir);
  assert.equal(sound.status, 0, sound.stderr);
  assert.match(sound.stdout, /15 files verified, no problems/); // 3 shards × (vectors, docids, docs, offsets) + the docid index's 3
  // shard 0: one flipped bit in a code of its only block; shard 1: cut short; shard 2: docids gone.
  const v0 = join(dir, 'shard-00000.vec');
  const bytes = readFileSync(v0);
  bytes[64 + 7]! ^= 0x01;
  writeFileSync(v0, bytes);
  truncateSync(join(dir, 'shard-00001.vec'), 100);
  unlinkSync(join(dir, 'shard-00002.ids'));
  const r = densekit('verify', dir);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /shard-00000\.vec: checksum mismatch/);
  assert.match(r.stderr, /shard-00001\.vec: (file is 100 bytes|trailer missing)/);
  assert.match(r.stderr, /shard-00002\.ids is missing/);
  assert.match(r.stderr, /3 problem\(s\)/);
});

test('a flipped byte in a vector block is caught when a search reads the block, not by hashing at open', () => {
  const dir = build('flipped', 'f16');
  const v1 = join(dir, 'shard-00001.vec');
  const reader = VectorShardReader.open(v1);
  assert.equal(reader.version, 2);
  reader.close();
  const bytes = readFileSync(v1);
  bytes[64 + 100]! ^= 0x40;
  writeFileSync(v1, bytes);
  const r = densekit('search', '--index', dir, '--query', 'vitamin D', '--k', '3');
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /shard-00001\.vec: block 0 \(rows 0\.\.39\) is corrupt: crc32/);
});

test('a flipped byte in a doc store file is caught before its text is served, not by hashing at open', () => {
  const dir = build('docs-flipped', 'int8');
  const before = densekit('search', '--index', dir, '--query', 'vitamin D', '--k', '120', '--format', 'jsonl');
  assert.equal(before.status, 0, before.stderr);
  // Flip a byte inside a passage's text in shard 2: the JSON stays valid and the ids still match,
  // so only the hash can tell.
  const docs = join(dir, 'shard-00002.docs.jsonl');
  const bytes = readFileSync(docs);
  const at = bytes.indexOf('"text":"') + 12;
  bytes[at] = bytes[at] === 0x61 ? 0x62 : 0x61;
  writeFileSync(docs, bytes);
  // Opening and a search that reads no text from shard 2 (ids only) still work...
  const ids = densekit('search', '--index', dir, '--query', 'vitamin D', '--k', '3');
  assert.equal(ids.status, 0, ids.stderr);
  // ...a search whose hits need shard 2's text is refused, naming the file.
  const text = densekit('search', '--index', dir, '--query', 'vitamin D', '--k', '120', '--format', 'jsonl');
  assert.notEqual(text.status, 0);
  assert.match(text.stderr, /shard-00002\.docs\.jsonl is corrupt: sha256/);
  const v = densekit('verify', dir);
  assert.notEqual(v.status, 0);
  assert.match(v.stdout + v.stderr, /shard-00002\.docs\.jsonl/);
});

test('an HNSW graph file: a flipped byte is found by verify (opening hashes nothing), a cut-short one by verify and by opening, each naming the file', () => {
  const dir = build('hnsw', 'int8', '--index', 'hnsw');
  const graph = join(dir, 'hnsw.usearch');
  const search = () => densekit('search', '--index', dir, '--query', 'vitamin D', '--k', '3', '--rescore', '10');
  const before = search();
  assert.equal(before.status, 0, before.stderr);
  const bytes = readFileSync(graph);
  // A byte of an i8 vector in the graph: the search still runs (approximate scores move), verify says where.
  const flipped = Buffer.from(bytes);
  flipped[8 + 5]! ^= 0x10;
  writeFileSync(graph, flipped);
  assert.equal(search().status, 0);
  const v = densekit('verify', dir);
  assert.equal(v.status, 1);
  assert.match(v.stderr, /hnsw\.usearch is corrupt: sha256/);
  truncateSync(graph, bytes.length - 4);
  const cut = search();
  assert.notEqual(cut.status, 0);
  assert.match(cut.stderr, /hnsw\.usearch is \d+ bytes, the manifest says \d+ \(truncated or replaced\)/);
  assert.match(densekit('verify', dir).stderr, /hnsw\.usearch is \d+ bytes, the manifest says/);
});
