import assert from 'node:assert/strict';
import { readdir, rm, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, beforeEach, test } from 'node:test';
import { HubError, resolveModel } from '../../src/hub/index.js';
import { startHubServer, freshHubEnv, type HubServer, type TempHubEnv } from '../support/hub-server.js';

let server: HubServer;
let env: TempHubEnv;
const id = 'densekit-test/st-bert-tiny-fp16';

before(async () => {
  server = await startHubServer();
});
after(() => server.close());
beforeEach(() => {
  env = freshHubEnv(server, env);
});
after(() => env?.cleanup());

const snapshotDir = () => join(env.hfHome, 'hub', `models--${id.replace('/', '--')}`, 'snapshots', server.commitOf(id));

test('HF_HUB_OFFLINE=1 resolves from the cache through refs/ with no request at all', async () => {
  const online = await resolveModel(id, { progress: false });
  server.requests.length = 0;
  process.env.HF_HUB_OFFLINE = '1';
  try {
    assert.equal(await resolveModel(id, { progress: false }), online);
    assert.equal(await resolveModel(`${id}@${server.commitOf(id)}`, { progress: false }), online);
  } finally {
    delete process.env.HF_HUB_OFFLINE;
  }
  assert.equal(await resolveModel(id, { offline: true, progress: false }), online);
  assert.equal(server.requests.length, 0);
});

test('offline and not cached: a clear error naming what is missing, no request', async () => {
  await assert.rejects(resolveModel(id, { offline: true, progress: false }), (err: unknown) => {
    assert.ok(err instanceof HubError);
    assert.equal(err.kind, 'not-cached');
    assert.match(err.message, /cannot resolve "densekit-test\/st-bert-tiny-fp16" offline/);
    assert.match(err.message, /refs\/main does not exist/);
    return true;
  });
  // Cached but with a file gone: the message names it.
  await resolveModel(id, { progress: false });
  await unlink(join(snapshotDir(), '1_Pooling', 'config.json'));
  await assert.rejects(resolveModel(id, { offline: true, progress: false }), /lacks 1_Pooling\/ \(the files of module sentence_transformers\.models\.Pooling\)/);
  await rm(join(snapshotDir(), 'model.safetensors'));
  await assert.rejects(resolveModel(id, { offline: true, progress: false }), /model\.safetensors or pytorch_model\.bin \(the model weights\)/);
  server.requests.length = 0;
  await assert.rejects(resolveModel(`${id}@v9`, { offline: true, progress: false }), /revision "v9" was never downloaded/);
  assert.equal(server.requests.length, 0);
});

test('online again after a file went missing: only that file is fetched', async () => {
  await resolveModel(id, { progress: false });
  await unlink(join(snapshotDir(), 'vocab.txt'));
  server.requests.length = 0;
  await resolveModel(id, { progress: false });
  assert.deepEqual(
    server.byteDownloads().map((r) => r.file),
    [], // the blob is still there: only a HEAD for its etag and a new link
  );
  assert.ok((await readdir(snapshotDir())).includes('vocab.txt'));
  assert.equal(server.requests.filter((r) => r.method === 'HEAD').length, 1);
});

test('hub unreachable with a complete cached snapshot: the cache is used', async () => {
  const online = await resolveModel(id, { progress: false });
  const deadEndpoint = await startHubServer({ repos: [] }).then(async (s) => {
    const endpoint = s.endpoint;
    await s.close();
    return endpoint; // a port nothing listens on any more
  });
  process.env.HF_ENDPOINT = deadEndpoint;
  const debugLines: string[] = [];
  const realWrite = process.stderr.write;
  process.env.DENSEKIT_DEBUG = '1';
  process.stderr.write = ((chunk: string | Uint8Array) => (debugLines.push(String(chunk)), true)) as typeof process.stderr.write;
  try {
    assert.equal(await resolveModel(id, { progress: false }), online);
  } finally {
    process.stderr.write = realWrite;
    delete process.env.DENSEKIT_DEBUG;
  }
  assert.ok(
    debugLines.some((l) => /^densekit: debug: cannot reach the hub .*; using the cached snapshot /.test(l)),
    `debug line says the cache is used: ${JSON.stringify(debugLines)}`,
  );
  // Not cached: the network error is reported, with why the cache did not help.
  await assert.rejects(resolveModel('densekit-test/bert-tiny', { progress: false }), (err: unknown) => {
    assert.ok(err instanceof HubError);
    assert.equal(err.kind, 'network');
    assert.match(err.message, /cannot reach the hub/);
    assert.match(err.message, /no usable cached copy/);
    return true;
  });
});
