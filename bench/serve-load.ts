// Load test of `densekit serve` on 127.0.0.1: the same closed-loop load (N requests, C concurrent
// clients, one SciFact query each, k = 10) against the server with micro-batching on and off
// (--max-batch-size 1), reporting QPS, p50/p99 latency and errors. The server runs as its own process
// so the load generator does not share its event loop. Bounded: stops at N requests or the time cap.
//
// Run: npx tsc -p . && node dist/bench/serve-load.js [--index DIR] [--requests 2000] [--concurrency 16]
//        [--seconds 60] [--rounds 2] [--docs 1000] [--model DIR] [--threads N]
// Without --index it builds an index of the first --docs SciFact passages with --model (default
// bert-tiny) in a temp directory, and removes it afterwards.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { BERT_TINY, buildFixtureIndex, scifactRecords } from '../test/server/fixture-index.js';

const { values } = parseArgs({
  options: {
    index: { type: 'string' },
    requests: { type: 'string', default: '2000' },
    concurrency: { type: 'string', default: '16' },
    seconds: { type: 'string', default: '60' },
    docs: { type: 'string', default: '1000' },
    model: { type: 'string' },
    threads: { type: 'string' },
    k: { type: 'string', default: '10' },
    rounds: { type: 'string', default: '2' },
  },
});
const REQUESTS = Number(values.requests);
const CONCURRENCY = Number(values.concurrency);
const SECONDS = Number(values.seconds);
const K = Number(values.k);
const ROUNDS = Number(values.rounds);
const WARMUP = 50;

const queries = readFileSync('test/fixtures/data/scifact/queries.jsonl', 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => (JSON.parse(l) as { text: string }).text);

interface Server {
  readonly url: string;
  readonly child: ChildProcess;
}

function startServe(indexDir: string, extra: string[]): Promise<Server> {
  const args = ['dist/src/cli/main.js', 'serve', '--index', indexDir, '--port', '0', '--no-verify', '--max-concurrent', String(CONCURRENCY * 2), ...extra];
  if (values.threads) args.push('--threads', values.threads);
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  return new Promise((resolve, reject) => {
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => {
      stderr += chunk;
      const m = /listening on (http:\/\/\S+)/.exec(stderr);
      if (m) resolve({ url: m[1]!, child });
    });
    child.on('exit', (code) => reject(new Error(`serve exited with ${code}:\n${stderr}`)));
  });
}

async function stopServe(server: Server): Promise<void> {
  const exited = new Promise((resolve) => server.child.once('exit', resolve));
  server.child.kill('SIGTERM');
  await exited;
}

interface LoadResult {
  readonly done: number;
  readonly errors: number;
  readonly seconds: number;
  readonly latenciesMs: number[];
  readonly firstError?: string;
}

/** C workers, each sending its next request when the previous one is answered, until N or the cap. */
async function load(url: string, total: number, concurrency: number, capSeconds: number): Promise<LoadResult> {
  const deadline = performance.now() + capSeconds * 1000;
  const latenciesMs: number[] = [];
  let next = 0;
  let errors = 0;
  let firstError: string | undefined;
  const started = performance.now();
  const worker = async (): Promise<void> => {
    while (next < total && performance.now() < deadline) {
      const query = queries[next++ % queries.length]!;
      const t0 = performance.now();
      try {
        const res = await fetch(`${url}/search`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query, k: K }),
        });
        const body = (await res.json()) as { results?: { hits: unknown[] }[]; message?: string };
        if (res.status !== 200 || body.results?.[0]?.hits.length !== K) {
          errors++;
          firstError ??= `${res.status} ${body.message ?? JSON.stringify(body).slice(0, 200)}`;
        }
      } catch (err) {
        errors++;
        firstError ??= (err as Error).message;
      }
      latenciesMs.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { done: latenciesMs.length, errors, seconds: (performance.now() - started) / 1000, latenciesMs, ...(firstError ? { firstError } : {}) };
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function runMode(indexDir: string, label: string, extra: string[]) {
  const server = await startServe(indexDir, extra);
  try {
    await load(server.url, WARMUP, CONCURRENCY, SECONDS);
    const r = await load(server.url, REQUESTS, CONCURRENCY, SECONDS);
    const info = (await (await fetch(`${server.url}/info`)).json()) as { stats: { batches: number; queries: number } };
    const sorted = [...r.latenciesMs].sort((a, b) => a - b);
    return {
      label,
      requests: r.done,
      errors: r.errors,
      seconds: r.seconds,
      qps: r.done / r.seconds,
      p50: percentile(sorted, 50),
      p99: percentile(sorted, 99),
      meanBatch: info.stats.queries / info.stats.batches,
      firstError: r.firstError,
    };
  } finally {
    await stopServe(server);
  }
}

let builtDir: string | undefined;
if (!values.index) console.log(`building an index of ${values.docs} SciFact passages with ${values.model ?? BERT_TINY}…`);
const indexDir = values.index ?? (builtDir = await buildFixtureIndex(scifactRecords(Number(values.docs)), values.model ?? BERT_TINY, 2));
try {
  console.log(`index ${indexDir}; ${REQUESTS} requests, concurrency ${CONCURRENCY}, k ${K}, cap ${SECONDS} s per mode`);
  // Modes alternate (on, off, on, off, ...) so drift in a shared machine's load hits both alike.
  const modes: [string, string[]][] = [
    ['batching on (max 32, wait 2 ms)', []],
    ['batching off (max batch 1)', ['--max-batch-size', '1']],
  ];
  const rows: Awaited<ReturnType<typeof runMode>>[] = [];
  for (let round = 0; round < ROUNDS; round++) for (const [label, extra] of modes) rows.push(await runMode(indexDir, label, extra));
  console.log('| mode | requests | errors | QPS | p50 ms | p99 ms | mean batch |\n|---|---|---|---|---|---|---|');
  for (const r of rows) {
    console.log(`| ${r.label} | ${r.requests} | ${r.errors} | ${r.qps.toFixed(1)} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.meanBatch.toFixed(1)} |`);
    if (r.firstError) console.log(`  first error (${r.label}): ${r.firstError}`);
  }
  const qps = (label: string) => {
    const mine = rows.filter((r) => r.label === label);
    return mine.reduce((a, r) => a + r.requests, 0) / mine.reduce((a, r) => a + r.seconds, 0);
  };
  console.log(`over all rounds: batching on ${qps(modes[0]![0]).toFixed(1)} QPS, off ${qps(modes[1]![0]).toFixed(1)} QPS: ${(qps(modes[0]![0]) / qps(modes[1]![0])).toFixed(2)}×`);
  if (rows.some((r) => r.errors > 0)) process.exitCode = 1;
} finally {
  if (builtDir) rmSync(dirname(builtDir), { recursive: true, force: true });
}
