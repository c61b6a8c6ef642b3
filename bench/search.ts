// Exact and HNSW search speed: densekit next to FAISS on the same random vectors, in one command.
//
//   npx tsc -p . && node --expose-gc dist/bench/search.js [--rows 1000000] [--dim 768] [--queries 1000] [--k 10,1000]
//        [--hnsw-rows 50000 | --hnsw-npy P.npy --hnsw-queries-npy Q.npy] [--python /tmp/faissenv/bin/python]
//        [--dir /tmp/densekit-bench] [--coarse auto,f32,int8] [--threads 2]
//
// Writes corpus.npy / queries.npy (standard normal, seeded) into --dir, times densekit's FlatIndex,
// then runs bench/python/faiss_flat.py (needs faiss-cpu and numpy) on the same files, and prints both,
// plus how far densekit's exact ids agree with FAISS's (FAISS scores in float32, so near-ties may differ).
// FAISS runs best-configured: OPENBLAS_CORETYPE=SkylakeX (its wheel's OpenBLAS otherwise picks a kernel
// 2.5× slower here) and the same --threads as densekit. On a loaded machine also give it
// OMP_WAIT_POLICY=PASSIVE (inherited from this command's environment): its OpenMP threads otherwise
// spin, and ran 2-3× slower at load ~9 (onnxruntime's pools here never spin). The two run one after the other (densekit's
// index is released, and with --expose-gc collected, first), so peak memory is the larger of the two.
// HNSW (usearch vs FAISS IndexHNSWFlat, same M / efConstruction / efSearch) runs on the first
// --hnsw-rows random rows, or, better, on real embeddings given as .npy (see bench/hnsw-vectors.ts):
// random 768-d vectors have no neighbourhoods, so recall there is meaningless. Both engines' recall@10
// is measured against densekit's exact top 10.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { NpyFile } from '../src/index/import/npy.js';
import { openNpyWriter } from './npy-writer.js';
import { FlatIndex } from '../src/index/engines/flat/flat-index.js';
import { HnswIndex } from '../src/index/engines/hnsw/hnsw-index.js';
import type { CoarseKind } from '../src/index/engines/flat/score-graph.js';
import { SeededNormals } from './random-rows.js';
import type { VectorSource } from '../src/index/formats/vector-types.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1]! : fallback;
}

const rows = Number(arg('rows', '1000000'));
const dim = Number(arg('dim', '768'));
const nq = Number(arg('queries', '1000'));
const ks = arg('k', '10,1000').split(',').map(Number);
const hnswRows = Number(arg('hnsw-rows', '50000'));
const python = arg('python', process.env['DENSEKIT_BENCH_PYTHON'] ?? 'python3');
const dir = arg('dir', '/tmp/densekit-bench');
const coarseKinds = arg('coarse', 'auto').split(',') as (CoarseKind | 'auto')[];
const threads = Number(arg('threads', '2'));
const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');
const hnswNpy = arg('hnsw-npy', '');
const hnswQueriesNpy = arg('hnsw-queries-npy', '');
if ((hnswNpy === '') !== (hnswQueriesNpy === '')) throw new Error('--hnsw-npy and --hnsw-queries-npy go together');

function writeNpy(path: string, n: number, d: number, seed: number): void {
  const out = openNpyWriter(path, n, d);
  const gen = new SeededNormals(seed);
  const chunkRows = 8192;
  for (let r = 0; r < n; r += chunkRows) {
    const buf = new Float32Array(Math.min(chunkRows, n - r) * d);
    gen.fill(buf);
    out.write(buf);
  }
  out.close();
}

const time = async <T>(f: () => Promise<T>): Promise<[T, number]> => {
  const t = performance.now();
  const r = await f();
  return [r, (performance.now() - t) / 1000];
};

