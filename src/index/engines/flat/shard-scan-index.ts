/**
 * Exact inner-product search that scans the stored codes of version 2 shards block by block, so that
 * memory stays a constant whatever the corpus size, and opening reads no rows.
 *
 * Memory: one block buffer (the largest block of any shard: 16,384 × 768 int8 rows are 12.6 MB, f16
 * 25 MB), the block's candidate rows decoded to float32 for rescoring (at most 50 MB at 16,384 × 768),
 * onnxruntime's arena for one run (the [batch, blockRows] float32 score matrix a few times over;
 * f16 also its block widened to float32), and per query batch the queries, k best hits and candidates.
 * Blocks are read with pread into the one buffer (Node has no mmap); what stays cached between
 * batches is the OS page cache's choice, not this process's memory.
 *
 * Exactness, for the vectors as stored (decoded to float32 exactly as decodeRows does, int8 as
 * fround(scale · code)); the score is exactInnerProduct's float64 sum, bit-identical to FlatIndex's:
 * 1. Coarse pass per block (see shard-scan-graph.ts): int8 blocks against the queries quantised to
 *    int8 (per query t = max|q|/127, v = t · (integer dot × row scale)), f16/f32 blocks by a float32
 *    Gemm (v = the Gemm's score). B bounds |exact − v| per query and block, from the block's largest
 *    row norm M (read from the block table): int8: |q − q̂|·M′ + 4u·|q̂|·M′ + u·|q|·M′ (query
 *    quantisation, float32 scaling of the integer dot, float32 rounding of the stored values) with
 *    M′ = (1 + 2u)·M; f16/f32: γ_d·|q|·M; both plus the float64 sum's 2d·u₆₄·|q|·M, times (1 + 1e-6).
 * 2. Every candidate is rescored at once from the block in memory (no second read), into a heap of the
 *    k best exact scores, whose k-th score L rises as blocks go by. A block keeps only rows with
 *    v > tau, where tau + B < L (so a dropped row provably scores below L, and cannot tie it either).
 *    While a query's L is unknown (the first block), each query takes its top k' = k + 16 of the block
 *    (TopK), and the largest v + B of a row TopK hid is remembered.
 * 3. Certificate: if every hidden row's bound is below the final k-th score, the answer is brute force's.
 *    Otherwise the query is rerun once with that k-th score as L from the first block, which
 *    certifies by construction.
 * Ties (equal float64 scores) are ordered by tie rank descending, as in FlatIndex.
 */
import * as ort from 'onnxruntime-node';
import { availableParallelism } from 'node:os';
import { createScanSession } from './shard-scan-graph.js';
import { exactInnerProduct, exactInnerProductPair } from '../exact-score.js';
import { thresholdBelow } from './flat-index.js';
import { TopKHeap } from '../../../results/top-k-heap.js';
import { certifiedSearch, quantizeQuery, type CertifiedAnswer } from './certified-search.js';
import { int8MatmulSafeWithFullRange } from '../../../model/cpu-features.js';
import { SHARD_VERSION_BLOCKED } from '../../formats/shard-format.js';
import type { VectorShardReader } from '../../formats/shard-reader.js';
import type { BlockRows } from '../../formats/row-codec.js';
import type { RowHits, SearchOptions, VectorDType, VectorIndex } from '../../formats/vector-types.js';

export interface ShardScanOptions {
  /** Queries per coarse run; default 1024. */
  readonly queryBatch?: number;
  /** onnxruntime intra-op threads; default all cores. */
  readonly threads?: number;
}

export interface ShardScanStats {
  /** Exact float64 rescorings done. */
  rescored: number;
  /** Queries rerun because the certificate failed. */
  reruns: number;
  /** Blocks read from the shard files. */
  blocksRead: number;
}

interface ScanBlock {
  readonly shard: VectorShardReader;
  readonly index: number;
  /** Global row number of the block's first row. */
  readonly start: number;
  readonly rows: number;
  readonly maxNorm: number;
}

const U32 = 2 ** -24;
const U64 = 2 ** -53;

interface QueryLevels {
  readonly levels: number;
  readonly zero: number;
}

/**
 * Query codes are uint8 around a zero point. Without VNNI, onnxruntime's u8 × s8 kernel adds pairs of
 * products in int16 (vpmaddubsw), so codes stay within 7 bits there: 127 · 127 · 2 fits.
 */
