/**
 * Exact inner-product search over all rows (the default index).
 *
 * How it stays exact while scoring with a fast GEMM:
 * 1. Coarse pass: per corpus block, onnxruntime computes approximate scores (float32 GEMM by default,
 *    or int8 codes) for a batch of queries and keeps candidates (TopK, or everything above the query's
 *    current k'-th candidate score) — k' is larger than k.
 * 2. Each candidate is rescored with exactInnerProduct (float64, fixed order) on the float32 rows,
 *    best approximate score first, until no remaining candidate can reach the k-th exact score.
 * 3. Certificate: every row that never became a candidate has approximate score ≤ τ (the final k'-th
 *    candidate score), so its exact score is ≤ τ + B, where B bounds |exact − approximate| for that
 *    query (Cauchy–Schwarz on the quantisation errors: |q|·max|e_i| + |q − q̂|·max|x̂_i|, plus
 *    float32/float64 rounding; for the f32 pass B = γ_d·|q|·max|x_i|). If τ + B < the k-th exact
 *    score, no hidden row can reach or tie the top k, and the answer equals brute force with
 *    exactInnerProduct. Otherwise the query is rerun with 4·k' candidates (at worst every row).
 * Ties (equal float64 scores) are ordered by tie rank descending: the docid's byte-order rank when
 * SearchOptions.tieRanks is given, as trec_eval orders docids, else the row number.
 */
import * as ort from 'onnxruntime-node';
import { availableParallelism } from 'node:os';
import { createBlockSession, type CoarseKind } from './score-graph.js';
import { exactInnerProduct } from './exact-score.js';
import { TopKHeap } from './top-k-heap.js';
import { int8DotIsExact } from './cpu-features.js';
import type { RowHits, SearchOptions, VectorIndex, VectorSource } from './vector-types.js';

export interface FlatIndexOptions {
  /**
   * Coarse scoring kernel; both give exact results. 'f32' (default): the bound B is ~1e-4 relative, so
   * about k candidates are rescored. 'int8': its GEMM is ~1.5-2.5× faster, but its certified bound is
   * worst-case (Cauchy–Schwarz) and loose; on isotropic random 768-d data it rescored 165 rows per query
   * at k=10 and re-ran most queries, so it only pays where the top scores stand well apart.
   */
  readonly coarse?: CoarseKind;
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
  readonly session: ort.InferenceSession;
}

const U32 = 2 ** -24;
const U64 = 2 ** -53;
/** Above this many candidates per block, the threshold filter is cheaper than onnxruntime's TopK. */
const TOPK_MAX = 128;

export class FlatIndex implements VectorIndex {
  readonly dim: number;
  readonly count: number;
  readonly coarse: CoarseKind;
  readonly lastSearchStats: FlatSearchStats = { rescored: 0, reruns: 0 };
  private readonly blocks: Block[];
  private readonly queryBatch: number;
  private readonly maxNorm: number;
  private readonly maxQuantError: number;
  private readonly maxDequantNorm: number;
  private readonly queryLevels: number;
  private readonly queryZero: number;

  private constructor(init: {
    dim: number; count: number; coarse: CoarseKind; blocks: Block[]; queryBatch: number;
    maxNorm: number; maxQuantError: number; maxDequantNorm: number; queryLevels: number; queryZero: number;
  }) {
    this.dim = init.dim;
    this.count = init.count;
    this.coarse = init.coarse;
    this.blocks = init.blocks;
    this.queryBatch = init.queryBatch;
    this.maxNorm = init.maxNorm;
    this.maxQuantError = init.maxQuantError;
    this.maxDequantNorm = init.maxDequantNorm;
    this.queryLevels = init.queryLevels;
    this.queryZero = init.queryZero;
  }

