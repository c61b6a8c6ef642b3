// Compressed HNSW on real vectors (issue 14): densekit's hnsw engine with f32, f16 and i8 graphs (with
// and without exact rescoring, several efSearch) against FAISS IndexHNSWFlat and IndexHNSWSQ (QT_fp16,
// QT_8bit), same M / efConstruction / efSearch, in one command.
//
//   npx tsc -p . && node dist/bench/hnsw.js --npy P.npy --queries-npy Q.npy --model MODEL_DIR
//        [--python /work/venv-bench/bin/python] [--ef 16,32,64,128] [--rescore 0,32] [--threads 2]
//        [--dir /tmp/densekit-hnsw-bench] [--min-seconds 2] [--i8-m 12]   (--i8-m: one more i8 graph with that M)
// P.npy / Q.npy: bench/hnsw-vectors.ts writes them (all-MiniLM-L6-v2 vectors). MODEL_DIR is only
// recorded in the manifests (queries are given as vectors).
//
// densekit: `importVectors` of P.npy into an index directory per dtype (f32 / f16 / int8 shards, and
// --index hnsw, whose graph stores the same kind: f32 / f16 / i8), then one child process per search
// setting: Index.open (graph memory-mapped) and searchVectors of every query at k = 10, repeated for at
// least --min-seconds; QPS, recall@10 against the exact top 10 (float64 brute force over P.npy), and the
// child's RssAnon (memory it owns) and RssFile (mapped file pages) after searching. FAISS: the same
// vectors in bench/python/faiss_hnsw.py (OPENBLAS_CORETYPE=SkylakeX), the index size written to disk
// and the growth of RssAnon from adding it. Both sides use --threads threads.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { Encoder } from '../src/encoder/encoder.js';
import { Index } from '../src/index/dense-index.js';
import { FlatIndex } from '../src/index/engines/flat/flat-index.js';
import { importVectors } from '../src/index/import/import-vectors.js';
import { NpyFile } from '../src/index/import/npy.js';
import type { VectorDType } from '../src/index/formats/vector-types.js';
import { openNpyWriter } from './npy-writer.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1]! : fallback;
}
const list = (s: string) => s.split(',').filter((x) => x !== '').map(Number);

const DIR = arg('dir', '/tmp/densekit-hnsw-bench');
const THREADS = Number(arg('threads', '2'));
const MIN_SECONDS = Number(arg('min-seconds', '2'));
const M = 16, EF_CONSTRUCTION = 128;

function readAll(path: string): Float32Array[] {
  const f = NpyFile.open(path);
  try {
    return Array.from({ length: f.count }, (_, i) => f.readRows(i, 1));
  } finally {
    f.close();
  }
}

function procStatusKiB(key: string): number {
  const m = new RegExp(`${key}:\\s+(\\d+) kB`).exec(readFileSync('/proc/self/status', 'utf8'));
  return Number(m?.[1] ?? 0);
}

/** Searches `queries` at k = 10 until `MIN_SECONDS` have passed; QPS and the last answers (rows). */
async function timedSearch(search: (q: Float32Array[]) => Promise<number[][]>, queries: Float32Array[]): Promise<{ qps: number; rows: number[][] }> {
  await search(queries.slice(0, 64)); // warm-up: page the mapped graph in
  let rows: number[][] = [], done = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < MIN_SECONDS * 1000 || done === 0) {
    rows = await search(queries);
    done += queries.length;
  }
  return { qps: done / ((performance.now() - t0) / 1000), rows };
}

function recallAt10(rows: number[][], truth: readonly (readonly number[])[]): number {
  let hit = 0;
  rows.forEach((r, q) => {
    const t = new Set(truth[q]);
    for (const x of r.slice(0, 10)) if (t.has(x)) hit++;
  });
  return hit / (10 * truth.length);
}