function queryLevels(): QueryLevels {
  return int8MatmulSafeWithFullRange() ? { levels: 127, zero: 128 } : { levels: 63, zero: 64 };
}

export class ShardScanIndex implements VectorIndex {
  readonly dim: number;
  readonly count: number;
  readonly dtype: VectorDType;
  readonly lastSearchStats: ShardScanStats = { rescored: 0, reruns: 0, blocksRead: 0 };
  private readonly blocks: readonly ScanBlock[];
  private readonly buffer: Uint8Array;
  private readonly session: ort.InferenceSession;
  private readonly queryBatch: number;
  private readonly queryLevels: number;
  private readonly queryZero: number;
  /** int8: QGemm's all-zero per-row zero points, for the largest block. */
  private readonly codeZeros: Int8Array;
  /** The current block's rows as rescoring reads them. */
  private readonly decoded: DecodedRows;

  private constructor(
    dtype: VectorDType, dim: number, blocks: ScanBlock[], buffer: Uint8Array, session: ort.InferenceSession, queryBatch: number, levels: QueryLevels,
  ) {
    this.dtype = dtype;
    this.dim = dim;
    this.blocks = blocks;
    this.count = blocks.reduce((n, b) => n + b.rows, 0);
    this.buffer = buffer;
    this.session = session;
    this.queryBatch = queryBatch;
    this.queryLevels = levels.levels;
    this.queryZero = levels.zero;
    const maxRows = blocks.reduce((m, b) => Math.max(m, b.rows), 0);
    this.codeZeros = new Int8Array(dtype === 'int8' ? maxRows : 0);
    this.decoded = new DecodedRows(maxRows, dim, dtype);
  }

  /** Whether every shard is in the blocked format this index scans. */
  static canScan(shards: readonly VectorShardReader[]): boolean {
    return shards.every((s) => s.version === SHARD_VERSION_BLOCKED);
  }

  /**
   * Prepares a scan over the shards in order (row numbers run across them). Reads only the block
   * tables the readers already hold: no rows, whatever the corpus size.
   */
  static async open(shards: readonly VectorShardReader[], options: ShardScanOptions = {}): Promise<ShardScanIndex> {
    if (shards.length === 0) throw new Error('shard scan: no shards given');
    const { dtype, dim } = shards[0]!;
    const queryBatch = options.queryBatch ?? 1024;
    if (!Number.isInteger(queryBatch) || queryBatch < 1) throw new Error(`shard scan: queryBatch must be a positive integer, got ${queryBatch}`);
    const blocks: ScanBlock[] = [];
    let start = 0, bufferBytes = 0;
    for (const shard of shards) {
      if (shard.version !== SHARD_VERSION_BLOCKED) throw new Error(`shard scan: ${shard.path} is a version ${shard.version} shard; only blocked (version ${SHARD_VERSION_BLOCKED}) shards are scanned`);
      if (shard.dtype !== dtype || shard.dim !== dim) throw new Error(`shard scan: ${shard.path} holds ${shard.dtype} × ${shard.dim}, the first shard ${dtype} × ${dim}`);
      for (let b = 0; b < shard.blockCount; b++) {
        const rows = shard.rowsInBlock(b);
        blocks.push({ shard, index: b, start, rows, maxNorm: shard.blockMaxNorm(b) });
        start += rows;
      }
      if (shard.count > 0) bufferBytes = Math.max(bufferBytes, shard.maxBlockBytes);
    }
    const levels = queryLevels();
    const session = await createScanSession(dtype, dim, levels.zero, options.threads ?? availableParallelism());
    return new ShardScanIndex(dtype, dim, blocks, new Uint8Array(bufferBytes), session, queryBatch, levels);
  }

  async search(queries: readonly Float32Array[], k: number, options: SearchOptions = {}): Promise<RowHits> {
    Object.assign(this.lastSearchStats, { rescored: 0, reruns: 0, blocksRead: 0 });
    const { ids, scores, reruns } = await certifiedSearch('shard scan', this, queries, k, options, this.queryBatch,
      (batch, kk, floors, tie) => this.searchBatch(batch, kk, floors, tie));
    this.lastSearchStats.reruns = reruns;
    return { ids, scores };
  }

