/**
 * Exact inner-product search over all rows (the default index).
 *
 * How it stays exact while scoring with a fast GEMM:
 * 1. Coarse pass: per corpus block, onnxruntime computes approximate scores (float32 GEMM, or int8
 *    codes) for a batch of queries. B bounds |exact − approximate| per query (Cauchy–Schwarz on the
 *    quantisation errors: |q|·max|e_i| + |q − q̂|·max|x̂_i|, plus float32/float64 rounding; for the
 *    f32 pass B = γ_d·|q|·max|x_i|). Every kept row's approximate score − B is a proven lower bound
 *    on its exact score, so the k-th largest of them, L, is ≤ the final k-th exact score; later blocks
 *    keep only rows whose approximate score + B reaches L (filtered on-device, so only candidates
 *    cross into JS), or, while L is unknown or k is small, each query's top k' = k + 16 (TopK).
 * 2. Candidates are rescored with exactInnerProduct (float64, fixed order) on the float32 rows, best
 *    approximate score first, until no remaining candidate can reach the k-th exact score.
 * 3. Certificate: rows the threshold dropped score provably below L. Rows TopK hid have approximate
 *    score ≤ τ (the k'-th value); if τ + B < the k-th exact score, none can reach or tie the top k,
 *    and the answer equals brute force with exactInnerProduct. Otherwise the query is rerun once with
 *    its k-th exact score as L from the first block, which certifies by construction.
 * 'auto' (the default) holds both passes and uses int8 for small k, where few rows fall within its
 * looser bound, f32 for large k. Memory: the float32 rows once (the f32 graph reads them as an input),
 * plus for int8 the codes and onnxruntime's packed copy of them (2 × a quarter of the rows).
 * Ties (equal float64 scores) are ordered by tie rank descending: the docid's byte-order rank when
 * SearchOptions.tieRanks is given, as trec_eval orders docids, else the row number.
 */
import * as ort from 'onnxruntime-node';
import { availableParallelism } from 'node:os';
import { createBlockSession, type CoarseKind } from './score-graph.js';
import { exactInnerProduct, exactInnerProductPair } from '../exact-score.js';
import { TopKHeap } from '../../../results/top-k-heap.js';
import { CandidateList } from './candidate-list.js';
import { certifiedSearch, quantizeQuery } from './certified-search.js';
import { int8MatmulSafeWithFullRange } from '../../../model/cpu-features.js';
import type { RowHits, SearchOptions, VectorIndex, VectorSource } from '../../formats/vector-types.js';

export interface FlatIndexOptions {
  /**
   * Coarse scoring kernel; all give exact results. 'f32': the bound B is ~1e-4 relative, so about k
   * candidates are rescored. 'int8': its GEMM is ~3× faster, but its certified bound is worst-case
   * (Cauchy–Schwarz) and loose, so every row within B of the k-th score is rescored (on 1M random
   * 768-d rows: ~100 per query at k=10, thousands at k=1000). 'auto' (default): both, int8 for
   * k ≤ autoInt8MaxK, f32 above (int8 codes add a quarter of the float32 corpus, twice: codes + ORT's packing).
   */
  readonly coarse?: CoarseKind | 'auto';
  /** With coarse 'auto': the largest k searched with the int8 pass; default 32. */
  readonly autoInt8MaxK?: number;
  /** Corpus rows per GEMM block (bounds the [batch, rows] score matrix); default 32768. */
  readonly blockRows?: number;
  /** Queries per GEMM; default 1024. */
  readonly queryBatch?: number;
  /** onnxruntime intra-op threads; default all cores. */
  readonly threads?: number;
}

export interface FlatSearchStats {
  /** Exact float64 rescorings done. */
  rescored: number;
  /** Queries rerun with a larger candidate set because the certificate failed. */
  reruns: number;
}

interface Block {
  readonly start: number;
  readonly rows: number;
  /** rows × dim float32, row-major: the vectors exact scores are computed on. */
  readonly vectors: Float32Array;
  /** The same vectors as the f32 graph's `rows` input (no copy), when the f32 pass is built. */
  readonly rowsTensor?: ort.Tensor;
  /** The int8 pass's session (codes prepacked as an initializer), when built. */
  readonly int8Session?: ort.InferenceSession;
}

