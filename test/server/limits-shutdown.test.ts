// Concurrency cap and graceful shutdown, on a real index whose searches are held behind a latch so
// that "in flight" is a state the test controls rather than a race.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Index } from '../../src/index/dense-index.js';
import { denseIndexBackend, startServer, type RunningServer, type SearchBackend } from '../../src/server/index.js';
import { buildFixtureIndex, scifactRecords } from './fixture-index.js';

let dir: string;
let index: Index;

before(async () => {
  dir = await buildFixtureIndex(scifactRecords(40));
  index = await Index.open(dir, { threads: 1 });
});

after(async () => {
  await index?.close();
  if (dir) rmSync(dirname(dir), { recursive: true, force: true });
});

/** The real index backend, with searches waiting until `release()`; records whether it was closed. */
function latchedBackend() {
  const inner = denseIndexBackend(index, { ownsIndex: false });
  let release!: () => void;
  const latch = new Promise<void>((resolve) => (release = resolve));
  const state = { closed: false };
  const backend: SearchBackend = {
    info: () => inner.info(),
    getDoc: (id) => inner.getDoc(id),
    search: async (queries, k) => {
      await latch;
      return inner.search(queries, k);
    },
    close: async () => {
      state.closed = true;
    },
  };
  return { backend, release, state };
}

const search = (server: RunningServer, query: string, signal?: AbortSignal) =>
  fetch(`${server.url}/search`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, k: 3 }),
    ...(signal ? { signal } : {}),
  });

async function waitFor(what: string, check: () => boolean): Promise<void> {
  for (let i = 0; i < 400 && !check(); i++) await sleep(5);
  assert.ok(check(), `timed out waiting for ${what}`);
}

test('past maxConcurrentRequests a request gets 503 with Retry-After; /healthz still answers; slots free up', async () => {
  const { backend, release } = latchedBackend();
  const server = await startServer({ backend, port: 0, limits: { maxConcurrentRequests: 2 } });
  try {
    const held = [search(server, 'first'), search(server, 'second')];
    await waitFor('two requests in flight', () => server.stats().inFlight === 2);
    const over = await search(server, 'third');
    assert.equal(over.status, 503);
    assert.equal(over.headers.get('retry-after'), '1');
    const body = (await over.json()) as { code: string; message: string };
    assert.equal(body.code, 'OVERLOADED');
    assert.match(body.message, /maximum of 2 concurrent requests/);
    assert.equal((await fetch(`${server.url}/healthz`)).status, 200);
    release();
    for (const res of await Promise.all(held)) assert.equal(res.status, 200);
    await waitFor('slots freed', () => server.stats().inFlight === 0);
    const after = await search(server, 'fourth');
    assert.equal(after.status, 200);
  } finally {
    release();
    await server.close();
  }
});

test('a client that hangs up frees its slot', async () => {
  const { backend, release } = latchedBackend();
  const server = await startServer({ backend, port: 0, limits: { maxConcurrentRequests: 1 } });
  try {
    const abort = new AbortController();
    const pending = search(server, 'gone', abort.signal).catch((err: Error) => err);
    await waitFor('one request in flight', () => server.stats().inFlight === 1);
    abort.abort();
    assert.ok((await pending) instanceof Error);
    await waitFor('slot freed after the hang-up', () => server.stats().inFlight === 0);
    release();
    assert.equal((await search(server, 'next')).status, 200);
  } finally {
    release();
    await server.close();
  }
});

test('close() stops accepting, lets the in-flight request finish, then closes the backend', async () => {
  const { backend, release, state } = latchedBackend();
  const server = await startServer({ backend, port: 0 });
  const inFlight = search(server, 'in flight during shutdown');
  await waitFor('request in flight', () => server.stats().inFlight === 1);
  let closed = false;
  const closing = server.close().then(() => (closed = true));
  await sleep(50);
  // New requests are refused: the listener is gone (connection error) or, on a kept-alive socket, 503.
  const late = await search(server, 'too late').then((r) => r.status, () => 'refused');
  assert.ok(late === 'refused' || late === 503, `a request after close() got ${late}`);
  assert.equal(closed, false, 'close() must wait for the in-flight request');
  assert.equal(state.closed, false, 'the backend must stay open while a request runs');
  release();
  const res = await inFlight;
  assert.equal(res.status, 200);
  assert.equal(((await res.json()) as { results: { hits: unknown[] }[] }).results[0]!.hits.length, 3);
  await closing;
  assert.equal(state.closed, true);
  await server.close(); // idempotent
});

test('startServer checks its options', async () => {
  const { backend } = latchedBackend();
  await assert.rejects(startServer({ port: 0 }), /exactly one of index, indexDir and backend/);
  await assert.rejects(startServer({ backend, index, port: 0 }), /exactly one of/);
  await assert.rejects(startServer({ backend, port: 0, limits: { maxK: 0 } }), /maxK must be a positive integer/);
  await assert.rejects(startServer({ backend, port: 0, limits: { defaultK: 20, maxK: 10 } }), /defaultK \(20\) exceeds maxK \(10\)/);
  await assert.rejects(startServer({ backend, port: 70000 }), /port must be an integer/);
});
