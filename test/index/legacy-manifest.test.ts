// Indexes written before index engines (manifest format 1: `index` and `hnsw` fields) still open,
// read as the engine record, and give byte-identical runs (test/fixtures/legacy-index/README.md).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Encoder } from '../../src/encoder/encoder.js';
import { Index } from '../../src/index/dense-index.js';
import { readManifest } from '../../src/index/formats/manifest.js';

const FIXTURE = 'test/fixtures/legacy-index';
const MODEL = 'test/fixtures/goldens/models/bert-tiny';
let tmp: string;

/** A copy of a fixture index whose recorded model directory is this checkout's (the fixture names the machine it was built on). */
function copyOf(name: string): string {
  const dir = join(tmp, name);
  cpSync(join(FIXTURE, name), dir, { recursive: true });
  const path = join(dir, 'manifest.json');
  const json = JSON.parse(readFileSync(path, 'utf8')) as { model: { dir: string } };
  json.model.dir = resolve(MODEL);
  writeFileSync(path, `${JSON.stringify(json, null, 2)}\n`);
  return dir;
}

function search(dir: string, ...extra: string[]): string {
  const r = spawnSync(process.execPath, ['dist/src/cli/main.js', 'search', '--index', dir, '--queries', join(FIXTURE, 'queries.jsonl'), '--k', '10', ...extra], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

before(() => {
  tmp = mkdtempSync(join(tmpdir(), 'densekit-legacy-'));
});
after(() => rmSync(tmp, { recursive: true, force: true }));

test('format-1 manifests read as engine records: flat, and hnsw with its graph files and parameters', () => {
  const flat = readManifest(join(FIXTURE, 'flat-int8'));
  assert.equal(flat.formatVersion, 1);
  assert.deepEqual(flat.engine, { kind: 'flat', params: {}, files: [] });
  const hnsw = readManifest(join(FIXTURE, 'hnsw'));
  assert.equal(hnsw.engine.kind, 'hnsw');
  assert.deepEqual(hnsw.engine.params, { M: 16, efConstruction: 128 });
  assert.deepEqual(hnsw.engine.files.map((f) => f.file), ['hnsw.usearch', 'hnsw.usearch.json']);
});

test('indexes built by the pre-engine code give byte-identical runs (flat int8, hnsw, hnsw --exact)', () => {
  const flat = copyOf('flat-int8');
  const hnsw = copyOf('hnsw');
  assert.equal(search(flat), readFileSync(join(FIXTURE, 'flat-int8.run.trec'), 'utf8'));
  assert.equal(search(hnsw), readFileSync(join(FIXTURE, 'hnsw.run.trec'), 'utf8'));
  assert.equal(search(hnsw, '--exact'), readFileSync(join(FIXTURE, 'hnsw-exact.run.trec'), 'utf8'));
});

test('rerunning the build over a format-1 index finds it finished (its parameters read as the same engine choice)', async () => {
  const dir = copyOf('hnsw');
  const corpus = join(tmp, 'legacy-corpus.jsonl');
  writeFileSync(corpus, readFileSync('test/fixtures/data/scifact/corpus.jsonl', 'utf8').split('\n').slice(0, 60).join('\n') + '\n');
  const encoder = await Encoder.load(MODEL);
  try {
    const result = await Index.build({ encoder, corpusPath: corpus, outDir: dir, index: 'hnsw', shardSize: 25 });
    assert.equal(result.alreadyComplete, true);
    await assert.rejects(Index.build({ encoder, corpusPath: corpus, outDir: dir, index: 'hnsw:M=8', shardSize: 25 }), /engine\.params\.M: existing 16, this run 8/);
  } finally {
    await encoder.dispose();
  }
});
