// Growth bench (issue 14): exact search over stored f16/int8 codes at 1M … 21M rows × 768, against
// FAISS IndexFlatIP (where it fits in memory) and IndexScalarQuantizer QT_8bit / QT_fp16, in one command.
//
//   npx tsc -p . && node dist/bench/scale.js [--rows 1000000,2000000,4000000,8841823] [--dtypes f16,int8]
//        [--dim 768] [--queries 1000] [--k 10,1000] [--dir /work/scale-bench] [--python PY]
//        [--faiss flat,sq8,sqfp16] [--faiss-flat-max-rows 4000000] [--faiss-sq-queries 1000] [--keep] [--whole-index]
//        [--reuse]
//   Wikipedia size: --rows 21015324 --dtypes int8
//   Whole index (--whole-index): the write child builds a full index directory through the library's
//   import path (importVectors: shards + .ids + manifest + docid index, docids "0".."N-1" as MS MARCO's),
//   and the search child opens it through openIndex (manifest, size checks, docid index) and searches
//   with Index.searchVectors, hits carrying docids: what `densekit search` / `serve` do, minus the encoder.
//
// Rows are standard-normal (seeded ziggurat; queries: seeded Box–Muller) and generated on the fly while the
// index is written: no .npy of 3–65 GB is written first (the disk here holds the index, not both). The
// write phase reports how much of its time went to generating rows (generate_s) rather than writing them.
// Each densekit phase runs in its own child process, sampled every 100 ms from /proc/PID/status for peak RSS (VmHWM) and peak
// anonymous memory (RssAnon: memory the process owns, not the page cache's file pages it maps or reads).
//   write:  rows → blocked shards (1,048,576 rows each) + docids, as `densekit import` writes them
//   open:   VectorStore.open + ShardScanIndex.open (header, block table, trailer of each shard)
//   search: a warm-up of 8 queries (reads and checks every block once), then --queries at each k
// FAISS (bench/python/faiss_scale.py) indexes the same stored vectors (decoded from the shards), so
// both sides search identical data; SQ peers are approximate, so their overlap with the exact top-k
// is reported too. Big files are deleted at the end unless --keep.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { availableParallelism, loadavg } from 'node:os';
import { openNpyWriter } from './npy-writer.js';
import { SeededNormals, ZigguratNormals } from './random-rows.js';
import { VectorShardWriter } from '../src/index/formats/shard-writer.js';
import { VectorStore } from '../src/index/formats/vector-store.js';
import { ShardScanIndex } from '../src/index/engines/flat/shard-scan-index.js';
import { NpyFile } from '../src/index/import/npy.js';
import type { VectorDType, VectorSource } from '../src/index/formats/vector-types.js';
import { importVectors } from '../src/index/import/import-vectors.js';
import { openIndex } from '../src/index/open-index.js';
import type { Index } from '../src/index/dense-index.js';
import { Encoder } from '../src/encoder/encoder.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1]! : fallback;
}

const SHARD_ROWS = 1 << 20;
/** --whole-index: rows per imported shard; import holds one shard's float32 rows (768 MiB at 768 dims). */
const IMPORT_SHARD_ROWS = 1 << 18;
const CORPUS_SEED = 12345, QUERY_SEED = 777;

/** Child: writes `rows` generated rows as blocked shards + one docid per line; prints seconds. */
function childWrite(dir: string, rows: number, dim: number, dtype: VectorDType): void {
  mkdirSync(dir, { recursive: true });
  const t0 = performance.now();
  const gen = new ZigguratNormals(CORPUS_SEED);
  const chunk = new Float32Array(8192 * dim);
  let genMs = 0;
  const ids: string[] = [];
  for (let s = 0; s * SHARD_ROWS < rows; s++) {
    const n = Math.min(SHARD_ROWS, rows - s * SHARD_ROWS);
    const w = new VectorShardWriter(join(dir, `shard-${String(s).padStart(5, '0')}.vec`), { dtype, dim });
    for (let done = 0; done < n; ) {
      const m = Math.min(8192, n - done);
      const piece = chunk.subarray(0, m * dim);
      const g = performance.now();
      gen.fill(piece);
      genMs += performance.now() - g;
      w.append(piece);
      done += m;
    }
    w.finish();
    for (let r = 0; r < n; r++) ids.push(`d${s * SHARD_ROWS + r}`);
    if (ids.length >= 1 << 20) {
      writeFileSync(join(dir, 'docids.txt'), ids.join('\n') + '\n', { flag: 'a' });
      ids.length = 0;
    }
    process.stderr.write(`  wrote ${Math.min(rows, (s + 1) * SHARD_ROWS)} / ${rows} rows (${((performance.now() - t0) / 1000).toFixed(0)} s)\n`);
  }
  if (ids.length) writeFileSync(join(dir, 'docids.txt'), ids.join('\n') + '\n', { flag: 'a' });
  console.log(JSON.stringify({ write_s: (performance.now() - t0) / 1000, generate_s: genMs / 1000 }));
}

