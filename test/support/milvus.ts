// A real Milvus server for the tests that need one. DENSEKIT_MILVUS_URI (+ DENSEKIT_MILVUS_TOKEN) names
// one that is already running (.ci/run starts one for the whole test run); otherwise the test file
// starts its own through scripts/milvus/server.sh (installing the PyPI wheel into the cached venv on
// first use), with authentication on so refused credentials can be tested, and stops it in `after`.
// When no server can be had, the tests skip with one line, except under CI=true, where they fail.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { MilvusClient } from '@zilliz/milvus2-sdk-node';

const run = promisify(execFile);
const SCRIPT = resolve('scripts/milvus/server.sh');
/** Milvus's default first user; the test server starts with authentication required. */
export const MILVUS_TEST_TOKEN = 'root:Milvus';
/** Test files run in parallel on many-core machines; the default ports allow one server at a time. */
const LOCK = join(tmpdir(), 'densekit-milvus-test.lock');

export interface MilvusForTests {
  readonly uri: string;
  readonly token: string | undefined;
  /** Whether the server requires a token (true for one this module started). */
  readonly auth: boolean;
  stop(): Promise<void>;
}

export type MilvusOrSkip = { server: MilvusForTests; skip: false } | { server: undefined; skip: string };

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Waits (up to 15 minutes) for the other test files' server to be stopped, then holds the lock. */
async function takeLock(): Promise<() => void> {
  const deadline = Date.now() + 15 * 60_000;
  for (;;) {
    try {
      mkdirSync(LOCK);
      writeFileSync(join(LOCK, 'pid'), String(process.pid));
      return () => rmSync(LOCK, { recursive: true, force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      let holder = NaN;
      try {
        holder = Number(readFileSync(join(LOCK, 'pid'), 'utf8'));
      } catch {
        // being written or removed right now
      }
      if (Number.isInteger(holder) && !processAlive(holder)) rmSync(LOCK, { recursive: true, force: true });
      else if (Date.now() > deadline) throw new Error(`${LOCK} is held by pid ${holder} for more than 15 minutes`);
      else await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

async function startOwn(): Promise<MilvusForTests> {
  await run('bash', [SCRIPT, 'install'], { timeout: 10 * 60_000 });
  const release = await takeLock();
  const data = mkdtempSync(join(tmpdir(), 'densekit-milvus-'));
  try {
    await run('bash', [SCRIPT, 'start', data], { env: { ...process.env, MILVUS_AUTH: 'true' }, timeout: 3 * 60_000 });
  } catch (err) {
    // The script may have been cut off by the timeout with its server still up (setsid keeps it out of
    // our process group): stop it by the pid file it wrote, or it holds the ports for every later run.
    await run('bash', [SCRIPT, 'stop', data], { timeout: 60_000 }).catch(() => {});
    release();
    rmSync(data, { recursive: true, force: true });
    throw err;
  }
  return {
    uri: '127.0.0.1:19530',
    token: MILVUS_TEST_TOKEN,
    auth: true,
    stop: async () => {
      try {
        await run('bash', [SCRIPT, 'stop', data], { timeout: 60_000 });
      } finally {
        rmSync(data, { recursive: true, force: true });
        release();
      }
    },
  };
}

/** The server for this test file, or why its tests skip (never a skip under CI=true: that throws). */
export async function milvusForTests(): Promise<MilvusOrSkip> {
  const given = process.env.DENSEKIT_MILVUS_URI;
  if (given) {
    const token = process.env.DENSEKIT_MILVUS_TOKEN || undefined;
    return { server: { uri: given, token, auth: token !== undefined, stop: async () => {} }, skip: false };
  }
  try {
    return { server: await startOwn(), skip: false };
  } catch (err) {
    const e = err as Error & { stderr?: string };
    const why = `Milvus server could not start: ${(e.stderr || e.message).trim().split('\n').slice(-3).join(' | ')}`;
    if (process.env.CI === 'true') throw new Error(`${why} (CI=true: Milvus tests must run)`);
    console.log(`# SKIP milvus tests: ${why}`);
    return { server: undefined, skip: why };
  }
}

/** A test file's end: drops the collections it made (those `mine` picks), closes its client, stops its server. */
export async function cleanUpMilvus(server: MilvusForTests, client: MilvusClient | undefined, mine: (collection: string) => boolean): Promise<void> {
  if (client) {
    for (const c of (await client.showCollections()).data) if (mine(c.name)) await client.dropCollection({ collection_name: c.name });
    await client.closeConnection();
  }
  await server.stop();
}
