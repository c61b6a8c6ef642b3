import assert from 'node:assert/strict';
import { readFile, readdir, stat, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, beforeEach, test } from 'node:test';
import { HubError, resolveModel } from '../../src/hub/index.js';
import { GOLDEN_MODELS_DIR, startHubServer, freshHubEnv, tempHubEnv, type HubServer, type TempHubEnv } from '../support/hub-server.js';

let server: HubServer;
let env: TempHubEnv;
const id = 'densekit-test/bert-tiny';

before(async () => {
  server = await startHubServer();
});
after(() => server.close());
beforeEach(() => {
  env = freshHubEnv(server, env);
});
after(() => env?.cleanup());

const blobsDir = () => join(env.hfHome, 'hub', `models--${id.replace('/', '--')}`, 'blobs');

test('a download cut mid-file resumes with a Range request and verifies', async () => {
  server.cutDownloads.set(`${id}/model.safetensors`, 1);
  const dir = await resolveModel(id, { progress: false });
  const gets = server.byteDownloads('model.safetensors');
  assert.equal(gets.length, 2);
  assert.equal(gets[0]!.headers.range, undefined);
  const range = /^bytes=(\d+)-$/.exec(String(gets[1]!.headers.range));
  assert.ok(range, `second GET sends a Range header (got ${gets[1]!.headers.range})`);
  const size = (await stat(join(GOLDEN_MODELS_DIR, 'bert-tiny', 'model.safetensors'))).size;
  assert.ok(Number(range[1]) > 0 && Number(range[1]) < size, `resumes inside the file (from ${range[1]} of ${size})`);
  assert.deepEqual(await readFile(join(dir, 'model.safetensors')), await readFile(join(GOLDEN_MODELS_DIR, 'bert-tiny', 'model.safetensors')));
  assert.ok(!(await readdir(blobsDir())).some((n) => n.endsWith('.incomplete')));
});

test('a partial blob left by an earlier run is resumed from its length', async () => {
  const etag = server.blobEtagOf(id, 'model.safetensors');
  const original = await readFile(join(GOLDEN_MODELS_DIR, 'bert-tiny', 'model.safetensors'));
  await mkdir(blobsDir(), { recursive: true });
  await writeFile(join(blobsDir(), `${etag}.incomplete`), original.subarray(0, 100_000));
  const dir = await resolveModel(id, { progress: false });
  const gets = server.byteDownloads('model.safetensors');
  assert.deepEqual(gets.map((g) => g.headers.range), ['bytes=100000-']);
  assert.deepEqual(await readFile(join(dir, 'model.safetensors')), original);
});

test('checksum mismatch: clear error, no blob, no partial file, no snapshot link', async () => {
  for (const file of ['model.safetensors', 'vocab.txt']) {
    env.cleanup();
    env = tempHubEnv(server); // an empty cache, so this file is surely downloaded
    env.apply();
    server.corruptDownloads.clear();
    server.corruptDownloads.add(`${id}/${file}`);
    const etag = server.blobEtagOf(id, file);
    await assert.rejects(resolveModel(id, { progress: false }), (err: unknown) => {
      assert.ok(err instanceof HubError);
      assert.equal(err.kind, 'checksum');
      assert.match(err.message, new RegExp(`download of "${file}" from densekit-test/bert-tiny is corrupt: its (sha256|git-sha1) is [0-9a-f]+, the hub announced ${etag}`));
      return true;
    });
    const blobs = await readdir(blobsDir());
    assert.ok(!blobs.includes(etag) && !blobs.includes(`${etag}.incomplete`), `${file}: nothing corrupt left in blobs/`);
    const snapshot = join(env.hfHome, 'hub', `models--${id.replace('/', '--')}`, 'snapshots', server.commitOf(id));
    assert.ok(!(await readdir(snapshot).catch(() => [] as string[])).includes(file));
  }
  // Once the server sends good bytes, the same cache completes.
  server.corruptDownloads.clear();
  const dir = await resolveModel(id, { progress: false });
  assert.deepEqual(await readFile(join(dir, 'vocab.txt')), await readFile(join(GOLDEN_MODELS_DIR, 'bert-tiny', 'vocab.txt')));
});
