import type { TieRankSource } from '../../results/tie-ranks.js';

/** How a shard stores each vector component. */
export type VectorDType = 'f32' | 'f16' | 'int8';

/** What a finished shard file holds; the build pipeline records this in its manifest. */
export interface ShardSummary {
  /** Absolute or caller-given path of the finished shard file. */
  readonly path: string;
  readonly dtype: VectorDType;
  readonly dim: number;
  /** Number of rows (vectors) in the shard. */
  readonly count: number;
  /** sha256 of the whole file, lowercase hex. */
  readonly sha256: string;
  /** File size in bytes. */
  readonly bytes: number;
}

/** Anything that can hand out consecutive rows of vectors decoded to float32. */
export interface VectorSource {
  readonly dim: number;
  readonly count: number;
  /** Rows [start, start+count) as one row-major Float32Array of count*dim values (a fresh array). */
  readRows(start: number, count: number): Float32Array;
}

/**
 * Top-k results of a batch of queries, by row number in the vector source.
 * ids[q][r] is the row of the r-th hit of query q; scores[q][r] its inner product.
 * Order: score descending, then tie rank descending (see SearchOptions.tieRanks).
 */
export interface RowHits {
  readonly ids: number[][];
  readonly scores: number[][];
}

export interface SearchOptions {
  /**
   * Per-row rank of the row's docid in byte order (see docidTieRanks). Equal scores are ordered by
   * this rank descending, i.e. docid descending as trec_eval does, and it also decides which tied
   * row makes the cut at rank k. Without it, ties fall back to row number descending. An array, or a
   * source read on demand (an index's docids.ranks file).
   */
  readonly tieRanks?: Uint32Array | TieRankSource;
}

/** An index that answers batched inner-product queries with row numbers. */
export interface VectorIndex {
  readonly dim: number;
  readonly count: number;
  search(queries: readonly Float32Array[], k: number, options?: SearchOptions): Promise<RowHits>;
}