  /**
   * Feeds for the queries; per query the factor f turning the graph's score into v (the query's int8
   * scale; 1 for f16/f32) and the factor of B per unit of a block's largest row norm.
   */
  private queryFeeds(queries: readonly Float32Array[]): { feeds: Record<string, ort.Tensor>; factor: Float64Array; perNorm: Float64Array } {
    const n = queries.length, dim = this.dim;
    const factor = new Float64Array(n).fill(1);
    const perNorm = new Float64Array(n);
    if (this.dtype !== 'int8') {
      const flat = new Float32Array(n * dim);
      const gamma = ((dim + 2) * U32) / (1 - (dim + 2) * U32);
      queries.forEach((q, i) => {
        flat.set(q, i * dim);
        let qn2 = 0;
        for (let j = 0; j < dim; j++) qn2 += q[j]! * q[j]!;
        perNorm[i] = (gamma + 2 * dim * U64) * Math.sqrt(qn2) * (1 + 1e-6);
      });
      return { feeds: { queries: new ort.Tensor('float32', flat, [n, dim]) }, factor, perNorm };
    }
    const L = this.queryLevels;
    const codes = new Uint8Array(n * dim);
    queries.forEach((q, i) => {
      // A float32 scale, so that v = t · score is exact in float64.
      const { scale: t, norm: qn, errorNorm, quantizedNorm } = quantizeQuery(q, L, this.queryZero, codes, i * dim, (m) => Math.fround(m / L));
      factor[i] = t;
      perNorm[i] = (errorNorm + 4 * U32 * quantizedNorm + U32 * qn) * (1 + 2 * U32) * (1 + 1e-6) + 2 * dim * U64 * qn * (1 + 1e-6);
    });
    return { feeds: { query_codes: new ort.Tensor('uint8', codes, [n, dim]) }, factor, perNorm };
  }

  private blockFeeds(view: BlockRows): Record<string, ort.Tensor> {
    const { rows, dim } = view;
    if (this.dtype === 'int8') {
      return {
        codes: new ort.Tensor('int8', view.codes!, [rows, dim]),
        row_scales: new ort.Tensor('float32', view.scales!, [rows]),
        code_zeros: new ort.Tensor('int8', this.codeZeros.subarray(0, rows), [rows]),
      };
    }
    return { rows: this.dtype === 'f16' ? new ort.Tensor('float16', view.halfBits!, [rows, dim]) : new ort.Tensor('float32', view.f32!, [rows, dim]) };
  }

