import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHubServer, type HubServer } from '../support/hub-server.js';

const CLI = 'dist/src/cli/main.js';
const MODELS = 'test/fixtures/goldens/models';
const tmp = mkdtempSync(join(tmpdir(), 'densekit-embed-'));

function densekit(args: string[], env: NodeJS.ProcessEnv = {}) {
  return spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
}

/** Async variant, for tests whose in-process HTTP server must keep answering while the CLI runs. */
function densekitAsync(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (status) => resolve({ status, stderr }));
  });
}

function maxDiff(rows: number[][], flat: number[]): number {
  let worst = 0;
  rows.forEach((row, i) => row.forEach((v, j) => (worst = Math.max(worst, Math.abs(v - flat[i * row.length + j]!)))));
  return worst;
}

const golden = JSON.parse(readFileSync(`${MODELS}/bert-tiny/expected.json`, 'utf8')) as {
  queries: string[];
  passages: [string, string][];
  outputs: Record<string, number[]>;
};

test('embed --kind query writes {id, embedding} lines in input order, matching the reference', () => {
  const input = join(tmp, 'q.jsonl');
  writeFileSync(input, golden.queries.map((text, i) => JSON.stringify({ id: `q${i}`, text })).join('\n') + '\n');
  const out = join(tmp, 'q.out.jsonl');
  const r = densekit(['embed', '--model', `${MODELS}/bert-tiny`, '--kind', 'query', '--max-length', '32', '--input', input, '--output', out]);
  assert.equal(r.status, 0, r.stderr);
  const rows = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { id: string; embedding: number[] });
  assert.deepEqual(rows.map((r) => r.id), golden.queries.map((_, i) => `q${i}`));
  assert.ok(maxDiff(rows.map((r) => r.embedding), golden.outputs.queries_cls!) <= 1e-4);
});

test('embed --kind passage with flags: (title, text) pairs ≤ 144, L2-normalised', () => {
  const input = join(tmp, 'p.jsonl');
  writeFileSync(input, golden.passages.map(([title, text]) => JSON.stringify({ title, text })).join('\n') + '\n');
  const out = join(tmp, 'p.out.jsonl');
  const r = densekit(['embed', '--model', `${MODELS}/bert-tiny`, '--preset', 'none', '--normalize', '--max-length', '144', '--kind', 'passage', '--input', input, '--output', out]);
  assert.equal(r.status, 0, r.stderr);
  const rows = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { id: string; embedding: number[] });
  assert.deepEqual(rows.map((r) => r.id), ['0', '1', '2', '3']);
  assert.ok(maxDiff(rows.map((r) => r.embedding), golden.outputs.passages_cls_l2!) <= 1e-4);
});

test('an input line that is not JSON fails naming file:line', () => {
  const input = join(tmp, 'bad.jsonl');
  writeFileSync(input, '{"text": "fine"}\n{"text": oops}\n');
  const r = densekit(['embed', '--model', `${MODELS}/bert-tiny`, '--input', input, '--output', join(tmp, 'x.jsonl')]);
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, new RegExp(`${input}:2: not valid JSON`));
});

test('a missing config, a missing vocab and an unknown architecture fail clearly', () => {
  const noConfig = join(tmp, 'no-config');
  cpSync(`${MODELS}/bert-tiny`, noConfig, { recursive: true });
  rmSync(join(noConfig, 'config.json'));
  let r = densekit(['embed', '--model', noConfig, '--input', '-', '--output', '-']);
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /config\.json/);

  const noVocab = join(tmp, 'no-vocab');
  cpSync(`${MODELS}/bert-tiny`, noVocab, { recursive: true });
  rmSync(join(noVocab, 'vocab.txt'));
  r = densekit(['embed', '--model', noVocab, '--input', '-', '--output', '-']);
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /vocab\.txt/);

  const roberta = join(tmp, 'roberta');
  cpSync(`${MODELS}/bert-tiny`, roberta, { recursive: true });
  const cfg = JSON.parse(readFileSync(join(roberta, 'config.json'), 'utf8')) as Record<string, unknown>;
  writeFileSync(join(roberta, 'config.json'), JSON.stringify({ ...cfg, model_type: 'roberta', architectures: ['RobertaModel'] }));
  r = densekit(['embed', '--model', roberta, '--input', '-', '--output', '-']);
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /roberta/i);
});

test('a weight shape mismatch fails naming the weight', () => {
  const wrong = join(tmp, 'wrong-shape');
  cpSync(`${MODELS}/bert-tiny`, wrong, { recursive: true });
  rmSync(join(wrong, 'pytorch_model.bin'));
  const cfg = JSON.parse(readFileSync(join(wrong, 'config.json'), 'utf8')) as Record<string, unknown>;
  writeFileSync(join(wrong, 'config.json'), JSON.stringify({ ...cfg, intermediate_size: 48 }));
  const r = densekit(['embed', '--model', wrong, '--input', '-', '--output', '-']);
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /intermediate|shape/);
});

test('models lists every seed preset', () => {
  const r = densekit(['models', '--json']);
  assert.equal(r.status, 0, r.stderr);
  const names = (JSON.parse(r.stdout) as { name: string }[]).map((p) => p.name);
  assert.deepEqual(names.sort(), ['bowdpr', 'dpr', 'rdr', 'simlm', 'tas-b']);
});

let hub: HubServer;
before(async () => {
  hub = await startHubServer();
});
after(async () => {
  await hub.close();
});

test('embed --model <hub id> downloads into the HF cache once, then works offline', async () => {
  const home = mkdtempSync(join(tmpdir(), 'densekit-hf-'));
  const input = join(tmp, 'hub-q.jsonl');
  writeFileSync(input, golden.queries.map((text) => JSON.stringify({ text })).join('\n') + '\n');
  const env = { HF_HOME: home, HF_ENDPOINT: hub.endpoint };
  const out = join(tmp, 'hub.out.jsonl');
  let r = await densekitAsync(['embed', '--model', 'densekit-test/bert-tiny', '--max-length', '32', '--input', input, '--output', out], env);
  assert.equal(r.status, 0, r.stderr);
  const rows = readFileSync(out, 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { embedding: number[] }).embedding);
  assert.ok(maxDiff(rows, golden.outputs.queries_cls!) <= 1e-4);
  const downloads = hub.byteDownloads().length;
  r = await densekitAsync(['embed', '--model', 'densekit-test/bert-tiny', '--max-length', '32', '--input', input, '--output', out], { ...env, HF_HUB_OFFLINE: '1' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(hub.byteDownloads().length, downloads, 'offline run made no downloads');
});