/** A model record for imported bench rows (the tiny test model's settings; its width is not used: no query is encoded). */
async function benchEncoderRecord(dim: number) {
  const e = await Encoder.load(new URL('../../test/fixtures/goldens/models/bert-tiny', import.meta.url).pathname, { threads: 1 });
  await e.dispose();
  return { source: e.source, settings: { ...e.settings, similarity: 'dot' as const }, dims: dim, trainedFor: e.trainedFor };
}

/** Child (--whole-index): imports `rows` generated rows into a full index directory through importVectors; prints seconds. */
async function childImport(dir: string, rows: number, dim: number, dtype: VectorDType): Promise<void> {
  const t0 = performance.now();
  mkdirSync(dir, { recursive: true });
  const docidsPath = `${dir}.docids.txt`;
  rmSync(docidsPath, { force: true });
  for (let r = 0; r < rows; r += 1 << 20) {
    const ids = Array.from({ length: Math.min(1 << 20, rows - r) }, (_, i) => `${r + i}\n`).join('');
    writeFileSync(docidsPath, ids, { flag: 'a' });
  }
  const gen = new SeededNormals(CORPUS_SEED);
  let next = 0;
  const vectors: VectorSource = {
    dim, count: rows,
    readRows(start, n) {
      if (start !== next) throw new Error(`generated rows are read in order: asked for ${start}, next is ${next}`);
      next = start + n;
      const out = new Float32Array(n * dim);
      gen.fill(out);
      return out;
    },
  };
  let docidsAt = 0;
  await importVectors({
    encoder: await benchEncoderRecord(dim), vectorsPath: 'generated', docidsPath, outDir: dir, dtype, shardSize: IMPORT_SHARD_ROWS, vectors,
    onEvent: (e) => {
      if (e.phase === 'import' && (e.done % (1 << 20) === 0 || e.done === e.total)) process.stderr.write(`  imported ${e.done} / ${e.total} rows (${((performance.now() - t0) / 1000).toFixed(0)} s)\n`);
      if (e.phase === 'docids') {
        docidsAt = performance.now();
        process.stderr.write(`  writing the docid index over ${e.count} docids\n`);
      }
    },
  });
  rmSync(docidsPath, { force: true });
  const end = performance.now();
  console.log(JSON.stringify({ write_s: (end - t0) / 1000, docid_index_s: (end - docidsAt) / 1000 }));
}

/** Child (--whole-index): openIndex + first search + QPS through the Index, hits with docids; writes the exact rows at the largest k. */
async function childOpenSearch(dir: string, queriesPath: string, ks: number[], idsOut: string): Promise<void> {
  const t0 = performance.now();
  const opened = await openIndex(dir, { threads: availableParallelism() });
  const index = opened.searcher as Index;
  const openS = (performance.now() - t0) / 1000;
  const qf = NpyFile.open(queriesPath);
  const queries = Array.from({ length: qf.count }, (_, i) => qf.readRows(i, 1));
  const qids = queries.map((_, i) => `q${i}`);
  const out: Record<string, number> = { open_s: openS };
  let t = performance.now();
  await index.searchVectors(qids.slice(0, 8), queries.slice(0, 8), 10);
  out['first_pass_s'] = (performance.now() - t) / 1000;
  out['open_plus_first_search_s'] = (performance.now() - t0) / 1000;
  for (const k of ks) {
    t = performance.now();
    const hits = await index.searchVectors(qids, queries, k);
    out[`k${k}_qps`] = queries.length / ((performance.now() - t) / 1000);
    if (hits.some((h) => h.hits.some((x) => x.docid !== String(x.row)))) throw new Error('a hit\'s docid is not its row number');
    if (k === Math.max(...ks)) {
      const w = openNpyWriter(idsOut, queries.length, k, '<i8');
      for (const h of hits) w.write(BigInt64Array.from(h.hits, (x) => BigInt(x.row!)));
      w.close();
    }
  }
  await opened.close();
  console.log(JSON.stringify(out));
}