  private async searchBatch(
    queries: Float32Array[], k: number, floors: number[], tie: (row: number) => number,
  ): Promise<CertifiedAnswer[]> {
    const n = queries.length;
    const { feeds: queryFeeds, factor, perNorm } = this.queryFeeds(queries);
    const best = queries.map(() => new TopKHeap(k));
    const hiddenBound = new Float64Array(n).fill(-Infinity);
    const bound = new Float64Array(n);
    const tau = new Float32Array(n);
    const rerun = floors.every((f) => f > -Infinity);
    const kPrime = k + 16;
    const stats = this.lastSearchStats;
    const rows = this.decoded;
    const q64 = queries.map((q) => Float64Array.from(q));
    const pair = new Float64Array(2);
    // Rescores the block rows `a` and (when b ≥ 0) `b` for query i, two rows per pass where the
    // dimension allows (exactInnerProductPair: the same bits as exactInnerProduct, one pass over q).
    const rescore = (i: number, a: number, b: number, start: number): void => {
      const xa = rows.row(a), heap = best[i]!;
      if (b >= 0 && this.dim % 4 === 0) {
        exactInnerProductPair(q64[i]!, rows.values, xa, rows.values, rows.row(b), this.dim, pair, 0);
        heap.push(pair[0]!, tie(start + a), start + a);
        heap.push(pair[1]!, tie(start + b), start + b);
        stats.rescored += 2;
        return;
      }
      heap.push(exactInnerProduct(queries[i]!, 0, rows.values, xa, this.dim), tie(start + a), start + a);
      stats.rescored++;
      if (b >= 0) rescore(i, b, -1, start);
    };
    for (const block of this.blocks) {
      const view = block.shard.readBlock(block.index, this.buffer);
      rows.reset(view);
      stats.blocksRead++;
      let known = true;
      for (let i = 0; i < n; i++) {
        bound[i] = perNorm[i]! * block.maxNorm + Number.MIN_VALUE;
        const L = Math.max(floors[i]!, best[i]!.full ? best[i]!.minScore() : -Infinity);
        if (L === -Infinity) known = false;
        tau[i] = thresholdBelow(L, factor[i]!, bound[i]!);
      }
      const kBlock = Math.min(kPrime, block.rows);
      const useTopk = !rerun && !known;
      const out = await this.session.run({
        ...queryFeeds,
        ...this.blockFeeds(view),
        k: new ort.Tensor('int64', BigInt64Array.from([BigInt(kBlock)]), [1]),
        tau: new ort.Tensor('float32', tau, [n, 1]),
        use_topk: new ort.Tensor('bool', new Uint8Array([useTopk ? 1 : 0]), []),
      });
      const values = out['out_values']!.data as Float32Array;
      const indices = out['out_indices']!.data as BigInt64Array;
      if (useTopk) {
        for (let i = 0; i < n; i++) {
          const heap = best[i]!, B = bound[i]!, t = tau[i]!, f = factor[i]!;
          // Sorted descending: once a value is out, the rest are out too.
          const wanted = (r: number): boolean => {
            if (r >= kBlock) return false;
            const v = values[i * kBlock + r]!;
            return v > t && !(heap.full && v * f + B < heap.minScore());
          };
          for (let r = 0; wanted(r); r += 2) {
            rescore(i, Number(indices[i * kBlock + r]!), wanted(r + 1) ? Number(indices[i * kBlock + r + 1]!) : -1, block.start);
          }
          // Rows TopK hid score at most hidden + B: remembered unless provably below the k-th already.
          const hidden = values[i * kBlock + kBlock - 1]! * f + B;
          if (kBlock < block.rows && values[i * kBlock + kBlock - 1]! > t && !(heap.full && hidden < heap.minScore())) {
            hiddenBound[i] = Math.max(hiddenBound[i]!, hidden);
          }
        }
      } else {
        // Entries come ordered by query, then row: a query's rows pass in twos (see rescore).
        const m = values.length;
        const wanted = (e: number, i: number): boolean => {
          const heap = best[i]!;
          return !(heap.full && values[e]! * factor[i]! + bound[i]! < heap.minScore());
        };
        let held = -1, heldQuery = -1;
        for (let e = 0; e < m; e++) {
          const i = Number(indices[e]!);
          if (held >= 0 && heldQuery !== i) {
            rescore(heldQuery, held, -1, block.start);
            held = -1;
          }
          if (!wanted(e, i)) continue;
          const local = Number(indices[m + e]!);
          if (held < 0) [held, heldQuery] = [local, i];
          else {
            rescore(i, held, local, block.start);
            held = -1;
          }
        }
        if (held >= 0) rescore(heldQuery, held, -1, block.start);
      }
    }
    return best.map((heap, i) => {
      if (!heap.full) throw new Error('shard scan: internal error, fewer than k rows were scored');
      const certified = hiddenBound[i]! < heap.minScore();
      return { ...heap.drainDescending(), certified };
    });
  }

  async close(): Promise<void> {
    await this.session.release();
  }
}

/**
 * A block's rows decoded to float32 (decodeRows's values: int8 as fround(scale · code)), each on its
 * first use and then kept for the other queries of the batch: at k = 1000 a row of a 1M corpus is a
 * candidate of ~9 of 1,000 queries, and decoding per query cost more than the float64 sum itself.
 * f32 blocks are used as they lie in the block buffer.
 */
class DecodedRows {
  values: Float32Array;
  private readonly decoded: Float32Array;
  private readonly done: Uint8Array;
  private view: BlockRows | undefined;

  constructor(maxRows: number, dim: number, dtype: VectorDType) {
    this.decoded = new Float32Array(dtype === 'f32' ? 0 : maxRows * dim);
    this.done = new Uint8Array(maxRows);
    this.values = this.decoded;
  }

  reset(view: BlockRows): void {
    this.view = view;
    this.values = view.f32 ?? this.decoded;
    this.done.fill(0, 0, view.rows);
  }

  /** The offset of block row `local` in `values`. */
  row(local: number): number {
    const view = this.view!;
    if (!view.f32 && this.done[local] === 0) {
      view.decode(local, 1, this.decoded, local * view.dim);
      this.done[local] = 1;
    }
    return local * view.dim;
  }
}