/** Child: one search setting over one index directory; prints one JSON line. */
async function child(dir: string, queriesPath: string, truthPath: string, ef: number, rescore: number): Promise<void> {
  const queries = readAll(queriesPath);
  const truth = JSON.parse(readFileSync(truthPath, 'utf8')) as number[][];
  const anonBefore = procStatusKiB('RssAnon');
  const t0 = performance.now();
  const index = await Index.open(dir, { threads: THREADS, searchParams: { efSearch: ef, rescore } });
  const openS = (performance.now() - t0) / 1000;
  const ids = queries.map((_, i) => String(i));
  const { qps, rows } = await timedSearch(async (q) => (await index.searchVectors(ids.slice(0, q.length), q, 10)).map((r) => r.hits.map((h) => h.row!)), queries);
  const out = {
    open_s: openS, qps, recall10: recallAt10(rows, truth),
    rss_anon_mib: procStatusKiB('RssAnon') / 1024, rss_anon_growth_mib: (procStatusKiB('RssAnon') - anonBefore) / 1024, rss_file_mib: procStatusKiB('RssFile') / 1024,
  };
  await index.close();
  console.log(JSON.stringify(out));
}

if (process.argv[2] === '--child') {
  const [, , , dir, q, truth, ef, rescore] = process.argv;
  await child(dir!, q!, truth!, Number(ef), Number(rescore));
  process.exit(0);
}

const npy = arg('npy', ''), queriesNpy = arg('queries-npy', ''), model = arg('model', '');
if (!npy || !queriesNpy || !model) {
  process.stderr.write('usage: node dist/bench/hnsw.js --npy P.npy --queries-npy Q.npy --model MODEL_DIR [--python PY] [--ef 16,32,64,128] [--rescore 0,32]\n');
  process.exit(2);
}
const efs = list(arg('ef', '16,32,64,128'));
const rescores = list(arg('rescore', '0,32'));
const python = arg('python', '/work/venv-bench/bin/python');
rmSync(DIR, { recursive: true, force: true });
mkdirSync(DIR, { recursive: true });

