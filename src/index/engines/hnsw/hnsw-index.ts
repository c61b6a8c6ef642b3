/**
 * Approximate inner-product search with an HNSW graph, through `usearch` (chosen over hnswlib-node:
 * it ships prebuilt binaries for linux-x64/arm64 and macOS, so installs need no compiler or install
 * script, takes batches as Float32Array with multi-threaded add/search, and is actively released;
 * hnswlib-node compiles with node-gyp at install and takes one number[] per call).
 *
 * Files: `<path>` is usearch's own index file; `<path>.json` records what densekit needs to reopen
 * it safely (dim, count, M, efConstruction, and the index file's sha256 and size).
 */
import { requirePositiveInt } from '../../../checks/positive-int.js';
import type { Index as UsearchIndex, BatchMatches, Matches } from 'usearch';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { existsSync, rmSync, statSync } from 'node:fs';
import { publishFile, tempPathFor, writeFileAtomic } from '../../../files/atomic-write.js';
import { readJsonFileSync } from '../../../files/json-file.js';
import { sha256OfFile } from '../../../files/sha256.js';
import { TopKHeap } from '../../../results/top-k-heap.js';
import { tieRankOf } from '../../../results/tie-ranks.js';
import type { RowHits, SearchOptions, VectorIndex, VectorSource } from '../../formats/vector-types.js';

export interface HnswOptions {
  /** Graph degree M (usearch "connectivity"); default 16. */
  readonly M?: number;
  /** Candidate list size while building; default 128. */
  readonly efConstruction?: number;
  /** Candidate list size while searching (raised to k when smaller); default 64. */
  readonly efSearch?: number;
  /** Threads for add and search; default all cores. */
  readonly threads?: number;
  /** Rows added per call while building; default 16384. */
  readonly addBatch?: number;
}

interface HnswMeta {
  readonly format: 'densekit-hnsw';
  readonly version: 1;
  readonly engine: 'usearch';
  readonly metric: 'ip';
  readonly dim: number;
  readonly count: number;
  readonly M: number;
  readonly efConstruction: number;
  readonly bytes: number;
  readonly sha256: string;
}

// usearch's ESM build finds its native binary by walking up from the caller's stack frame, which
// fails (unbounded recursion) when the caller has no file path, e.g. under `node -e`; its CommonJS
// build uses __dirname and always works.
const { Index, MetricKind, ScalarKind } = createRequire(import.meta.url)('usearch') as typeof import('usearch');
type Index = UsearchIndex;

const DEFAULTS = { M: 16, efConstruction: 128, efSearch: 64 };

function makeIndex(dim: number, M: number, efConstruction: number, efSearch: number): Index {
  return new Index({
    dimensions: dim, metric: MetricKind.IP, quantization: ScalarKind.F32,
    connectivity: M, expansion_add: efConstruction, expansion_search: efSearch, multi: false,
  });
}

export class HnswIndex implements VectorIndex {
  readonly dim: number;
  readonly count: number;
  readonly M: number;
  readonly efConstruction: number;
  readonly efSearch: number;
  private readonly threads: number;
  private readonly index: Index;

  private constructor(index: Index, dim: number, count: number, M: number, efC: number, efS: number, threads: number) {
    this.index = index;
    this.dim = dim;
    this.count = count;
    this.M = M;
    this.efConstruction = efC;
    this.efSearch = efS;
    this.threads = threads;
  }

  /** Builds the graph over every row of `source`; row numbers are the keys. */
  static async build(source: VectorSource, options: HnswOptions = {}): Promise<HnswIndex> {
    const M = requirePositiveInt('hnsw index: M', options.M ?? DEFAULTS.M);
    const efC = requirePositiveInt('hnsw index: efConstruction', options.efConstruction ?? DEFAULTS.efConstruction);
    const efS = requirePositiveInt('hnsw index: efSearch', options.efSearch ?? DEFAULTS.efSearch);
    const threads = options.threads ?? availableParallelism();
    const batch = options.addBatch ?? 16384;
    const index = makeIndex(source.dim, M, efC, efS);
    for (let start = 0; start < source.count; start += batch) {
      const n = Math.min(batch, source.count - start);
      const rows = source.readRows(start, n);
      for (let i = 0; i < rows.length; i++) {
        if (!Number.isFinite(rows[i]!)) throw new Error(`hnsw index: row ${start + Math.floor(i / source.dim)} holds a non-finite value`);
      }
      const keys = new BigUint64Array(n);
      for (let i = 0; i < n; i++) keys[i] = BigInt(start + i);
      index.add(keys, rows, threads);
      // Yield between batches so a long build does not starve the event loop.
      await new Promise((r) => setImmediate(r));
    }
    return new HnswIndex(index, source.dim, source.count, M, efC, efS, threads);
  }

  /** Writes `<path>` and `<path>.json`, each through a temp file and rename. */
  save(path: string): void {
    const tmp = tempPathFor(path);
    this.index.save(tmp);
    const bytes = statSync(tmp).size;
    const meta: HnswMeta = {
      format: 'densekit-hnsw', version: 1, engine: 'usearch', metric: 'ip', dim: this.dim, count: this.count,
      M: this.M, efConstruction: this.efConstruction, bytes, sha256: sha256OfFile(tmp),
    };
    publishFile(tmp, path);
    writeFileAtomic(`${path}.json`, JSON.stringify(meta, null, 2) + '\n');
  }