mkdirSync(dir, { recursive: true });
const corpusPath = join(dir, `corpus-${rows}x${dim}.npy`);
const queryPath = join(dir, `queries-${nq}x${dim}.npy`);
if (!existsSync(corpusPath)) writeNpy(corpusPath, rows, dim, 12345);
if (!existsSync(queryPath)) writeNpy(queryPath, nq, dim, 777);
const corpus = NpyFile.open(corpusPath);
const queryFile = NpyFile.open(queryPath);
const queries = Array.from({ length: nq }, (_, i) => queryFile.readRows(i, 1));
console.log(`corpus ${rows} × ${dim} f32, ${nq} queries, ${availableParallelism()} cores, ${threads} threads; load ${load()}`);

const report: Record<string, number | string> = {};
let exactIds: number[][] = [];
for (const coarse of coarseKinds) {
  const [index, buildS] = await time(() => FlatIndex.build(corpus, { coarse, threads }));
  report[`densekit_${coarse}_build_s`] = buildS;
  report[`densekit_${coarse}_rss_gb`] = process.memoryUsage().rss / 1e9;
  console.log(`densekit flat (${coarse}) build ${buildS.toFixed(1)} s, process RSS ${(process.memoryUsage().rss / 1e9).toFixed(2)} GB`);
  for (const k of ks) {
    await index.search(queries.slice(0, 8), k);
    const [hits, s] = await time(() => index.search(queries, k));
    report[`densekit_${coarse}_k${k}_qps`] = nq / s;
    report[`densekit_${coarse}_k${k}_rescored_per_query`] = index.lastSearchStats.rescored / nq;
    report[`densekit_${coarse}_k${k}_reruns`] = index.lastSearchStats.reruns;
    console.log(`densekit flat (${coarse} → ${index.coarseFor(k)} coarse) k=${k}: ${(nq / s).toFixed(1)} QPS (${s.toFixed(2)} s), rescored ${(index.lastSearchStats.rescored / nq).toFixed(0)}/query, reruns ${index.lastSearchStats.reruns}`);
    if (k === Math.max(...ks)) exactIds = hits.ids;
  }
  await index.close();
  (globalThis as { gc?: () => void }).gc?.(); // the next pass's build starts from the corpus alone
  report[`densekit_${coarse}_peak_rss_gb`] = process.resourceUsage().maxRSS * 1024 / 1e9;
  console.log(`densekit flat (${coarse}) peak RSS so far ${(process.resourceUsage().maxRSS * 1024 / 1e9).toFixed(2)} GB; load ${load()}`);
}

let hnswRecall = NaN;
const hnswTruthPath = join(dir, 'hnsw-truth.npy');
let hnswCorpusPath = corpusPath, hnswQueryPath = queryPath, hnswN = Math.min(hnswRows, rows);
if (hnswNpy !== '' || hnswRows > 0) {
  let sub: VectorSource, hq: Float32Array[], hnswFile: NpyFile | undefined;
  if (hnswNpy !== '') {
    hnswFile = NpyFile.open(hnswNpy);
    const qf = NpyFile.open(hnswQueriesNpy);
    sub = hnswFile;
    hq = Array.from({ length: qf.count }, (_, i) => qf.readRows(i, 1));
    qf.close();
    [hnswCorpusPath, hnswQueryPath, hnswN] = [hnswNpy, hnswQueriesNpy, hnswFile.count];
  } else {
    sub = { dim, count: hnswN, readRows: (s, c) => corpus.readRows(s, c) };
    hq = queries;
  }
  const exact = await FlatIndex.build(sub);
  const truth = (await exact.search(hq, 10)).ids;
  await exact.close();
  writeInt64Npy(hnswTruthPath, truth, 10);
  const [hnsw, buildS] = await time(() => HnswIndex.build(sub));
  await hnsw.search(hq.slice(0, 8), 10);
  const [hits, s] = await time(() => hnsw.search(hq, 10));
  let hit = 0;
  hits.ids.forEach((ids, i) => { const t = new Set(truth[i]); for (const id of ids) if (t.has(id)) hit++; });
  hnswRecall = hit / (10 * hq.length);
  Object.assign(report, { densekit_hnsw_rows: hnswN, densekit_hnsw_queries: hq.length, densekit_hnsw_build_s: buildS, densekit_hnsw_qps: hq.length / s, densekit_hnsw_recall10: hnswRecall });
  console.log(`densekit HNSW (usearch, M 16, efC 128, ef 64) on ${hnswN} × ${sub.dim} ${hnswNpy || 'random'} rows, ${hq.length} queries: build ${buildS.toFixed(1)} s, ${(hq.length / s).toFixed(0)} QPS, recall@10 ${hnswRecall.toFixed(4)}`);
  hnswFile?.close();
}
corpus.close();
(globalThis as { gc?: () => void }).gc?.();
console.log(`densekit done, RSS ${(process.memoryUsage().rss / 1e9).toFixed(2)} GB before FAISS starts`);