/** Child: opens the shards and searches; prints timings and writes the exact ids at the largest k. */
async function childSearch(dir: string, queriesPath: string, ks: number[], idsOut: string): Promise<void> {
  const t0 = performance.now();
  const files = readdirSync(dir).filter((f) => f.endsWith('.vec')).sort();
  const store = VectorStore.open(dir, files);
  const index = await ShardScanIndex.open(store.shards);
  const openS = (performance.now() - t0) / 1000;
  const qf = NpyFile.open(queriesPath);
  const queries = Array.from({ length: qf.count }, (_, i) => qf.readRows(i, 1));
  const out: Record<string, number> = { open_s: openS };
  let t = performance.now();
  await index.search(queries.slice(0, 8), 10);
  out['first_pass_s'] = (performance.now() - t) / 1000;
  for (const k of ks) {
    t = performance.now();
    const hits = await index.search(queries, k);
    const s = (performance.now() - t) / 1000;
    out[`k${k}_qps`] = queries.length / s;
    out[`k${k}_rescored_per_query`] = index.lastSearchStats.rescored / queries.length;
    out[`k${k}_reruns`] = index.lastSearchStats.reruns;
    if (k === Math.max(...ks)) {
      const w = openNpyWriter(idsOut, queries.length, k, '<i8');
      for (const row of hits.ids) w.write(BigInt64Array.from(row, (x) => BigInt(x)));
      w.close();
    }
  }
  await index.close();
  store.close();
  console.log(JSON.stringify(out));
}

interface Measured {
  result: Record<string, number>;
  peakRssGiB: number;
  peakAnonGiB: number;
}

/** Runs a child, sampling its VmHWM and RssAnon; resolves with its last JSON line. */
function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<Measured> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'], env });
    let stdout = '', peakRss = 0, peakAnon = 0;
    const sample = () => {
      try {
        const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
        const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0);
        peakRss = Math.max(peakRss, kb('VmHWM'));
        peakAnon = Math.max(peakAnon, kb('RssAnon'));
      } catch {
        // the child has exited
      }
    };
    const timer = setInterval(sample, 100);
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); sample(); });
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(timer);
      if (code !== 0) return reject(new Error(`${cmd} ${args.join(' ')} exited with ${code}`));
      const line = stdout.trim().split('\n').pop()!;
      resolve({ result: JSON.parse(line) as Record<string, number>, peakRssGiB: peakRss / 2 ** 20, peakAnonGiB: peakAnon / 2 ** 20 });
    });
  });
}

function dirBytes(dir: string): number {
  return readdirSync(dir).reduce((n, f) => n + statSync(join(dir, f)).size, 0);
}

