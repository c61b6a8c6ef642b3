// API key behaviour against a real index opened by the server itself (startServer({ indexDir })).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { startServer, type RunningServer } from '../../src/server/index.js';
import { buildFixtureIndex, scifactRecords } from './fixture-index.js';

const KEY = 'k3y_S3cret-~.+/=';
let dir: string;
let server: RunningServer;

before(async () => {
  dir = await buildFixtureIndex(scifactRecords(40));
  server = await startServer({ indexDir: dir, port: 0, apiKey: KEY, threads: 1 });
});

after(async () => {
  await server?.close();
  if (dir) rmSync(dirname(dir), { recursive: true, force: true });
});

const search = (headers: Record<string, string>) =>
  fetch(`${server.url}/search`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query: 'cells', k: 2 }) });

const PROTECTED: [string, string][] = [
  ['GET', '/'],
  ['GET', '/info'],
  ['GET', '/openapi.json'],
  ['GET', '/docs/4983'],
  ['POST', '/search'],
  ['GET', '/no-such-route'],
];

test('every route but /healthz answers 401 without a key, and the reply says how to send one', async () => {
  for (const [method, path] of PROTECTED) {
    const res = await fetch(`${server.url}${path}`, { method, ...(method === 'POST' ? { headers: { 'content-type': 'application/json' }, body: '{"query":"x"}' } : {}) });
    assert.equal(res.status, 401, `${method} ${path}`);
    assert.equal(res.headers.get('www-authenticate'), 'Bearer realm="densekit"');
    const body = (await res.json()) as { code: string; message: string };
    assert.equal(body.code, 'UNAUTHORIZED');
    assert.match(body.message, /x-api-key/);
  }
  const health = await fetch(`${server.url}/healthz`);
  assert.equal(health.status, 200);
});

test('a wrong key is 401, whichever header carries it', async () => {
  for (const headers of <Record<string, string>[]>[{ 'x-api-key': 'wrong' }, { authorization: 'Bearer wrong' }, { 'x-api-key': `${KEY}x` }, { authorization: KEY }]) {
    const res = await search(headers);
    assert.equal(res.status, 401, JSON.stringify(headers));
    assert.equal(((await res.json()) as { code: string }).code, 'UNAUTHORIZED');
  }
});

test('the right key in x-api-key or Authorization: Bearer is accepted on every route', async () => {
  for (const headers of <Record<string, string>[]>[{ 'x-api-key': KEY }, { authorization: `Bearer ${KEY}` }, { authorization: `bearer ${KEY}` }]) {
    const res = await search(headers);
    assert.equal(res.status, 200, JSON.stringify(headers));
    assert.equal(((await res.json()) as { results: { hits: unknown[] }[] }).results[0]!.hits.length, 2);
    for (const path of ['/', '/info', '/openapi.json', '/docs/4983']) {
      assert.equal((await fetch(`${server.url}${path}`, { headers })).status, 200, path);
    }
  }
});

test('the OpenAPI document declares the key schemes', async () => {
  const doc = (await (await fetch(`${server.url}/openapi.json`, { headers: { 'x-api-key': KEY } })).json()) as {
    components: { securitySchemes: Record<string, unknown> };
  };
  assert.deepEqual(Object.keys(doc.components.securitySchemes).sort(), ['apiKeyHeader', 'bearer']);
});

test('an empty key is refused at start', async () => {
  await assert.rejects(startServer({ indexDir: dir, port: 0, apiKey: '' }), /API key must not be empty/);
});
