// Checks that densekit and Python's huggingface_hub share one hub cache, both ways, against the
// test hub server (test/support/hub-server.ts) on 127.0.0.1. Not a test: it needs a Python with
// huggingface_hub, e.g.
//   python3 -m venv /tmp/hfvenv && /tmp/hfvenv/bin/pip install huggingface_hub
//   npx tsc -p . && PYTHON=/tmp/hfvenv/bin/python node scripts/hub-cache-crosscheck.mjs
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHubServer } from '../dist/test/support/hub-server.js';
import { resolveModel } from '../dist/src/hub/index.js';

const python = process.env.PYTHON ?? 'python3';
const models = ['densekit-test/bert-tiny', 'densekit-test/st-bert-tiny-fp16', 'densekit-test/dpr-question-tiny'];
const server = await startHubServer();
let failures = 0;

function check(ok, what) {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures++;
}

/** snapshot_download in a child Python (async: the hub server lives in this process); returns the snapshot path it printed. */
async function pythonSnapshot(hfHome, repoId, allowPatterns, extraEnv = {}) {
  const code = [
    'import json, sys',
    'from huggingface_hub import snapshot_download',
    'allow = json.loads(sys.argv[2])',
    'print(snapshot_download(sys.argv[1], allow_patterns=allow))',
  ].join('\n');
  const env = { ...process.env, HF_HOME: hfHome, HF_ENDPOINT: server.endpoint, HF_HUB_DISABLE_TELEMETRY: '1', HF_HUB_DISABLE_PROGRESS_BARS: '1', ...extraEnv };
  for (const k of ['HF_HUB_CACHE', 'HF_TOKEN', 'HF_HUB_OFFLINE']) if (!(k in extraEnv)) delete env[k];
  try {
    const { stdout } = await promisify(execFile)(python, ['-c', code, repoId, JSON.stringify(allowPatterns)], { env, encoding: 'utf8' });
    return stdout.trim().split('\n').at(-1);
  } catch (err) {
    throw new Error(`python snapshot_download ${repoId} failed:\n${err.stderr ?? err}`);
  }
}

function useHome(hfHome) {
  process.env.HF_HOME = hfHome;
  process.env.HF_ENDPOINT = server.endpoint;
  for (const k of ['HF_HUB_CACHE', 'HF_TOKEN', 'HF_HUB_OFFLINE']) delete process.env[k];
}

const version = spawnSync(python, ['-c', 'import huggingface_hub; print(huggingface_hub.__version__)'], { encoding: 'utf8' });
console.log(`huggingface_hub ${version.stdout.trim()}`);
try {
  for (const id of models) {
    // densekit first, then Python on the same cache.
    const home1 = mkdtempSync(join(tmpdir(), 'densekit-xcheck-'));
    useHome(home1);
    const ours = await resolveModel(id, { progress: false });
    const files = readdirSync(ours, { recursive: true, withFileTypes: true }).filter((e) => !e.isDirectory());
    const patterns = files.map((e) => join(e.parentPath ?? e.path, e.name).slice(ours.length + 1));
    server.requests.length = 0;
    const theirs = await pythonSnapshot(home1, id, patterns);
    check(theirs === ours, `${id}: Python's snapshot_download returns densekit's snapshot (${theirs})`);
    const refused = server.requests.filter((r) => (r.status ?? 0) >= 400).map((r) => `${r.status} ${r.path}`);
    check(refused.length === 0, `${id}: every request Python made succeeded, so it listed the repo online${refused.length ? ` (${refused.join(', ')})` : ''}`);
    check(server.requests.some((r) => r.path.startsWith('/api/')), `${id}: Python asked the hub for the file list`);
    check(server.byteDownloads().length === 0, `${id}: Python downloaded no bytes densekit had cached (${server.byteDownloads().length} downloads)`);
    const offline = await pythonSnapshot(home1, id, patterns, { HF_HUB_OFFLINE: '1' });
    check(offline === ours, `${id}: Python offline finds densekit's snapshot`);
    rmSync(home1, { recursive: true, force: true });

    // Python first (the whole repo), then densekit.
    const home2 = mkdtempSync(join(tmpdir(), 'densekit-xcheck-'));
    server.requests.length = 0;
    const pySnapshot = await pythonSnapshot(home2, id, null);
    check(server.byteDownloads().length > 0, `${id}: Python downloaded the repo into an empty cache (${server.byteDownloads().length} downloads)`);
    useHome(home2);
    server.requests.length = 0;
    const after = await resolveModel(id, { progress: false });
    check(after === pySnapshot, `${id}: densekit resolves to Python's snapshot`);
    check(server.byteDownloads().length === 0, `${id}: densekit downloaded no bytes Python had cached (${server.byteDownloads().length} downloads)`);
    check((await resolveModel(id, { offline: true, progress: false })) === pySnapshot, `${id}: densekit offline finds Python's snapshot`);
    rmSync(home2, { recursive: true, force: true });
  }
} finally {
  await server.close();
}
console.log(failures === 0 ? 'all cross-checks passed' : `${failures} cross-checks failed`);
process.exit(failures === 0 ? 0 : 1);