const idsOut = join(dir, 'faiss-ids.npy');
const py = spawnSync(python, [
  new URL('../../bench/python/faiss_flat.py', import.meta.url).pathname,
  '--corpus', corpusPath, '--queries', queryPath, '--k', ks.join(','), '--ids-out', idsOut, '--threads', String(threads),
  ...(hnswNpy !== '' || hnswRows > 0
    ? ['--hnsw-corpus', hnswCorpusPath, '--hnsw-queries', hnswQueryPath, '--hnsw-rows', String(hnswN), '--hnsw-truth', hnswTruthPath]
    : []),
], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 24, env: { ...process.env, OPENBLAS_CORETYPE: 'SkylakeX' } });
if (py.status !== 0) {
  console.error(`FAISS side failed (${python}); install faiss-cpu and numpy, or pass --python`);
  process.exit(1);
}
const faiss = JSON.parse(py.stdout.trim().split('\n').pop()!) as Record<string, number>;
console.log(`FAISS ${faiss['faiss_version']} (OPENBLAS_CORETYPE=SkylakeX, OMP_WAIT_POLICY=${process.env['OMP_WAIT_POLICY'] ?? 'unset'}, ${faiss['threads']} threads), peak RSS ${faiss['peak_rss_gb']!.toFixed(2)} GB`);
for (const k of ks) console.log(`FAISS IndexFlatIP k=${k}: ${faiss[`flat_k${k}_qps`]!.toFixed(1)} QPS`);
if (hnswNpy !== '' || hnswRows > 0) console.log(`FAISS IndexHNSWFlat (M 16, efC 128, ef 64): build ${faiss['hnsw_build_s']!.toFixed(1)} s, ${faiss['hnsw_qps']!.toFixed(0)} QPS, recall@10 ${faiss['hnsw_recall10']!.toFixed(4)}`);
console.log(`load: ${load()}`);
for (const coarse of coarseKinds) for (const k of ks) {
  console.log(`speed-up ${coarse} k=${k}: ${((report[`densekit_${coarse}_k${k}_qps`] as number) / faiss[`flat_k${k}_qps`]!).toFixed(2)}×`);
}

// Agreement of exact ids with FAISS (float32 scores: near-ties can swap at the cut).
const faissIds = readInt64Npy(idsOut);
const kMax = Math.max(...ks);
let same = 0;
exactIds.forEach((ids, i) => { const f = new Set(faissIds.slice(i * kMax, (i + 1) * kMax)); for (const id of ids) if (f.has(id)) same++; });
console.log(`densekit vs FAISS top-${kMax} overlap: ${(same / (kMax * nq)).toFixed(6)}`);
console.log(JSON.stringify({ ...report, faiss }));

/** Reads the int64 .npy the FAISS script writes (format 1.0, little-endian, C order). */
function readInt64Npy(path: string): number[] {
  const buf = readFileSync(path);
  const data = buf.subarray(10 + buf.readUInt16LE(8));
  const out: number[] = [];
  for (let i = 0; i < data.length; i += 8) out.push(Number(data.readBigInt64LE(i)));
  return out;
}

/** Writes rows of ids (each `width` long) as an int64 .npy for the FAISS side. */
function writeInt64Npy(path: string, rows: number[][], width: number): void {
  const data = new BigInt64Array(rows.length * width).fill(-1n);
  rows.forEach((r, i) => r.forEach((id, j) => { data[i * width + j] = BigInt(id); }));
  const out = openNpyWriter(path, rows.length, width, '<i8');
  out.write(data);
  out.close();
}
