/**
 * Approximate inner-product search with an HNSW graph, through `usearch` (chosen over hnswlib-node:
 * it ships prebuilt binaries for linux-x64/arm64 and macOS, so installs need no compiler or install
 * script, batches queries across threads, stores f16 and i8 vectors, memory-maps a saved graph, and is
 * actively released; hnswlib-node compiles with node-gyp at install and takes one number[] per call).
 *
 * Files: `<path>` is usearch's own index file (vectors, then graph); `<path>.json` records what
 * densekit needs to reopen it safely (dim, count, M, efConstruction, quantization and i8 scale, and
 * the index file's size and sha256). Opening checks sizes and usearch's header and memory-maps the
 * file (`view`): nothing is hashed and the graph is not copied to the heap, so graphs larger than
 * memory open; the sha256 is for `densekit verify` (or `HnswIndex.verify`).
 *
 * Optional exact rescoring: the best `rescore` candidates of the graph are scored again, in float64,
 * against rows read one by one through a RowScorer (the index's own shard files), and returned in exact
 * score order, ties by tie rank as everywhere in densekit.
 */
import { requirePositiveInt } from '../../../checks/positive-int.js';
import { availableParallelism } from 'node:os';
import { existsSync, rmSync, statSync } from 'node:fs';
import { publishFile, tempPathFor, writeFileAtomic } from '../../../files/atomic-write.js';
import { readJsonFileSync } from '../../../files/json-file.js';
import { sha256OfFile } from '../../../files/sha256.js';
import { TopKHeap } from '../../../results/top-k-heap.js';
import { tieRankOf } from '../../../results/tie-ranks.js';
import type { RowHits, SearchOptions, VectorIndex, VectorSource } from '../../formats/vector-types.js';
import { GraphVectors, HNSW_QUANTIZATIONS, maxAbsOfRows, type HnswQuantization } from './graph-vectors.js';
import { checkUsearchFile } from './usearch-file.js';
import { newNativeIndex, type NativeIndex } from './usearch-native.js';

export { HNSW_QUANTIZATIONS, type HnswQuantization };

export interface HnswOptions {
  /** Graph degree M (usearch "connectivity"); default 16. */
  readonly M?: number;
  /** Candidate list size while building; default 128. */
  readonly efConstruction?: number;
  /** Candidate list size while searching (raised to k when smaller); default 64. */
  readonly efSearch?: number;
  /** How the graph stores vectors: f32 (default), f16 or i8 (see graph-vectors.ts). */
  readonly quantization?: HnswQuantization;
  /** Threads for add and search; default all cores. */
  readonly threads?: number;
  /** Rows added per call while building; default 16384. */
  readonly addBatch?: number;
}

export interface HnswLoadOptions {
  readonly efSearch?: number;
  readonly threads?: number;
  /** 'view' (default): memory-map the file; 'load': read it into memory. */
  readonly memory?: 'view' | 'load';
  /** Also hash the file against its sidecar before opening (default false: `verify` does that). */
  readonly verifyChecksum?: boolean;
}

/** Exact scores of stored rows, one at a time, for rescoring (StoredRows implements it over shard files). */
export interface RowScorer {
  readonly dim: number;
  readonly count: number;
  /** The flat engine's score of the row: exactInnerProduct of the query and the row as stored (float64). */
  score(row: number, query: Float32Array): number;
}

export interface HnswSearchOptions extends SearchOptions {
  /** Rescore the best this-many graph candidates exactly from `rows` (0 or absent: graph scores). */
  readonly rescore?: number;
  readonly rows?: RowScorer;
}

interface HnswMeta {
  readonly format: 'densekit-hnsw';
  /** 1: f32 only (no quantization field); 2: quantization and i8Scale. */
  readonly version: 1 | 2;
  readonly engine: 'usearch';
  readonly metric: 'ip';
  readonly dim: number;
  readonly count: number;
  readonly M: number;
  readonly efConstruction: number;
  readonly quantization?: HnswQuantization;
  readonly i8Scale?: number;
  readonly bytes: number;
  readonly sha256: string;
}

const DEFAULTS = { M: 16, efConstruction: 128, efSearch: 64 };

/** Candidates of one query: rows and scores, best first. */
interface Candidates {
  rows: number[];
  scores: number[];
}

export class HnswIndex implements VectorIndex {
  readonly dim: number;
  readonly count: number;
  readonly M: number;
  readonly efConstruction: number;
  readonly efSearch: number;
  readonly quantization: HnswQuantization;
  private readonly threads: number;
  private readonly index: NativeIndex;
  private readonly vectors: GraphVectors;

  private constructor(index: NativeIndex, meta: { dim: number; count: number; M: number; efConstruction: number }, efS: number, vectors: GraphVectors, threads: number) {
    this.index = index;
    this.dim = meta.dim;
    this.count = meta.count;
    this.M = meta.M;
    this.efConstruction = meta.efConstruction;
    this.efSearch = efS;
    this.quantization = vectors.quantization;
    this.vectors = vectors;
    this.threads = threads;
  }

