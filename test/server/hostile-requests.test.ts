// Requests a hostile client or web page can send: slow bodies against the concurrency cap, URLs the
// router cannot take, and a foreign Host header (DNS rebinding). 127.0.0.1 only, bounded in count and time.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { connect, type Socket } from 'node:net';
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startServer, type RunningServer } from '../../src/server/index.js';
import { buildFixtureIndex, scifactRecords } from './fixture-index.js';

let dir: string;

before(async () => {
  dir = await buildFixtureIndex(scifactRecords(40));
});
after(() => {
  if (dir) rmSync(dirname(dir), { recursive: true, force: true });
});

/** A request with any headers (fetch cannot set Host); resolves with status and parsed JSON body. */
function raw(url: string, path: string, headers: Record<string, string> = {}, method = 'GET', body?: string): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${url}${path}`, { method, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const search = (server: RunningServer, query: string) =>
  fetch(`${server.url}/search`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, k: 3 }) });

/** A client that sends its headers and then one body byte every `everyMs`; records how it ended. */
function slowClient(port: number, everyMs: number): { ended: Promise<string>; socket: Socket } {
  const body = JSON.stringify({ query: 'slow '.repeat(20), k: 3 });
  const socket = connect(port, '127.0.0.1');
  let reply = '';
  socket.on('data', (c: string) => (reply += c));
  let sent = 0;
  let timer: NodeJS.Timeout | undefined;
  socket.setEncoding('utf8');
  socket.on('connect', () => {
    socket.write(`POST /search HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`);
    timer = setInterval(() => {
      if (sent < body.length && socket.writable) socket.write(body[sent++]!);
    }, everyMs);
  });
  const ended = new Promise<string>((resolve) => {
    socket.on('close', () => {
      clearInterval(timer);
      resolve(reply);
    });
    socket.on('error', () => {});
  });
  return { ended, socket };
}

test('slow request bodies cannot starve searches: the slot is taken after the body, and slow bodies are cut off', async () => {
  const server = await startServer({ indexDir: dir, port: 0, threads: 1, limits: { maxConcurrentRequests: 4, bodyTimeoutMs: 1500 } });
  const clients: ReturnType<typeof slowClient>[] = [];
  try {
    // 16 slow clients against 4 slots: each sends its headers, then a byte every 100 ms (3+ s for the body).
    for (let i = 0; i < 16; i++) clients.push(slowClient(server.port, 100));
    await sleep(300);
    const started = Date.now();
    for (let i = 0; i < 8; i++) {
      const res = await search(server, `vitamin ${i}`);
      assert.equal(res.status, 200, `search ${i} while 16 slow bodies trickle in: ${await res.text()}`);
    }
    assert.ok(Date.now() - started < 5000);
    assert.equal(server.stats().inFlight, 0);
    // Past bodyTimeoutMs every slow client is answered 408 and disconnected.
    const endings = await Promise.race([Promise.all(clients.map((c) => c.ended)), sleep(8000).then(() => 'timeout')]);
    assert.notEqual(endings, 'timeout', 'slow clients were not cut off');
    for (const reply of endings as string[]) {
      if (reply === '') continue; // cut off while the server was busy writing others: still disconnected
      assert.match(reply, /^HTTP\/1\.1 408 Request Timeout\r\n/);
      assert.match(reply, /"code":"REQUEST_TIMEOUT","error":"Request Timeout","message":"the request did not arrive within 1500 ms"/);
    }
    assert.ok((endings as string[]).some((reply) => reply.startsWith('HTTP/1.1 408')));
  } finally {
    for (const c of clients) c.socket.destroy();
    await server.close();
  }
});

test('bad URLs get densekit error bodies, after the API key check, and are not echoed whole', async () => {
  const keyed = await startServer({ indexDir: dir, port: 0, threads: 1, apiKey: 'sekret' });
  const open = await startServer({ indexDir: dir, port: 0, threads: 1 });
  try {
    const long = `/docs/${'a'.repeat(6000)}`;
    for (const path of ['/docs/%zz', long]) {
      const denied = await raw(keyed.url, path);
      assert.equal(denied.status, 401, path.slice(0, 20));
      assert.equal(denied.body.code, 'UNAUTHORIZED');
    }
    const bad = await raw(keyed.url, '/docs/%zz', { 'x-api-key': 'sekret' });
    assert.deepEqual(bad, { status: 400, body: { statusCode: 400, code: 'BAD_URL', error: 'Bad Request', message: 'the URL is not valid percent-encoding: /docs/%zz' } });
    const tooLong = await raw(open.url, long);
    assert.equal(tooLong.status, 414);
    assert.equal(tooLong.body.code, 'URL_TOO_LONG');
    assert.ok(String(tooLong.body.message).length < 300, 'the 414 must not echo the whole URL');
    assert.match(String(tooLong.body.message), /\(6006 characters\)$/);
  } finally {
    await keyed.close();
    await open.close();
  }
});

test('without an API key, a foreign Host header (DNS rebinding) is refused; IP addresses, localhost and --allowed-host names are served', async () => {
  const server = await startServer({ indexDir: dir, port: 0, threads: 1, allowedHosts: ['search.internal'] });
  const keyed = await startServer({ indexDir: dir, port: 0, threads: 1, apiKey: 'sekret' });
  try {
    for (const path of ['/info', '/', '/docs/4983', '/docs/%zz', '/openapi.json']) {
      const r = await raw(server.url, path, { host: 'evil.example' });
      assert.equal(r.status, 403, path);
      assert.equal(r.body.code, 'HOST_NOT_ALLOWED');
    }
    const post = await raw(server.url, '/search', { host: `evil.example:${server.port}`, 'content-type': 'application/json' }, 'POST', '{"query":"cells"}');
    assert.equal(post.status, 403);
    for (const host of [`127.0.0.1:${server.port}`, `localhost:${server.port}`, 'search.internal', `SEARCH.internal:${server.port}`, '[::1]:80']) {
      assert.equal((await raw(server.url, '/info', { host })).status, 200, host);
    }
    assert.equal((await raw(server.url, '/healthz', { host: 'evil.example' })).status, 200);
    // With a key the key is the protection; any Host that carries it is served.
    assert.equal((await raw(keyed.url, '/info', { host: 'evil.example', 'x-api-key': 'sekret' })).status, 200);
  } finally {
    await server.close();
    await keyed.close();
  }
});
