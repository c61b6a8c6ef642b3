// The stored rows HNSW rescoring reads: candidates are few and scattered, so each is read by itself
// from its shard (one pread, its block's crc32 checked the first time the block is touched). A read
// from Node costs ~5 µs whatever its size, which at a few dozen candidates a query is most of a
// search; so when every shard's vectors fit in a fixed budget, blocks are kept in memory once read
// (checked as they are read) and rows are decoded from there. The budget bounds that memory whatever
// the corpus size; above it every read goes to the file (and the page cache).
import { SHARD_VERSION_BLOCKED } from '../../formats/shard-format.js';
import type { BlockRows } from '../../formats/row-codec.js';
import type { VectorShardReader } from '../../formats/shard-reader.js';
import type { VectorStore } from '../../formats/vector-store.js';
import { exactInnerProduct } from '../exact-score.js';
import type { RowScorer } from './hnsw-index.js';

/** Default bytes of stored vectors kept in memory for rescoring (shards larger in total are read by row). */
export const DEFAULT_RESCORE_CACHE_BYTES = 256 * 2 ** 20;

export class StoredRows implements RowScorer {
  readonly dim: number;
  readonly count: number;
  private readonly store: VectorStore;
  /** Per shard, its blocks once read (undefined: the store is read row by row). */
  private readonly blocks: Map<VectorShardReader, (BlockRows | undefined)[]> | undefined;
  private readonly row: Float32Array;

  constructor(store: VectorStore, budgetBytes = DEFAULT_RESCORE_CACHE_BYTES) {
    this.store = store;
    this.dim = store.dim;
    this.count = store.count;
    this.row = new Float32Array(store.dim);
    const blocked = store.shards.every((s) => s.version === SHARD_VERSION_BLOCKED);
    const bytes = store.shards.reduce((n, s) => n + s.bytes, 0);
    this.blocks = blocked && bytes <= budgetBytes ? new Map(store.shards.map((s) => [s, []])) : undefined;
  }

  /** exactInnerProduct of the query and the stored row, decoded as every exact engine decodes it (same bits). */
  score(row: number, query: Float32Array): number {
    const dim = this.dim;
    if (!this.blocks) {
      this.store.readRowInto(row, this.row, 0);
      return exactInnerProduct(query, 0, this.row, 0, dim);
    }
    const { shard, local } = this.store.locate(row);
    const cached = this.blocks.get(shard)!;
    const b = Math.floor(local / shard.blockRows);
    let block = cached[b];
    if (!block) {
      block = shard.readBlock(b, new Uint8Array(shard.maxBlockBytes));
      cached[b] = block;
    }
    // Decoded as every reader decodes (float32 values), so the score has the same bits as the flat engine's.
    block.decode(local - b * shard.blockRows, 1, this.row, 0);
    return exactInnerProduct(query, 0, this.row, 0, dim);
  }
}