  /** Builds the graph over every row of `source`; row numbers are the keys. */
  static async build(source: VectorSource, options: HnswOptions = {}): Promise<HnswIndex> {
    const M = requirePositiveInt('hnsw index: M', options.M ?? DEFAULTS.M);
    const efC = requirePositiveInt('hnsw index: efConstruction', options.efConstruction ?? DEFAULTS.efConstruction);
    const efS = requirePositiveInt('hnsw index: efSearch', options.efSearch ?? DEFAULTS.efSearch);
    const quantization = options.quantization ?? 'f32';
    if (!HNSW_QUANTIZATIONS.includes(quantization)) throw new Error(`hnsw index: quantization must be one of ${HNSW_QUANTIZATIONS.join(', ')}, got ${JSON.stringify(quantization)}`);
    const threads = options.threads ?? availableParallelism();
    const batch = options.addBatch ?? 16384;
    const eachBatch = async (visit: (rows: Float32Array, start: number, n: number) => void) => {
      for (let start = 0; start < source.count; start += batch) {
        const n = Math.min(batch, source.count - start);
        visit(source.readRows(start, n), start, n);
        // Yield between batches so a long build does not starve the event loop.
        await new Promise((r) => setImmediate(r));
      }
    };
    // i8 needs the scale of the whole corpus before the first row goes in: one pass more over the rows.
    let i8Scale = 1;
    if (quantization === 'i8') {
      let max = 0;
      await eachBatch((rows, start) => { max = Math.max(max, maxAbsOfRows(rows, source.dim, start, 'hnsw index')); });
      i8Scale = max / 127;
    }
    const vectors = new GraphVectors(quantization, i8Scale);
    const index = newNativeIndex({ dim: source.dim, quantization, M, efConstruction: efC, efSearch: efS });
    await eachBatch((rows, start, n) => {
      maxAbsOfRows(rows, source.dim, start, 'hnsw index');
      const keys = new BigUint64Array(n);
      for (let i = 0; i < n; i++) keys[i] = BigInt(start + i);
      index.add(keys, vectors.rows(rows), threads);
    });
    return new HnswIndex(index, { dim: source.dim, count: source.count, M, efConstruction: efC }, efS, vectors, threads);
  }

  /** Writes `<path>` and `<path>.json`, each through a temp file and rename. */
  save(path: string): void {
    const tmp = tempPathFor(path);
    this.index.save(tmp);
    const bytes = statSync(tmp).size;
    const meta: HnswMeta = {
      format: 'densekit-hnsw', version: 2, engine: 'usearch', metric: 'ip', dim: this.dim, count: this.count,
      M: this.M, efConstruction: this.efConstruction, quantization: this.quantization,
      ...(this.quantization === 'i8' ? { i8Scale: this.vectors.rowScale } : {}),
      bytes, sha256: sha256OfFile(tmp),
    };
    publishFile(tmp, path);
    writeFileAtomic(`${path}.json`, JSON.stringify(meta, null, 2) + '\n');
  }

  private static readMeta(path: string): HnswMeta {
    const metaPath = `${path}.json`;
    if (!existsSync(path)) throw new Error(`hnsw index ${path}: file not found`);
    if (!existsSync(metaPath)) throw new Error(`hnsw index ${metaPath}: sidecar not found (was the index saved by densekit?)`);
    const meta = readJsonFileSync(metaPath, { object: true }) as HnswMeta;
    if (meta.format !== 'densekit-hnsw' || (meta.version !== 1 && meta.version !== 2) || meta.engine !== 'usearch' || meta.metric !== 'ip') {
      throw new Error(`hnsw index ${metaPath}: unsupported sidecar (format ${meta.format}, version ${meta.version})`);
    }
    const q = meta.quantization ?? 'f32';
    if (!HNSW_QUANTIZATIONS.includes(q)) throw new Error(`hnsw index ${metaPath}: field "quantization": unknown value ${JSON.stringify(q)}`);
    if (q === 'i8' && !(typeof meta.i8Scale === 'number' && Number.isFinite(meta.i8Scale) && meta.i8Scale >= 0)) {
      throw new Error(`hnsw index ${metaPath}: field "i8Scale" must be a finite number ≥ 0, got ${JSON.stringify(meta.i8Scale)}`);
    }
    const size = statSync(path).size;
    if (size !== meta.bytes) throw new Error(`hnsw index ${path}: file is ${size} bytes, sidecar says ${meta.bytes} (truncated or replaced)`);
    return meta;
  }

  /** Hashes the file against its sidecar (what `densekit verify` does through the manifest). */
  static verify(path: string): void {
    const meta = HnswIndex.readMeta(path);
    const sha = sha256OfFile(path);
    if (sha !== meta.sha256) throw new Error(`hnsw index ${path}: checksum mismatch (sha256 ${sha}, sidecar says ${meta.sha256})`);
  }

