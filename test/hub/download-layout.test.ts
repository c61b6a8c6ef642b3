import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { lstat, readFile, readdir, readlink, realpath } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, beforeEach, test } from 'node:test';
import { HubError, resolveModel } from '../../src/hub/index.js';
import { GOLDEN_MODELS_DIR, repoFromDirectory, startHubServer, freshHubEnv, tempHubEnv, type HubServer, type TempHubEnv } from '../support/hub-server.js';

let server: HubServer;
let env: TempHubEnv;

before(async () => {
  server = await startHubServer();
  // A repo with two commits: `main` is bert-tiny, branch `v2` changes config.json.
  const base = repoFromDirectory('densekit-test/bert-tiny-branches', join(GOLDEN_MODELS_DIR, 'bert-tiny'));
  const files = base.commits[0]!.files;
  const config = JSON.parse(files['config.json']!.toString('utf8')) as Record<string, unknown>;
  const v2Config = Buffer.from(JSON.stringify({ ...config, densekit_revision: 'v2' }, null, 2));
  server.addRepo({
    id: base.id,
    commits: [
      { files, refs: ['main'] },
      { files: { ...files, 'config.json': v2Config }, refs: ['v2', 'release-tag'] },
    ],
  });
});
after(() => server.close());
beforeEach(() => {
  env = freshHubEnv(server, env);
});
after(() => env?.cleanup());

const repoRoot = (id: string) => join(env.hfHome, 'hub', `models--${id.replace('/', '--')}`);

test('downloads an encoder into the huggingface_hub layout: blobs, relative snapshot links, refs/main', async () => {
  const id = 'densekit-test/bert-tiny';
  const dir = await resolveModel(id, { progress: false });
  const commit = server.commitOf(id);
  assert.equal(dir, join(repoRoot(id), 'snapshots', commit));
  assert.equal(await readFile(join(repoRoot(id), 'refs', 'main'), 'utf8'), commit);

  // bert-tiny has both formats: safetensors is preferred and pytorch_model.bin left alone.
  const expected = ['config.json', 'model.safetensors', 'special_tokens_map.json', 'tokenizer_config.json', 'vocab.txt'];
  assert.deepEqual((await readdir(dir)).sort(), expected);
  for (const name of expected) {
    const link = join(dir, name);
    assert.ok((await lstat(link)).isSymbolicLink(), `${name} is a symlink`);
    const etag = server.blobEtagOf(id, name);
    assert.equal(await readlink(link), `../../blobs/${etag}`, `${name} links relatively to its blob`);
    const content = await readFile(link);
    assert.deepEqual(content, await readFile(join(GOLDEN_MODELS_DIR, 'bert-tiny', name)), `${name} has the served bytes`);
  }
  // LFS blobs are named by sha256, small files by git blob sha1.
  const weights = await readFile(join(dir, 'model.safetensors'));
  assert.equal(server.blobEtagOf(id, 'model.safetensors'), createHash('sha256').update(weights).digest('hex'));
  const vocab = await readFile(join(dir, 'vocab.txt'));
  const gitSha = createHash('sha1').update(Buffer.concat([Buffer.from(`blob ${vocab.length}\0`), vocab])).digest('hex');
  assert.equal(server.blobEtagOf(id, 'vocab.txt'), gitSha);
  assert.deepEqual((await readdir(join(repoRoot(id), 'blobs'))).sort(), expected.map((n) => server.blobEtagOf(id, n)).sort());
  assert.equal(server.byteDownloads('pytorch_model.bin').length, 0, 'no pytorch_model.bin when safetensors exist');
});

test('a second resolve downloads nothing and makes only the revision call', async () => {
  const id = 'densekit-test/bert-tiny';
  const first = await resolveModel(id, { progress: false });
  assert.equal(server.byteDownloads('model.safetensors').length, 1);
  server.requests.length = 0;
  const second = await resolveModel(id, { progress: false });
  assert.equal(second, first);
  assert.deepEqual(
    server.requests.map((r) => `${r.method} ${r.path}`),
    [`GET /api/models/${id}/revision/main`],
  );
});

test('sentence-transformers repo: modules.json, its Pooling folder, fp16 safetensors', async () => {
  const id = 'densekit-test/st-bert-tiny-fp16';
  const dir = await resolveModel(id, { progress: false });
  assert.deepEqual((await readdir(dir)).sort(), [
    '1_Pooling',
    'config.json',
    'model.safetensors',
    'modules.json',
    'sentence_bert_config.json',
    'special_tokens_map.json',
    'tokenizer_config.json',
    'vocab.txt',
  ]);
  const pooling = join(dir, '1_Pooling', 'config.json');
  assert.equal(await readlink(pooling), `../../../blobs/${server.blobEtagOf(id, '1_Pooling/config.json')}`);
  assert.ok(JSON.parse(await readFile(pooling, 'utf8')).pooling_mode_cls_token);
});