async function main(): Promise<void> {
  const phase = arg('child', '');
  if (phase === 'import') return childImport(arg('out', ''), Number(arg('rows', '0')), Number(arg('dim', '768')), arg('dtype', 'int8') as VectorDType);
  if (phase === 'open-search') return childOpenSearch(arg('out', ''), arg('queries-npy', ''), arg('k', '10,1000').split(',').map(Number), arg('ids-out', ''));
  if (phase === 'write') return childWrite(arg('out', ''), Number(arg('rows', '0')), Number(arg('dim', '768')), arg('dtype', 'int8') as VectorDType);
  if (phase === 'search') return childSearch(arg('out', ''), arg('queries-npy', ''), arg('k', '10,1000').split(',').map(Number), arg('ids-out', ''));

  const sizes = arg('rows', '1000000,2000000,4000000,8841823').split(',').map(Number);
  const dtypes = arg('dtypes', 'f16,int8').split(',') as VectorDType[];
  const dim = Number(arg('dim', '768'));
  const nq = Number(arg('queries', '1000'));
  const ks = arg('k', '10,1000');
  const root = arg('dir', '/work/scale-bench');
  const python = arg('python', process.env['DENSEKIT_BENCH_PYTHON'] ?? 'python3');
  const peers = arg('faiss', 'flat,sq8,sqfp16').split(',').filter((p) => p !== '');
  const flatMax = Number(arg('faiss-flat-max-rows', '4000000'));
  const sqQueries = arg('faiss-sq-queries', String(nq));
  const keep = process.argv.includes('--keep');
  const whole = process.argv.includes('--whole-index');
  const [writePhase, searchPhase, engineName] = whole ? ['import', 'open-search', 'densekit openIndex'] : ['write', 'search', 'densekit scan'];
  // --reuse: search what a previous --keep run left in the directory instead of writing it again (no write row).
  const reuse = process.argv.includes('--reuse');
  mkdirSync(root, { recursive: true });
  const queriesPath = join(root, `queries-${nq}x${dim}.npy`);
  if (!existsSync(queriesPath)) {
    const w = openNpyWriter(queriesPath, nq, dim);
    const q = new Float32Array(nq * dim);
    new SeededNormals(QUERY_SEED).fill(q);
    w.write(q);
    w.close();
  }
  const self = new URL(import.meta.url).pathname;
  const rowsOut: string[] = [];
  console.log(`${availableParallelism()} cores; load at start ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  for (const rows of sizes) {
    for (const dtype of dtypes) {
      const dir = join(root, `${dtype}-${rows}`);
      const reused = reuse && existsSync(dir) && readdirSync(dir).length > 0;
      if (!reused) rmSync(dir, { recursive: true, force: true });
      const write: Measured = reused
        ? { result: { write_s: NaN }, peakRssGiB: NaN, peakAnonGiB: NaN }
        : await run(process.execPath, [self, '--child', writePhase, '--out', dir, '--rows', String(rows), '--dim', String(dim), '--dtype', dtype]);
      const gib = dirBytes(dir) / 2 ** 30;
      const idsOut = join(root, `exact-ids-${dtype}-${rows}.npy`);
      const search = await run(process.execPath, [self, '--child', searchPhase, '--out', dir, '--queries-npy', queriesPath, '--k', ks, '--ids-out', idsOut]);
      const r = search.result;
      const line = {
        rows, dtype, index_gib: gib, ...write.result, write_peak_rss_gib: write.peakRssGiB,
        ...r, search_peak_rss_gib: search.peakRssGiB, search_peak_anon_gib: search.peakAnonGiB, load: loadavg()[0]!,
      };
      console.log(JSON.stringify(line));
      rowsOut.push(`| ${rows.toLocaleString('en-US')} | ${engineName} | ${dtype} | ${gib.toFixed(2)} | ${write.result['write_s']!.toFixed(0)} | ${r['open_s']!.toFixed(2)} | ${r['first_pass_s']!.toFixed(1)} | ${search.peakRssGiB.toFixed(2)} | ${search.peakAnonGiB.toFixed(2)} | ${ks.split(',').map((k) => r[`k${k}_qps`]!.toFixed(1)).join(' / ')} | exact | ${loadavg()[0]!.toFixed(1)} |`);
      for (const peer of peers) {
        if (peer === 'flat' && rows > flatMax) continue;
        const peerQueries = peer === 'flat' ? String(nq) : sqQueries;
        const f = await run(python, [
          new URL('../../bench/python/faiss_scale.py', import.meta.url).pathname,
          '--shards', dir, '--queries', queriesPath, '--nq', peerQueries, '--k', ks, '--peer', peer, '--exact-ids', idsOut,
        ], { ...process.env, OPENBLAS_CORETYPE: 'SkylakeX' });
        const p = f.result;
        console.log(JSON.stringify({ rows, dtype, peer, ...p, peak_rss_gib: f.peakRssGiB, peak_anon_gib: f.peakAnonGiB, load: loadavg()[0]! }));
        rowsOut.push(`| ${rows.toLocaleString('en-US')} | FAISS ${p['name'] ?? peer} (${peerQueries} q) | ${dtype} rows | | ${p['add_s']!.toFixed(0)} | | | ${f.peakRssGiB.toFixed(2)} | ${f.peakAnonGiB.toFixed(2)} | ${ks.split(',').map((k) => p[`k${k}_qps`]!.toFixed(1)).join(' / ')} | ${p['overlap']!.toFixed(4)} | ${loadavg()[0]!.toFixed(1)} |`);
      }
      if (!keep) rmSync(dir, { recursive: true, force: true });
    }
  }
  console.log(`\n| rows | engine | stored | index GiB | write/add s | open s | first pass s | peak RSS GiB | peak RssAnon GiB | QPS k=${ks.replace(',', ' / ')} | top-k overlap with exact | load |`);
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const l of rowsOut) console.log(l);
}

await main();
