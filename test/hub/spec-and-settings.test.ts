import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir, homedir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { hubSettingsFromEnv, repoFolderName, resolveModel } from '../../src/hub/index.js';
import { parseHubSpec } from '../../src/hub/hub-spec.js';

test('hub ids with and without org and revision', () => {
  assert.deepEqual(parseHubSpec('sentence-transformers/all-MiniLM-L6-v2'), { repoId: 'sentence-transformers/all-MiniLM-L6-v2', revision: 'main' });
  assert.deepEqual(parseHubSpec('bert-base-uncased@v1.0'), { repoId: 'bert-base-uncased', revision: 'v1.0' });
  assert.deepEqual(parseHubSpec('org/name@refs/pr/1'), { repoId: 'org/name', revision: 'refs/pr/1' });
  for (const bad of ['org/na me', 'org--x/name', 'a/b/c', 'org/name@', 'org/../x', '']) {
    assert.throws(() => parseHubSpec(bad), /neither an existing directory nor a hub model id/, bad);
  }
  assert.equal(repoFolderName('org/name'), 'models--org--name');
  assert.equal(repoFolderName('bert-base-uncased'), 'models--bert-base-uncased');
});

test('a local directory resolves to itself; a missing path is an error, not a hub id', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'densekit-local-model-'));
  try {
    assert.equal(await resolveModel(dir), dir);
    await writeFile(join(dir, 'config.json'), '{}');
    await assert.rejects(resolveModel(join(dir, 'config.json')), /is a file; a model is a directory or a hub id/);
    await assert.rejects(resolveModel(join(dir, 'missing')), /model directory ".*missing" does not exist/);
    await assert.rejects(resolveModel('./no-such-model-dir'), /model directory "\.\/no-such-model-dir" does not exist/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('settings come from the same variables as huggingface_hub', async () => {
  const defaults = hubSettingsFromEnv({});
  assert.equal(defaults.endpoint, 'https://huggingface.co');
  assert.equal(defaults.cacheDir, join(homedir(), '.cache', 'huggingface', 'hub'));
  assert.equal(defaults.offline, false);
  assert.equal(hubSettingsFromEnv({ XDG_CACHE_HOME: '/x' }).cacheDir, '/x/huggingface/hub');
  assert.equal(hubSettingsFromEnv({ HF_HOME: '/h' }).cacheDir, '/h/hub');
  assert.equal(hubSettingsFromEnv({ HF_HOME: '/h', HF_HUB_CACHE: '/c' }).cacheDir, '/c');
  assert.equal(hubSettingsFromEnv({ HF_ENDPOINT: 'http://127.0.0.1:9/' }).endpoint, 'http://127.0.0.1:9');
  assert.equal(hubSettingsFromEnv({ HF_HUB_OFFLINE: 'true' }).offline, true);
  assert.equal(hubSettingsFromEnv({ HF_HUB_OFFLINE: '0' }).offline, false);

  const home = await mkdtemp(join(tmpdir(), 'densekit-hf-token-'));
  try {
    assert.equal(hubSettingsFromEnv({ HF_HOME: home }).token, undefined);
    await writeFile(join(home, 'token'), 'hf_stored\n'); // what `huggingface-cli login` writes
    assert.equal(hubSettingsFromEnv({ HF_HOME: home }).token, 'hf_stored');
    assert.equal(hubSettingsFromEnv({ HF_HOME: home, HF_TOKEN: 'hf_env' }).token, 'hf_env');
  } finally {
    await rm(home, { recursive: true, force: true });
  }
});