  /** Loads every row of `source` (decoded to float32) and prepares one GEMM session per block. */
  static async build(source: VectorSource, options: FlatIndexOptions = {}): Promise<FlatIndex> {
    const coarse = options.coarse ?? 'f32';
    if (coarse !== 'int8' && coarse !== 'f32') throw new Error(`flat index: unknown coarse kernel ${String(coarse)}`);
    const blockRows = options.blockRows ?? 32768;
    const queryBatch = options.queryBatch ?? 1024;
    if (!(blockRows >= 1) || !(queryBatch >= 1)) throw new Error('flat index: blockRows and queryBatch must be ≥ 1');
    const threads = options.threads ?? availableParallelism();
    const { dim, count } = source;
    const exact8 = int8DotIsExact();
    const queryLevels = exact8 ? 127 : 63;
    const queryZero = exact8 ? 128 : 64;
    const blocks: Block[] = [];
    let maxNorm = 0, maxQuantError = 0, maxDequantNorm = 0;
    try {
      for (let start = 0; start < count; start += blockRows) {
        const rows = Math.min(blockRows, count - start);
        const vectors = source.readRows(start, rows);
        for (let i = 0; i < vectors.length; i++) {
          if (!Number.isFinite(vectors[i]!)) throw new Error(`flat index: row ${start + Math.floor(i / dim)} holds a non-finite value`);
        }
        let session: ort.InferenceSession;
        if (coarse === 'f32') {
          const blockT = new Float32Array(dim * rows);
          for (let r = 0; r < rows; r++) {
            let norm2 = 0;
            for (let j = 0; j < dim; j++) {
              const v = vectors[r * dim + j]!;
              blockT[j * rows + r] = v;
              norm2 += v * v;
            }
            maxNorm = Math.max(maxNorm, Math.sqrt(norm2));
          }
          session = await createBlockSession({ kind: 'f32', dim, rows, blockT }, threads);
        } else {
          const blockT = new Int8Array(dim * rows);
          const scales = new Float32Array(rows);
          for (let r = 0; r < rows; r++) {
            let maxAbs = 0;
            for (let j = 0; j < dim; j++) maxAbs = Math.max(maxAbs, Math.abs(vectors[r * dim + j]!));
            const scale = Math.fround(maxAbs / 127);
            scales[r] = scale;
            let norm2 = 0, err2 = 0, deq2 = 0;
            for (let j = 0; j < dim; j++) {
              const v = vectors[r * dim + j]!;
              const code = scale === 0 ? 0 : Math.max(-127, Math.min(127, Math.round(v / scale)));
              blockT[j * rows + r] = code;
              const deq = scale * code;
              norm2 += v * v;
              err2 += (v - deq) * (v - deq);
              deq2 += deq * deq;
            }
            maxNorm = Math.max(maxNorm, Math.sqrt(norm2));
            maxQuantError = Math.max(maxQuantError, Math.sqrt(err2));
            maxDequantNorm = Math.max(maxDequantNorm, Math.sqrt(deq2));
          }
          session = await createBlockSession({ kind: 'int8', dim, rows, blockT, scales, queryZeroPoint: queryZero }, threads);
        }
        blocks.push({ start, rows, vectors, session });
      }
    } catch (err) {
      await Promise.all(blocks.map((b) => b.session.release()));
      throw err;
    }
    return new FlatIndex({ dim, count, coarse, blocks, queryBatch, maxNorm, maxQuantError, maxDequantNorm, queryLevels, queryZero });
  }

  /** Convenience: an index over rows held in memory (row-major, count = rows.length / dim). */
  static async fromRows(rows: Float32Array, dim: number, options: FlatIndexOptions = {}): Promise<FlatIndex> {
    if (!Number.isInteger(dim) || dim <= 0 || rows.length % dim !== 0) {
      throw new Error(`flat index: ${rows.length} values do not form rows of dim ${dim}`);
    }
    const source: VectorSource = { dim, count: rows.length / dim, readRows: (s, n) => rows.slice(s * dim, (s + n) * dim) };
    return FlatIndex.build(source, options);
  }

  async search(queries: readonly Float32Array[], k: number, options: SearchOptions = {}): Promise<RowHits> {
    if (!Number.isInteger(k) || k < 0) throw new Error(`flat index: k must be a non-negative integer, got ${k}`);
    queries.forEach((q, i) => {
      if (q.length !== this.dim) throw new Error(`flat index: query ${i} has ${q.length} values, index dim is ${this.dim}`);
      for (const v of q) if (!Number.isFinite(v)) throw new Error(`flat index: query ${i} holds a non-finite value`);
    });
    const { tieRanks } = options;
    if (tieRanks && tieRanks.length !== this.count) {
      throw new Error(`flat index: tieRanks has ${tieRanks.length} entries for ${this.count} rows`);
    }
    this.lastSearchStats.rescored = 0;
    this.lastSearchStats.reruns = 0;
    const kk = Math.min(k, this.count);
    const ids: number[][] = queries.map(() => []);
    const scores: number[][] = queries.map(() => []);
    if (kk === 0) return { ids, scores };
    const tie = tieRanks ? (row: number) => tieRanks[row]! : (row: number) => row;

    let pending = queries.map((_, i) => i);
    let kPrime = Math.min(this.count, this.coarse === 'int8' ? Math.max(4 * kk, kk + 64) : kk + 16);
    for (;;) {
      const failed: number[] = [];
      for (let b = 0; b < pending.length; b += this.queryBatch) {
        const batch = pending.slice(b, b + this.queryBatch);
        const answered = await this.searchBatch(batch.map((i) => queries[i]!), kk, kPrime, tie);
        answered.forEach((a, j) => {
          const qi = batch[j]!;
          if (a) {
            ids[qi] = a.ids;
            scores[qi] = a.scores;
          } else failed.push(qi);
        });
      }
      if (failed.length === 0) break;
      this.lastSearchStats.reruns += failed.length;
      pending = failed;
      kPrime = Math.min(this.count, kPrime * 4);
    }
    return { ids, scores };
  }