test('a repo with only pytorch_model.bin gets it (legacy DPR checkpoint)', async () => {
  const dir = await resolveModel('densekit-test/dpr-question-tiny', { progress: false });
  const names = await readdir(dir);
  assert.ok(names.includes('pytorch_model.bin'));
  assert.ok(!names.includes('model.safetensors'));
});

test('@revision: a branch gets its own snapshot and ref; a commit sha writes no ref', async () => {
  const id = 'densekit-test/bert-tiny-branches';
  const mainDir = await resolveModel(id, { progress: false });
  const v2Dir = await resolveModel(`${id}@v2`, { progress: false });
  const v2Commit = server.commitOf(id, 'v2');
  assert.notEqual(server.commitOf(id, 'main'), v2Commit);
  assert.equal(v2Dir, join(repoRoot(id), 'snapshots', v2Commit));
  assert.equal(await readFile(join(repoRoot(id), 'refs', 'v2'), 'utf8'), v2Commit);
  assert.equal(JSON.parse(await readFile(join(v2Dir, 'config.json'), 'utf8')).densekit_revision, 'v2');
  assert.equal(JSON.parse(await readFile(join(mainDir, 'config.json'), 'utf8')).densekit_revision, undefined);
  // Unchanged files share one blob across both snapshots.
  assert.equal(await realpath(join(v2Dir, 'model.safetensors')), await realpath(join(mainDir, 'model.safetensors')));
  assert.equal(server.byteDownloads('model.safetensors').length, 1);

  const mainCommit = server.commitOf(id, 'main');
  server.requests.length = 0;
  const byCommit = await resolveModel(`${id}@${mainCommit}`, { progress: false });
  assert.equal(byCommit, mainDir);
  assert.equal(server.byteDownloads().length, 0);
  assert.equal(server.requests[0]?.path, `/api/models/${id}/revision/${mainCommit}`);
  assert.deepEqual((await readdir(join(repoRoot(id), 'refs'))).sort(), ['main', 'v2']);
});

test('HF_TOKEN is sent as a bearer token; without it a protected hub refuses clearly', async () => {
  const guarded = await startHubServer({ token: 'hf_secret' });
  const guardedEnv = tempHubEnv(guarded);
  try {
    guardedEnv.apply();
    await assert.rejects(resolveModel('densekit-test/bert-tiny', { progress: false }), (err: unknown) => {
      assert.ok(err instanceof HubError);
      assert.equal(err.kind, 'unauthorized');
      assert.match(err.message, /densekit-test\/bert-tiny/);
      assert.match(err.message, /HF_TOKEN/);
      return true;
    });
    process.env.HF_TOKEN = 'hf_secret';
    const dir = await resolveModel('densekit-test/bert-tiny', { progress: false });
    assert.ok((await readdir(dir)).includes('model.safetensors'));
    const hubRequests = guarded.requests.filter((r) => !r.path.startsWith('/lfs/'));
    assert.ok(hubRequests.length > 1);
    for (const r of hubRequests.slice(1)) assert.equal(r.headers.authorization, 'Bearer hf_secret', `${r.method} ${r.path}`);
    // The LFS redirect leads to another origin (a CDN): the token must not follow it there.
    const cdnRequests = guarded.requests.filter((r) => r.path.startsWith('/lfs/'));
    assert.equal(cdnRequests.length, 1);
    assert.equal(cdnRequests[0]!.headers.authorization, undefined);
  } finally {
    delete process.env.HF_TOKEN;
    guardedEnv.cleanup();
    await guarded.close();
  }
});

test('unknown repo, unknown revision: clear errors and nothing cached', async () => {
  await assert.rejects(resolveModel('densekit-test/no-such-model', { progress: false }), (err: unknown) => {
    assert.ok(err instanceof HubError);
    assert.equal(err.kind, 'repo-not-found');
    assert.match(err.message, /hub repository "densekit-test\/no-such-model" not found/);
    return true;
  });
  await assert.rejects(resolveModel('densekit-test/bert-tiny@no-such-branch', { progress: false }), (err: unknown) => {
    assert.ok(err instanceof HubError);
    assert.equal(err.kind, 'revision-not-found');
    assert.match(err.message, /revision "no-such-branch" not found in hub repository "densekit-test\/bert-tiny"/);
    return true;
  });
  await assert.rejects(readdir(repoRoot('densekit-test/no-such-model')), { code: 'ENOENT' });
});

test('the files option fetches exactly the matching files (huggingface_hub allow_patterns)', async () => {
  const dir = await resolveModel('densekit-test/bert-tiny', { files: ['pytorch_model.bin', '*.json'], progress: false });
  assert.deepEqual((await readdir(dir)).sort(), ['config.json', 'pytorch_model.bin', 'special_tokens_map.json', 'tokenizer_config.json']);
  assert.equal(server.byteDownloads('model.safetensors').length, 0);
  await assert.rejects(resolveModel('densekit-test/bert-tiny', { files: ['tf_model.h5'], progress: false }), /lacks tf_model\.h5 \(matches no file\)/);
});
