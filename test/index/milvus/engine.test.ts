// The milvus engine through the CLI and the library against a real server, on small bert-tiny indexes:
// index into a collection named after --out, search it; slices of one corpus upload into one collection;
// imported vectors; and the clear errors (count, missing collection, dims, metric, unreachable, auth,
// passages too long for the collection).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { MilvusClient } from '@zilliz/milvus2-sdk-node';
import { Encoder } from '../../../src/encoder/encoder.js';
import { importVectors } from '../../../src/index/import/import-vectors.js';
import { MilvusCollection } from '../../../src/index/engines/milvus/collection.js';
import { connectMilvus } from '../../../src/index/engines/milvus/connection.js';
import { Index } from '../../../src/index/index.js';
import { readManifest } from '../../../src/index/formats/manifest.js';
import { cleanUpMilvus, milvusForTests } from '../../support/milvus.js';
import { BERT_TINY, scifactRecords } from '../../server/fixture-index.js';

const milvus = await milvusForTests();
const CLI = 'dist/src/cli/main.js';

function cli(args: string[], env: NodeJS.ProcessEnv = process.env) {
  return spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env });
}

describe('milvus engine (CLI, slices, import, errors)', { skip: milvus.skip }, () => {
  const server = milvus.server!;
  const tag = `${process.pid}`;
  let tmp: string;
  let corpus: string;
  let client: MilvusClient;
  let tinyDir: string;

  before(async () => {
    if (server.token !== undefined) process.env.MILVUS_TOKEN = server.token;
    tmp = mkdtempSync(join(tmpdir(), 'densekit-milvus-engine-'));
    corpus = join(tmp, 'corpus.jsonl');
    writeFileSync(corpus, scifactRecords(60).map((r) => JSON.stringify({ _id: r.id, title: r.title, text: r.text })).join('\n') + '\n');
    client = await connectMilvus({ uri: server.uri, token: server.token });
    tinyDir = join(tmp, `tiny_${tag}`);
    const r = cli(['index', '--model', BERT_TINY, '--corpus', corpus, '--out', tinyDir, '--index', 'milvus', '--milvus-uri', server.uri, '--threads', '1']);
    assert.equal(r.status, 0, r.stderr);
  });
  after(async () => {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
    await cleanUpMilvus(server, client, (name) => name.endsWith(tag));
  });

  it('densekit index --index milvus keeps only the manifest, names the collection after --out, and search reads Milvus', async () => {
    assert.deepEqual(readdirSync(tinyDir), ['manifest.json']);
    const m = readManifest(tinyDir);
    assert.equal(m.engine.kind, 'milvus');
    assert.deepEqual(m.engine.params, { uri: server.uri, collection: `tiny_${tag}`, replicas: 1, type: 'FLAT' });
    assert.equal(m.count, 60);
    if (server.token !== undefined) assert.ok(!readFileSync(join(tinyDir, 'manifest.json'), 'utf8').includes(server.token));
    const r = cli(['search', '--index', tinyDir, '--query', 'vitamin deficiency', '--k', '3', '--format', 'jsonl']);
    assert.equal(r.status, 0, r.stderr);
    const hits = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { docid: string; text?: string });
    assert.equal(hits.length, 3);
    const index = await Index.open(tinyDir, { threads: 1 });
    try {
      const [lib] = await index.search([{ id: '0', text: 'vitamin deficiency' }], 3);
      assert.deepEqual(hits.map((h) => h.docid), lib!.hits.map((h) => h.docid));
      const [doc] = await index.documents([lib!.hits[0]!]);
      assert.equal(doc?.text, scifactRecords(60).find((x) => x.id === lib!.hits[0]!.docid)?.text);
    } finally {
      await index.close();
    }
  });

  it('--shard i/n slices upload straight into one collection; each slice directory searches the whole of it', async () => {
    const dirs = [0, 1].map((i) => join(tmp, `slice${i}`));
    const slice = (i: number) => cli(['index', '--model', BERT_TINY, '--corpus', corpus, '--out', dirs[i]!, '--index', 'milvus:type=HNSW,M=8,efConstruction=64', '--collection', `slices_${tag}`, '--shard', `${i}/2`, '--shard-size', '16', '--threads', '1']);
    const first = slice(0);
    assert.equal(first.status, 0, first.stderr);
    // Until every slice is in, the collection holds fewer passages than the corpus: opening says so.
    await assert.rejects(Index.open(dirs[0]!), /collection "slices_\d+" holds 32 passages, but .*slice0\/manifest\.json says 60 \(an upload still running or cut short/);
    const second = slice(1);
    assert.equal(second.status, 0, second.stderr);
    const results = [];
    for (const dir of dirs) {
      const index = await Index.open(dir, { threads: 1 });
      try {
        assert.equal(index.engine.count, 60);
        results.push(await index.search([{ id: 'q', text: 'cancer treatment outcomes' }], 10));
      } finally {
        await index.close();
      }
    }
    assert.deepEqual(results[0], results[1]);
    // A finished slice run again has nothing to do.
    const again = slice(0);
    assert.equal(again.status, 0, again.stderr);
    assert.match(again.stderr, /already holds this finished index/);
  });

  it('imports vectors made elsewhere (ids only, no passages)', async () => {
    const fixture = JSON.parse(readFileSync('test/fixtures/import/expected.json', 'utf8')) as { docids: string[]; faiss_top3_ip_of_row0: number[][] };
    const encoder = await Encoder.load(BERT_TINY, { threads: 1 });
    const dir = join(tmp, 'imported');
    try {
      // Only the model's identity is recorded; these 6-dim vectors are searched by vector below.
      await importVectors({ encoder: { source: encoder.source, settings: { ...encoder.settings, similarity: 'dot' }, dims: 6 }, vectorsPath: 'test/fixtures/import/vectors-v1.npy', docidsPath: 'test/fixtures/import/docid', outDir: dir, index: { kind: 'milvus', params: { uri: server.uri, collection: `imported_${tag}` } } });
    } finally {
      await encoder.dispose();
    }
    const index = await Index.open(dir);
    try {
      const row0 = (JSON.parse(readFileSync('test/fixtures/import/expected.json', 'utf8')) as { vectors: number[][] }).vectors[0]!;
      const [hits] = await index.searchVectors(['q'], [Float32Array.from(row0)], 3);
      assert.deepEqual(hits!.hits.map((h) => h.docid), fixture.faiss_top3_ip_of_row0[0]!.map((i) => fixture.docids[i]!));
      assert.equal(index.storesText, false);
    } finally {
      await index.close();
    }
  });

  it('says what is wrong: count, missing collection, dims, metric, unreachable server, refused token', async () => {
    const manifestOf = (dir: string) => JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { engine: { params: Record<string, unknown> }; similarity: string; encoder: { similarity: string } };
    const variant = (name: string, edit: (m: ReturnType<typeof manifestOf>) => void): string => {
      const dir = join(tmp, name);
      cpSync(tinyDir, dir, { recursive: true });
      const m = manifestOf(dir);
      edit(m);
      writeFileSync(join(dir, 'manifest.json'), JSON.stringify(m, null, 2));
      return dir;
    };
    const dims = readManifest(tinyDir).dims;
    // an extra row written behind densekit's back
    const extra = new MilvusCollection(client, `tiny_${tag}`, server.uri);
    await extra.upsert([{ id: 'stray', text: 'x', vector: new Float32Array(dims) }]);
    await assert.rejects(Index.open(tinyDir), /collection "tiny_\d+" holds 61 passages, but .*manifest\.json says 60/);
    await client.delete({ collection_name: `tiny_${tag}`, filter: 'docid in ["stray"]' });
    const ok = await Index.open(tinyDir);
    await ok.close();

    const missing = variant('missing', (m) => (m.engine.params.collection = `never_made_${tag}`));
    await assert.rejects(Index.open(missing), /collection "never_made_\d+" does not exist \(build it with densekit index\/import --index milvus/);

    await new MilvusCollection(client, `dims8_${tag}`, server.uri).ensure({ dims: 8, metric: 'IP' });
    await assert.rejects(Index.open(variant('dims', (m) => (m.engine.params.collection = `dims8_${tag}`))), new RegExp(`holds 8-dimensional vectors; this index has ${dims}`));

    await new MilvusCollection(client, `cosine_${tag}`, server.uri).ensure({ dims, metric: 'COSINE' });
    await assert.rejects(Index.open(variant('metric', (m) => (m.engine.params.collection = `cosine_${tag}`))), /was created for metric COSINE; this index's similarity needs IP/);

    await assert.rejects(Index.open(tinyDir, { searchParams: { uri: '127.0.0.1:1' } }), /milvus 127\.0\.0\.1:1: server unreachable/);
    const search = cli(['search', '--index', tinyDir, '--query', 'x', '--milvus-uri', '127.0.0.1:1']);
    assert.notEqual(search.status, 0);
    assert.match(search.stderr, /server unreachable/);

    if (server.auth) {
      const refused = cli(['search', '--index', tinyDir, '--query', 'x'], { ...process.env, MILVUS_TOKEN: 'root:wrong' });
      assert.notEqual(refused.status, 0);
      assert.match(refused.stderr, /authentication refused: the token was refused/);
    }
  });

  it('refuses a passage longer than the collection holds, naming it, instead of cutting it', () => {
    const long = join(tmp, 'long.jsonl');
    writeFileSync(long, [JSON.stringify({ _id: 'short', text: 'fine' }), JSON.stringify({ _id: 'too-long', text: 'word '.repeat(14_000) })].join('\n') + '\n');
    const r = cli(['index', '--model', BERT_TINY, '--corpus', long, '--out', join(tmp, `long_${tag}`), '--index', 'milvus', '--threads', '1']);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /passage "too-long" cannot be stored in milvus collection "long_\d+": its text is 70000 UTF-8 bytes; the Milvus collection holds at most 65535/);
  });
});