const U32 = 2 ** -24;
const U64 = 2 ** -53;
/** Up to this k' per block, onnxruntime's TopK (~4 ms per 1000 × 32768 block at k' = 26) beats the threshold filter. */
const TOPK_MAX = 48;
/**
 * Bytes of one int8 run's [batch, rows] float32 score matrix. Each block has its own int8 session, so
 * their arenas are off (31 arenas × 131 MB at 1000 × 32768); below glibc's 32 MB mmap ceiling, malloc
 * then reuses the freed matrix instead of faulting in fresh pages every run (1M × 768, k=10: 192 → 468 QPS).
 */
const INT8_SCORE_BYTES = 30 * 2 ** 20;

/**
 * The largest float32 tau with tau·f + B < L, so that a row whose coarse score is ≤ tau provably
 * scores below L; -Infinity when none is known (L = -∞, or a zero query: f = 0).
 */
export function thresholdBelow(L: number, f: number, B: number): number {
  if (L === -Infinity || f === 0) return -Infinity;
  let tau = Math.fround((L - B) / f);
  const bits = new Float32Array(1), asInt = new Int32Array(bits.buffer);
  while (tau !== -Infinity && !(tau * f + B < L)) {
    // Step one float32 down.
    bits[0] = tau;
    if (tau === 0) asInt[0] = -2147483647; // -0 → the negative denormal next to it
    else asInt[0] = asInt[0]! + (tau > 0 ? -1 : 1);
    tau = bits[0]!;
  }
  return tau;
}

export class FlatIndex implements VectorIndex {
  readonly dim: number;
  readonly count: number;
  readonly coarse: CoarseKind | 'auto';
  readonly lastSearchStats: FlatSearchStats = { rescored: 0, reruns: 0 };
  private readonly blocks: Block[];
  /** The f32 pass: one session for every block (the rows are an input), when built. */
  private readonly f32Session: ort.InferenceSession | undefined;
  private readonly queryBatch: number;
  private readonly autoInt8MaxK: number;
  private readonly maxNorm: number;
  private readonly maxQuantError: number;
  private readonly maxDequantNorm: number;
  private readonly queryLevels: number;
  private readonly queryZero: number;

  private constructor(init: {
    dim: number; count: number; coarse: CoarseKind | 'auto'; blocks: Block[]; f32Session: ort.InferenceSession | undefined;
    queryBatch: number; autoInt8MaxK: number;
    maxNorm: number; maxQuantError: number; maxDequantNorm: number; queryLevels: number; queryZero: number;
  }) {
    this.dim = init.dim;
    this.count = init.count;
    this.coarse = init.coarse;
    this.blocks = init.blocks;
    this.f32Session = init.f32Session;
    this.queryBatch = init.queryBatch;
    this.autoInt8MaxK = init.autoInt8MaxK;
    this.maxNorm = init.maxNorm;
    this.maxQuantError = init.maxQuantError;
    this.maxDequantNorm = init.maxDequantNorm;
    this.queryLevels = init.queryLevels;
    this.queryZero = init.queryZero;
  }

