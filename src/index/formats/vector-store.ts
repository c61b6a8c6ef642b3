// Several shards read as one sequence of rows (row numbers run across shards in the given order).
import { join, isAbsolute } from 'node:path';
import { VectorShardReader, type ShardExpectation } from './shard-reader.js';
import type { VectorDType, VectorSource } from './vector-types.js';

/** A shard file name (relative to the store directory) with what the manifest recorded about it. */
export interface ShardRef extends ShardExpectation {
  readonly file: string;
}

export class VectorStore implements VectorSource {
  readonly dim: number;
  readonly dtype: VectorDType;
  readonly count: number;
  readonly shards: readonly VectorShardReader[];
  /** starts[i] is the global row number of shard i's first row. */
  private readonly starts: number[];
  private rowScratch: Uint8Array | undefined;

  private constructor(shards: VectorShardReader[]) {
    this.shards = shards;
    this.dim = shards[0]!.dim;
    this.dtype = shards[0]!.dtype;
    this.starts = [];
    let total = 0;
    for (const s of shards) {
      this.starts.push(total);
      total += s.count;
    }
    this.count = total;
  }

  /**
   * Opens shards in order. Each is validated (see VectorShardReader.open); all must share dim and dtype.
   * A string is a bare file name; a ShardRef also checks the recorded sha256/count.
   */
  static open(dir: string, shardFiles: readonly (string | ShardRef)[]): VectorStore {
    if (shardFiles.length === 0) throw new Error(`vector store ${dir}: no shard files given`);
    const readers: VectorShardReader[] = [];
    try {
      for (const ref of shardFiles) {
        const r = typeof ref === 'string' ? { file: ref } : ref;
        const path = isAbsolute(r.file) ? r.file : join(dir, r.file);
        const reader = VectorShardReader.open(path, r);
        const first = readers[0];
        if (first && (first.dim !== reader.dim || first.dtype !== reader.dtype)) {
          reader.close();
          throw new Error(`vector shard ${path}: ${reader.dtype} × ${reader.dim} does not match ${first.path} (${first.dtype} × ${first.dim})`);
        }
        readers.push(reader);
      }
    } catch (err) {
      for (const r of readers) r.close();
      throw err;
    }
    return new VectorStore(readers);
  }

  readRows(start: number, count: number): Float32Array {
    if (!Number.isInteger(start) || !Number.isInteger(count) || start < 0 || count < 0 || start + count > this.count) {
      throw new Error(`vector store: rows [${start}, ${start + count}) are outside 0..${this.count}`);
    }
    const out = new Float32Array(count * this.dim);
    let row = start;
    while (row < start + count) {
      const i = this.shardOf(row);
      const shard = this.shards[i]!;
      const local = row - this.starts[i]!;
      const n = Math.min(shard.count - local, start + count - row);
      out.set(shard.readRows(local, n), (row - start) * this.dim);
      row += n;
    }
    return out;
  }

  /** Which shard holds global row `row`, and its row number there. */
  locate(row: number): { shard: VectorShardReader; local: number } {
    if (!Number.isInteger(row) || row < 0 || row >= this.count) throw new Error(`vector store: row ${row} is outside 0..${this.count}`);
    const i = this.shardOf(row);
    return { shard: this.shards[i]!, local: row - this.starts[i]! };
  }

  /** Decodes row `row` into out[at..at+dim), reading only its bytes (see VectorShardReader.readRowInto). */
  readRowInto(row: number, out: Float32Array, at: number): void {
    const { shard, local } = this.locate(row);
    this.rowScratch ??= new Uint8Array(Math.max(...this.shards.map((s) => s.rowScratchBytes)));
    shard.readRowInto(local, out, at, this.rowScratch);
  }

  private shardOf(row: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= row) lo = mid;
      else hi = mid - 1;
    }
    // Skip empty shards that share a start with the next one.
    while (lo < this.shards.length - 1 && this.shards[lo]!.count === 0) lo++;
    return lo;
  }

  close(): void {
    for (const s of this.shards) s.close();
  }
}