  /**
   * Opens a saved index after checking its sidecar and the file's size and sha256 (a damaged file is
   * refused before the native loader sees it). efSearch and threads may differ from build time.
   */
  static load(path: string, options: { efSearch?: number; threads?: number; verifyChecksum?: boolean } = {}): HnswIndex {
    const metaPath = `${path}.json`;
    if (!existsSync(path)) throw new Error(`hnsw index ${path}: file not found`);
    if (!existsSync(metaPath)) throw new Error(`hnsw index ${metaPath}: sidecar not found (was the index saved by densekit?)`);
    const meta = readJsonFileSync(metaPath, { object: true }) as HnswMeta;
    if (meta.format !== 'densekit-hnsw' || meta.version !== 1 || meta.engine !== 'usearch' || meta.metric !== 'ip') {
      throw new Error(`hnsw index ${metaPath}: unsupported sidecar (format ${meta.format}, version ${meta.version})`);
    }
    const size = statSync(path).size;
    if (size !== meta.bytes) throw new Error(`hnsw index ${path}: file is ${size} bytes, sidecar says ${meta.bytes} (truncated or replaced)`);
    if (options.verifyChecksum !== false) {
      const sha = sha256OfFile(path);
      if (sha !== meta.sha256) throw new Error(`hnsw index ${path}: checksum mismatch (sha256 ${sha}, sidecar says ${meta.sha256})`);
    }
    const efS = requirePositiveInt('hnsw index: efSearch', options.efSearch ?? DEFAULTS.efSearch);
    const index = makeIndex(meta.dim, meta.M, meta.efConstruction, efS);
    try {
      index.load(path);
    } catch (err) {
      throw new Error(`hnsw index ${path}: usearch could not load it (${(err as Error).message})`);
    }
    if (index.size() !== meta.count) throw new Error(`hnsw index ${path}: holds ${index.size()} vectors, sidecar says ${meta.count}`);
    return new HnswIndex(index, meta.dim, meta.count, meta.M, meta.efConstruction, efS, options.threads ?? availableParallelism());
  }

  /**
   * Approximate top-k by inner product. Scores are usearch's (1 − distance, float32 arithmetic);
   * equal scores are ordered by tie rank descending, as in FlatIndex.
   */
  async search(queries: readonly Float32Array[], k: number, options: SearchOptions = {}): Promise<RowHits> {
    if (!Number.isInteger(k) || k < 0) throw new Error(`hnsw index: k must be a non-negative integer, got ${k}`);
    const ids: number[][] = queries.map(() => []);
    const scores: number[][] = queries.map(() => []);
    const kk = Math.min(k, this.count);
    if (kk === 0 || queries.length === 0) return { ids, scores };
    const flat = new Float32Array(queries.length * this.dim);
    queries.forEach((q, i) => {
      if (q.length !== this.dim) throw new Error(`hnsw index: query ${i} has ${q.length} values, index dim is ${this.dim}`);
      for (const v of q) if (!Number.isFinite(v)) throw new Error(`hnsw index: query ${i} holds a non-finite value`);
      flat.set(q, i * this.dim);
    });
    const tie = tieRankOf(options.tieRanks);
    // One candidate more than k shows whether equal scores run across the cut at rank k; a query where
    // they do is asked again, wider, until the tie ends, so the tie rank (docid) decides which tied rows
    // make the cut, as in the flat engine.
    const want = Math.min(this.count, kk + 1);
    const found = this.candidates(flat, queries.length, want);
    for (let i = 0; i < queries.length; i++) {
      let c = found[i]!;
      for (let w = want; c.rows.length === w && w > kk && w < this.count && c.scores[w - 1] === c.scores[kk - 1]; ) {
        w = Math.min(this.count, w * 2);
        c = this.candidates(flat.subarray(i * this.dim, (i + 1) * this.dim), 1, w)[0]!;
      }
      const heap = new TopKHeap(kk);
      c.rows.forEach((row, r) => heap.push(c.scores[r]!, tie(row), row));
      const best = heap.drainDescending();
      ids[i] = best.ids;
      scores[i] = best.scores;
    }
    return { ids, scores };
  }

  /** usearch's best `want` rows per query (score descending), as row numbers and scores (1 − distance). */
  private candidates(flat: Float32Array, queries: number, want: number): { rows: number[]; scores: number[] }[] {
    // usearch widens its search to at least `want` candidates by itself. It answers a batch of one
    // with a plain Matches (only the hits found, no counts), so that shape is read as a batch of one.
    const answer = this.index.search(flat, want, this.threads) as BatchMatches | Matches;
    const result = 'counts' in answer ? answer : { keys: answer.keys, distances: answer.distances, counts: BigUint64Array.of(BigInt(answer.keys.length)) };
    return Array.from({ length: queries }, (_, i) => {
      const found = Number(result.counts[i]!);
      const rows: number[] = [];
      const scores: number[] = [];
      for (let r = 0; r < found; r++) {
        rows.push(Number(result.keys[i * want + r]!));
        scores.push(1 - result.distances[i * want + r]!);
      }
      return { rows, scores };
    });
  }

  /** Deletes `<path>` and its sidecar. */
  static remove(path: string): void {
    rmSync(path, { force: true });
    rmSync(`${path}.json`, { force: true });
  }
}