// Exact top 10 of every query (the flat engine: float64 scores of the f32 rows).
const corpus = NpyFile.open(npy);
const queries = readAll(queriesNpy);
const flat = await FlatIndex.build(corpus, { threads: THREADS });
const truth = (await flat.search(queries, 10)).ids;
await flat.close();
const truthPath = join(DIR, 'truth.json');
writeFileSync(truthPath, JSON.stringify(truth));
const truthNpy = openNpyWriter(join(DIR, 'truth.npy'), queries.length, 10, '<i8');
for (const row of truth) truthNpy.write(BigInt64Array.from(row, (x) => BigInt(x)));
truthNpy.close();
const docids = join(DIR, 'docids.txt');
writeFileSync(docids, Array.from({ length: corpus.count }, (_, i) => `p${i}`).join('\n') + '\n');
console.log(`${corpus.count} × ${corpus.dim} passages, ${queries.length} queries; M ${M}, efConstruction ${EF_CONSTRUCTION}; ${THREADS} threads; load ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);

interface Row { engine: string; stored: string; build_s: number; ef: number; rescore: number; qps: number; recall10: number; file_mib: number; anon_mib: number; mapped_mib?: number; load: number }
const table: Row[] = [];

// FAISS in its own process (2 threads, SkylakeX kernels), before and after densekit: the machine's
// load drifts, and the two FAISS passes show by how much.
function runFaiss(pass: string): void {
  for (const peer of ['f32', 'fp16', '8bit']) runFaissPeer(pass, peer);
}
function runFaissPeer(pass: string, peer: string): void {
  const faiss = spawnSync(python, [new URL('../../bench/python/faiss_hnsw.py', import.meta.url).pathname, '--peer', peer,
    '--corpus', npy, '--queries', queriesNpy, '--truth', join(DIR, 'truth.npy'), '--M', String(M), '--ef-construction', String(EF_CONSTRUCTION),
    '--ef', efs.join(','), '--threads', String(THREADS), '--min-seconds', String(MIN_SECONDS), '--tmp', DIR],
    { encoding: 'utf8', env: { ...process.env, OPENBLAS_CORETYPE: 'SkylakeX', OMP_NUM_THREADS: String(THREADS) }, stdio: ['ignore', 'pipe', 'inherit'] });
  if (faiss.status !== 0) throw new Error(`faiss_hnsw.py exited with ${faiss.status}`);
  for (const line of faiss.stdout.trim().split('\n')) {
    const row = JSON.parse(line) as Row;
    table.push({ ...row, engine: `${row.engine} (${pass})` });
  }
}
runFaiss('before');

const encoder = await Encoder.load(model, { threads: 1 });
const i8M = list(arg('i8-m', ''));
const configs: { dtype: VectorDType; M: number }[] = [...(['f32', 'f16', 'int8'] as VectorDType[]).map((dtype) => ({ dtype, M })), ...i8M.map((m) => ({ dtype: 'int8' as VectorDType, M: m }))];
for (const { dtype, M: m } of configs) {
  const dir = join(DIR, `densekit-${dtype}-M${m}`);
  let engineAt = 0;
  const t0 = performance.now();
  await importVectors({
    encoder, vectorsPath: npy, docidsPath: docids, outDir: dir, dtype, index: `hnsw:M=${m}`, engineThreads: THREADS,
    onEvent: (e) => { if (e.phase === 'engine') engineAt = performance.now(); },
  });
  const buildS = (performance.now() - engineAt) / 1000;
  const importS = (performance.now() - t0) / 1000;
  const fileMiB = statSync(join(dir, 'hnsw.usearch')).size / 2 ** 20;
  const stored = { f32: 'f32', f16: 'f16', int8: 'i8' }[dtype] + (m !== M ? ` (M ${m})` : '');
  console.log(`densekit ${dtype} M ${m}: import ${importS.toFixed(1)} s, of which the graph ${buildS.toFixed(1)} s; graph file ${fileMiB.toFixed(1)} MiB`);
  for (const rescore of rescores) {
    for (const ef of efs) {
      const r = spawnSync(process.execPath, [process.argv[1]!, '--child', dir, queriesNpy, truthPath, String(ef), String(rescore), '--threads', String(THREADS), '--min-seconds', String(MIN_SECONDS)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
      if (r.status !== 0) throw new Error(`child (${dtype}, ef ${ef}, rescore ${rescore}) exited with ${r.status}`);
      const m = JSON.parse(r.stdout.trim().split('\n').pop()!) as { qps: number; recall10: number; rss_anon_growth_mib: number; rss_file_mib: number };
      table.push({ engine: 'densekit hnsw', stored: stored!, build_s: buildS, ef, rescore, qps: m.qps, recall10: m.recall10, file_mib: fileMiB, anon_mib: m.rss_anon_growth_mib, mapped_mib: m.rss_file_mib, load: loadavg()[0]! });
      console.log(JSON.stringify(table[table.length - 1]));
    }
  }
}
await encoder.dispose();
corpus.close();
runFaiss('after');

console.log(`\n| engine | vectors | build s | efSearch | rescore | QPS | recall@10 | graph file MiB | RssAnon growth MiB | RssFile MiB | load (1 min) |`);
console.log('|---|---|---|---|---|---|---|---|---|---|---|');
for (const r of table) {
  console.log(`| ${r.engine} | ${r.stored} | ${r.build_s.toFixed(1)} | ${r.ef} | ${r.rescore || '–'} | ${Math.round(r.qps).toLocaleString('en-US')} | ${r.recall10.toFixed(4)} | ${r.file_mib.toFixed(1)} | ${r.anon_mib.toFixed(1)} | ${r.mapped_mib !== undefined ? r.mapped_mib.toFixed(1) : '–'} | ${r.load.toFixed(1)} |`);
}
if (process.argv.includes('--keep')) console.log(`kept ${DIR}`);
else rmSync(DIR, { recursive: true, force: true });