  /** Coarse pass and certified rescoring of one batch; undefined where the certificate failed. */
  private async searchBatch(
    queries: Float32Array[], k: number, kPrime: number, tie: (row: number) => number,
  ): Promise<({ ids: number[]; scores: number[] } | undefined)[]> {
    const n = queries.length;
    const dim = this.dim;
    // Per query: the factor turning raw coarse output into a score, and the bound B on |exact − approx|.
    const factor = new Float64Array(n);
    const bound = new Float64Array(n);
    let queryTensor: ort.Tensor;
    if (this.coarse === 'int8') {
      const codes = new Uint8Array(n * dim);
      const L = this.queryLevels, Z = this.queryZero;
      for (let i = 0; i < n; i++) {
        const q = queries[i]!;
        let maxAbs = 0;
        for (let j = 0; j < dim; j++) maxAbs = Math.max(maxAbs, Math.abs(q[j]!));
        const t = maxAbs / L;
        let qn2 = 0, fn2 = 0, qh2 = 0;
        for (let j = 0; j < dim; j++) {
          const c = t === 0 ? 0 : Math.max(-L, Math.min(L, Math.round(q[j]! / t)));
          codes[i * dim + j] = c + Z;
          const qh = t * c;
          qn2 += q[j]! * q[j]!;
          fn2 += (q[j]! - qh) * (q[j]! - qh);
          qh2 += qh * qh;
        }
        const qn = Math.sqrt(qn2), fn = Math.sqrt(fn2), qhn = Math.sqrt(qh2);
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

    // Coarse pass. Run block b+1 while merging block b's candidates; its threshold comes from the
    // candidates known before block b (lower, hence still safe).
    const candidates = queries.map(() => new TopKHeap(kPrime));
    const runBlock = (block: Block) => {
      const kBlock = Math.min(kPrime, block.rows);
      const useTopk = kBlock <= TOPK_MAX || candidates.some((h) => !h.full);
      const tau = new Float32Array(n);
      for (let i = 0; i < n; i++) tau[i] = candidates[i]!.minScore();
      return {
        useTopk, kBlock,
        result: block.session.run({
          queries: queryTensor,
          k: new ort.Tensor('int64', BigInt64Array.from([BigInt(kBlock)]), [1]),
          tau: new ort.Tensor('float32', tau, [n, 1]),
          use_topk: new ort.Tensor('bool', new Uint8Array([useTopk ? 1 : 0]), []),
        }),
      };
    };
    let next = runBlock(this.blocks[0]!);
    for (let b = 0; b < this.blocks.length; b++) {
      const block = this.blocks[b]!;
      const current = next;
      const out = await current.result;
      if (b + 1 < this.blocks.length) next = runBlock(this.blocks[b + 1]!);
      const values = out['out_values']!.data as Float32Array;
      const indices = out['out_indices']!.data as BigInt64Array;
      if (current.useTopk) {
        const kb = current.kBlock;
        for (let i = 0; i < n; i++) {
          const heap = candidates[i]!;
          for (let r = 0; r < kb; r++) {
            const row = block.start + Number(indices[i * kb + r]!);
            if (!heap.push(values[i * kb + r]!, row, row)) break; // sorted: the rest rank lower
          }
        }
      } else {
        const m = values.length;
        for (let e = 0; e < m; e++) {
          const row = block.start + Number(indices[m + e]!);
          candidates[Number(indices[e]!)]!.push(values[e]!, row, row);
        }
      }
    }

    // Certified rescoring.
    const answers: ({ ids: number[]; scores: number[] } | undefined)[] = [];
    for (let i = 0; i < n; i++) {
      const heap = candidates[i]!;
      const hidden = heap.full && kPrime < this.count;
      const tau = heap.minScore() * factor[i]!;
      const cands = heap.drainDescending();
      const best = new TopKHeap(k);
      const q = queries[i]!;
      for (let c = 0; c < cands.ids.length; c++) {
        if (best.full && cands.scores[c]! * factor[i]! + bound[i]! < best.minScore()) break;
        const row = cands.ids[c]!;
        const block = this.blocks[Math.floor(row / this.blocks[0]!.rows)]!;
        const s = exactInnerProduct(q, 0, block.vectors, (row - block.start) * dim, dim);
        this.lastSearchStats.rescored++;
        best.push(s, tie(row), row);
      }
      if (hidden && !(tau + bound[i]! < best.minScore())) answers.push(undefined);
      else answers.push(best.drainDescending());
    }
    return answers;
  }

  /** Releases the native sessions. */
  async close(): Promise<void> {
    await Promise.all(this.blocks.map((b) => b.session.release()));
  }
}