  /**
   * Opens a saved index: checks its sidecar, the file's size, and usearch's header (dims, count,
   * vector kind), then memory-maps it (or loads it, with memory 'load'). efSearch and threads may
   * differ from build time.
   */
  static load(path: string, options: HnswLoadOptions = {}): HnswIndex {
    const meta = HnswIndex.readMeta(path);
    if (options.verifyChecksum === true) HnswIndex.verify(path);
    const quantization = meta.quantization ?? 'f32';
    const efS = requirePositiveInt('hnsw index: efSearch', options.efSearch ?? DEFAULTS.efSearch);
    checkUsearchFile(path, { count: meta.count, dim: meta.dim, M: meta.M, quantization });
    const index = newNativeIndex({ dim: meta.dim, quantization, M: meta.M, efConstruction: meta.efConstruction, efSearch: efS });
    try {
      if (options.memory === 'load') index.load(path);
      else index.view(path);
    } catch (err) {
      throw new Error(`hnsw index ${path}: usearch could not ${options.memory === 'load' ? 'load' : 'map'} it (${(err as Error).message}); the file is damaged or not a usearch index`);
    }
    // usearch takes dims and vector kind from the file's header; check them against the sidecar.
    if (index.size() !== meta.count || index.dimensions() !== meta.dim) {
      throw new Error(`hnsw index ${path}: holds ${index.size()} × ${index.dimensions()} vectors, sidecar says ${meta.count} × ${meta.dim} (file damaged or replaced)`);
    }
    const vectors = new GraphVectors(quantization, quantization === 'i8' ? meta.i8Scale! : 1);
    return new HnswIndex(index, meta, efS, vectors, options.threads ?? availableParallelism());
  }

  /**
   * Approximate top-k by inner product. Scores are the graph's estimates (f32/f16: float32 dot; i8:
   * the code dot times both scales) or, with `rescore`, exact float64 scores of the stored rows.
   * Equal scores are ordered by tie rank descending, as in FlatIndex.
   */
  async search(queries: readonly Float32Array[], k: number, options: HnswSearchOptions = {}): Promise<RowHits> {
    if (!Number.isInteger(k) || k < 0) throw new Error(`hnsw index: k must be a non-negative integer, got ${k}`);
    const rescore = options.rescore ?? 0;
    if (!Number.isInteger(rescore) || rescore < 0) throw new Error(`hnsw index: rescore must be a non-negative integer, got ${rescore}`);
    if (rescore > 0 && !options.rows) throw new Error('hnsw index: rescore needs the stored rows to read');
    if (options.rows && (options.rows.dim !== this.dim || options.rows.count !== this.count)) {
      throw new Error(`hnsw index: rows to rescore from hold ${options.rows.count} × ${options.rows.dim}, the graph ${this.count} × ${this.dim}`);
    }
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
    const exact = rescore > 0 ? this.exactScorer(options.rows!) : undefined;
    // One candidate more than k (or the rescore count, if larger) shows whether equal scores run
    // across the cut at rank k; a query where they do is asked again, wider, until the tie ends, so
    // the tie rank (docid) decides which tied rows make the cut, as in the flat engine.
    const want = Math.min(this.count, Math.max(kk + 1, rescore));
    const found = this.candidates(flat, queries.length, want);
    for (let i = 0; i < queries.length; i++) {
      const query = flat.subarray(i * this.dim, (i + 1) * this.dim);
      let c = exact ? exact(query, found[i]!, tie) : found[i]!;
      for (let w = want; c.rows.length === w && w > kk && w < this.count && c.scores[w - 1] === c.scores[kk - 1]; ) {
        w = Math.min(this.count, w * 2);
        c = this.candidates(query, 1, w)[0]!;
        if (exact) c = exact(query, c, tie);
      }
      const heap = new TopKHeap(kk);
      c.rows.forEach((row, r) => heap.push(c.scores[r]!, tie(row), row));
      const best = heap.drainDescending();
      ids[i] = best.ids;
      scores[i] = best.scores;
    }
    return { ids, scores };
  }

  /** Scores candidates again from the stored rows (float64, as the flat engine), best first. */
  private exactScorer(rows: RowScorer): (query: Float32Array, c: Candidates, tie: (row: number) => number) => Candidates {
    return (query, c, tie) => {
      const order = c.rows.map((r) => ({ row: r, score: rows.score(r, query), tie: tie(r) }));
      order.sort((a, b) => b.score - a.score || b.tie - a.tie);
      return { rows: order.map((o) => o.row), scores: order.map((o) => o.score) };
    };
  }

  /** The graph's best `want` rows per query (score descending), as row numbers and score estimates. */
  private candidates(flat: Float32Array, queries: number, want: number): Candidates[] {
    const { vectors, scales } = this.vectors.queries(flat, this.dim, queries);
    // usearch widens its search to at least `want` candidates by itself. A thread per query at most:
    // the addon starts its threads on every call, which a single query would pay for nothing.
    const [keys, distances, counts] = this.index.search(vectors, want, Math.min(this.threads, queries));
    return Array.from({ length: queries }, (_, i) => {
      const found = Number(counts[i]!);
      const rows: number[] = new Array(found);
      const scores: number[] = new Array(found);
      for (let r = 0; r < found; r++) {
        rows[r] = Number(keys[i * want + r]!);
        scores[r] = this.vectors.score(distances[i * want + r]!, scales[i]!);
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