  /** Loads every row of `source` (decoded to float32) and prepares the coarse pass(es). */
  static async build(source: VectorSource, options: FlatIndexOptions = {}): Promise<FlatIndex> {
    const coarse = options.coarse ?? 'auto';
    if (coarse !== 'int8' && coarse !== 'f32' && coarse !== 'auto') throw new Error(`flat index: unknown coarse kernel ${String(coarse)}`);
    const blockRows = options.blockRows ?? 32768;
    const queryBatch = options.queryBatch ?? 1024;
    const autoInt8MaxK = options.autoInt8MaxK ?? 32;
    if (!(blockRows >= 1) || !(queryBatch >= 1)) throw new Error('flat index: blockRows and queryBatch must be ≥ 1');
    const threads = options.threads ?? availableParallelism();
    const { dim, count } = source;
    const withF32 = coarse !== 'int8', withInt8 = coarse !== 'f32';
    const exact8 = int8MatmulSafeWithFullRange();
    const queryLevels = exact8 ? 127 : 63;
    const queryZero = exact8 ? 128 : 64;
    const blocks: Block[] = [];
    let maxNorm = 0, maxQuantError = 0, maxDequantNorm = 0;
    let f32Session: ort.InferenceSession | undefined;
    try {
      if (withF32) f32Session = await createBlockSession({ kind: 'f32', dim }, threads);
      for (let start = 0; start < count; start += blockRows) {
        const rows = Math.min(blockRows, count - start);
        const vectors = source.readRows(start, rows);
        if (vectors.length !== rows * dim) throw new Error(`flat index: rows ${start}..${start + rows} decoded to ${vectors.length} values, expected ${rows * dim}`);
        for (let r = 0; r < rows; r++) {
          let norm2 = 0;
          for (let j = 0; j < dim; j++) {
            const v = vectors[r * dim + j]!;
            if (!Number.isFinite(v)) throw new Error(`flat index: row ${start + r} holds a non-finite value`);
            norm2 += v * v;
          }
          maxNorm = Math.max(maxNorm, Math.sqrt(norm2));
        }
        let int8Session: ort.InferenceSession | undefined;
        if (withInt8) {
          const blockT = new Int8Array(dim * rows);
          const scales = new Float32Array(rows);
          for (let r = 0; r < rows; r++) {
            let maxAbs = 0;
            for (let j = 0; j < dim; j++) maxAbs = Math.max(maxAbs, Math.abs(vectors[r * dim + j]!));
            const scale = Math.fround(maxAbs / 127);
            scales[r] = scale;
            let err2 = 0, deq2 = 0;
            for (let j = 0; j < dim; j++) {
              const v = vectors[r * dim + j]!;
              const code = scale === 0 ? 0 : Math.max(-127, Math.min(127, Math.round(v / scale)));
              blockT[j * rows + r] = code;
              const deq = scale * code;
              err2 += (v - deq) * (v - deq);
              deq2 += deq * deq;
            }
            maxQuantError = Math.max(maxQuantError, Math.sqrt(err2));
            maxDequantNorm = Math.max(maxDequantNorm, Math.sqrt(deq2));
          }
          int8Session = await createBlockSession({ kind: 'int8', dim, rows, blockT, scales, queryZeroPoint: queryZero }, threads);
        }
        blocks.push({
          start, rows, vectors,
          ...(withF32 ? { rowsTensor: new ort.Tensor('float32', vectors, [rows, dim]) } : {}),
          ...(int8Session ? { int8Session } : {}),
        });
      }
    } catch (err) {
      await Promise.all([f32Session?.release(), ...blocks.map((b) => b.int8Session?.release())]);
      throw err;
    }
    return new FlatIndex({
      dim, count, coarse, blocks, f32Session, queryBatch, autoInt8MaxK, maxNorm, maxQuantError, maxDequantNorm, queryLevels, queryZero,
    });
  }

  /** Convenience: an index over rows held in memory (row-major, count = rows.length / dim). */
  static async fromRows(rows: Float32Array, dim: number, options: FlatIndexOptions = {}): Promise<FlatIndex> {
    if (!Number.isInteger(dim) || dim <= 0 || rows.length % dim !== 0) {
      throw new Error(`flat index: ${rows.length} values do not form rows of dim ${dim}`);
    }
    const source: VectorSource = { dim, count: rows.length / dim, readRows: (s, n) => rows.slice(s * dim, (s + n) * dim) };
    return FlatIndex.build(source, options);
  }

  /** The coarse pass a search for k hits uses. */
  coarseFor(k: number): CoarseKind {
    return this.coarse === 'auto' ? (k <= this.autoInt8MaxK ? 'int8' : 'f32') : this.coarse;
  }

  async search(queries: readonly Float32Array[], k: number, options: SearchOptions = {}): Promise<RowHits> {
    this.lastSearchStats.rescored = 0;
    this.lastSearchStats.reruns = 0;
    const kind = this.coarseFor(Math.min(k, this.count));
    const queryBatch = kind === 'int8'
      ? Math.max(1, Math.min(this.queryBatch, Math.floor(INT8_SCORE_BYTES / (4 * this.blocks[0]!.rows))))
      : this.queryBatch;
    // A query whose certificate fails (a row hidden by block 0's TopK could still reach the k-th
    // score) reruns once with a threshold from the k exact scores it found (see certifiedSearch).
    const { ids, scores, reruns } = await certifiedSearch('flat index', this, queries, k, options, queryBatch,
      (batch, kk, floors, tie) => this.searchBatch(kind, batch, kk, floors, tie));
    this.lastSearchStats.reruns = reruns;
    return { ids, scores };
  }

  /**
   * Coarse pass and certified rescoring of one batch. floors[i] is a known lower bound on query i's
   * k-th exact score (-Infinity if none yet).
   */
  private async searchBatch(
    kind: CoarseKind, queries: Float32Array[], k: number, floors: number[], tie: (row: number) => number,
  ): Promise<{ ids: number[]; scores: number[]; certified: boolean }[]> {
    const n = queries.length;
    const dim = this.dim;
    // Per query: the factor turning raw coarse output into a score, and the bound B on |exact − approx|.
    const factor = new Float64Array(n);
    const bound = new Float64Array(n);
    let queryTensor: ort.Tensor;
    if (kind === 'int8') {
      const codes = new Uint8Array(n * dim);
      const L = this.queryLevels;
      for (let i = 0; i < n; i++) {
        const { scale: t, norm: qn, errorNorm: fn, quantizedNorm: qhn } = quantizeQuery(queries[i]!, L, this.queryZero, codes, i * dim, (m) => m / L);
        factor[i] = t;
        bound[i] = (qn * this.maxQuantError + fn * this.maxDequantNorm + 4 * U32 * qhn * this.maxDequantNorm
          + 2 * dim * U64 * qn * this.maxNorm) * (1 + 1e-6) + Number.MIN_VALUE;
      }
      queryTensor = new ort.Tensor('uint8', codes, [n, dim]);
    } else {
      const flat = new Float32Array(n * dim);
      for (let i = 0; i < n; i++) {
        const q = queries[i]!;
        flat.set(q, i * dim);
        let qn2 = 0;
        for (let j = 0; j < dim; j++) qn2 += q[j]! * q[j]!;
        const gamma = ((dim + 2) * U32) / (1 - (dim + 2) * U32);
        factor[i] = 1;
        bound[i] = (gamma + 2 * dim * U64) * Math.sqrt(qn2) * this.maxNorm * (1 + 1e-6) + Number.MIN_VALUE;
      }
      queryTensor = new ort.Tensor('float32', flat, [n, dim]);
    }

    // Coarse pass. `lower` keeps the k largest proven lower bounds (coarse·f − B) on exact scores of
    // distinct rows, so its minimum L ≤ the final k-th exact score; a row with coarse ≤ tau, where
    // tau·f + B < L, provably ranks below the k-th hit and is dropped. Per block, onnxruntime returns
    // each query's top k' = k + 16 while L is unknown or k' ≤ TOPK_MAX (the k'-th value bounds the rows
    // TopK hid, checked at the end), else every row above tau (certified as it stands; TopK with
    // k' ≈ 100 cost 25-65 ms per 1000 × 32768 block on real scores, the Greater + NonZero filter ~5 ms
    // when few rows pass). The rerun's floors give L at once, so it filters from the first block.
    const kPrime = k + 16;
    const rerun = floors.every((f) => f > -Infinity);
    const candidates = queries.map(() => new CandidateList());
    const lower = queries.map(() => new TopKHeap(k));
    const hiddenMax = new Float64Array(n).fill(-Infinity);
    const tau = new Float32Array(n);
    for (const block of this.blocks) {
      let known = true;
      for (let i = 0; i < n; i++) {
        const L = Math.max(floors[i]!, lower[i]!.full ? lower[i]!.minScore() : -Infinity);
        if (L === -Infinity) known = false;
        tau[i] = thresholdBelow(L, factor[i]!, bound[i]!);
      }
      const kBlock = Math.min(kPrime, block.rows);
      const useTopk = !rerun && (!known || kBlock <= TOPK_MAX);
      const feeds: Record<string, ort.Tensor> = {
        queries: queryTensor,
        k: new ort.Tensor('int64', BigInt64Array.from([BigInt(kBlock)]), [1]),
        tau: new ort.Tensor('float32', tau, [n, 1]),
        use_topk: new ort.Tensor('bool', new Uint8Array([useTopk ? 1 : 0]), []),
      };
      let session: ort.InferenceSession;
      if (kind === 'int8') session = block.int8Session!;
      else {
        session = this.f32Session!;
        feeds['rows'] = block.rowsTensor!;
      }
      const out = await session.run(feeds);
      const values = out['out_values']!.data as Float32Array;
      const indices = out['out_indices']!.data as BigInt64Array;
      if (useTopk) {
        for (let i = 0; i < n; i++) {
          const list = candidates[i]!, low = lower[i]!, f = factor[i]!, B = bound[i]!, t = tau[i]!;
          if (kBlock < block.rows) hiddenMax[i] = Math.max(hiddenMax[i]!, values[i * kBlock + kBlock - 1]!);
          for (let r = 0; r < kBlock; r++) {
            const v = values[i * kBlock + r]!;
            if (!(v > t)) break; // sorted descending: the rest are provably out too
            const row = block.start + Number(indices[i * kBlock + r]!);
            list.push(v, row);
            low.push(v * f - B, row, row);
          }
        }
      } else {
        const m = values.length;
        for (let e = 0; e < m; e++) {
          const i = Number(indices[e]!);
          const row = block.start + Number(indices[m + e]!);
          const v = values[e]!;
          candidates[i]!.push(v, row);
          lower[i]!.push(v * factor[i]! - bound[i]!, row, row);
        }
      }
    }

    // Certified rescoring, best coarse score first, two rows at a time (see exactInnerProductPair),
    // until no remaining candidate can reach the k-th exact score.
    const answers: { ids: number[]; scores: number[]; certified: boolean }[] = [];
    const blockRows = this.blocks[0]!.rows;
    const q64 = new Float64Array(dim);
    const pair = new Float64Array(2);
    for (let i = 0; i < n; i++) {
      const f = factor[i]!, B = bound[i]!;
      const L = lower[i]!.full ? lower[i]!.minScore() : -Infinity;
      const { scores: cs, rows: cr, byScore } = candidates[i]!.order(thresholdBelow(L, f, B));
      const best = new TopKHeap(k);
      const q = queries[i]!;
      q64.set(q);
      const needed = (c: number) => c < byScore.length && !(best.full && cs[byScore[c]!]! * f + B < best.minScore());
      for (let c = 0; needed(c); c += 2) {
        const rowA = cr[byScore[c]!]!;
        const blockA = this.blocks[Math.floor(rowA / blockRows)]!;
        if (dim % 4 === 0 && needed(c + 1)) {
          const rowB = cr[byScore[c + 1]!]!;
          const blockB = this.blocks[Math.floor(rowB / blockRows)]!;
          exactInnerProductPair(q64, blockA.vectors, (rowA - blockA.start) * dim, blockB.vectors, (rowB - blockB.start) * dim, dim, pair, 0);
          best.push(pair[0]!, tie(rowA), rowA);
          best.push(pair[1]!, tie(rowB), rowB);
          this.lastSearchStats.rescored += 2;
          continue;
        }
        best.push(exactInnerProduct(q, 0, blockA.vectors, (rowA - blockA.start) * dim, dim), tie(rowA), rowA);
        this.lastSearchStats.rescored++;
        c--; // one row done: the next pair starts at c + 1
      }
      // Every row never listed has coarse ≤ hiddenMax, so exact ≤ hiddenMax·f + B.
      const certified = hiddenMax[i] === -Infinity || hiddenMax[i]! * f + B < best.minScore();
      answers.push({ ...best.drainDescending(), certified });
    }
    return answers;
  }

  /** Releases the native sessions. */
  async close(): Promise<void> {
    await Promise.all([this.f32Session?.release(), ...this.blocks.map((b) => b.int8Session?.release())]);
  }
}
