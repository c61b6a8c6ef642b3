// Streams vectors into one shard file: bounded memory, hashed as written, published atomically.
import { closeSync, openSync, rmSync, writeSync } from 'node:fs';
import { createHash, type Hash } from 'node:crypto';
import { publishFile, tempPathFor } from '../../files/atomic-write.js';
import { encodeHeader, encodeTrailer, rowBytesFor, SHARD_HEADER_BYTES, SHARD_TRAILER_BYTES } from './shard-format.js';
import { encodeRows, RowEncodeError } from './row-codec.js';
import type { ShardSummary, VectorDType } from './vector-types.js';

export interface VectorShardWriterOptions {
  readonly dtype: VectorDType;
  readonly dim: number;
  /** Bytes of encoded rows held before a write; default 4 MiB. */
  readonly bufferBytes?: number | undefined;
}

/**
 * Writes a shard to `<path>.tmp-<random>` and renames it to `path` on finish(), so a reader never sees a
 * half-written shard under the final name. Memory stays at one write buffer whatever the row count.
 */
export class VectorShardWriter {
  readonly path: string;
  readonly dtype: VectorDType;
  readonly dim: number;
  private readonly rowBytes: number;
  private readonly tempPath: string;
  private fd: number | undefined;
  private readonly hash: Hash = createHash('sha256');
  private readonly buffer: Buffer;
  private buffered = 0;
  private rows = 0;
  private bytes = 0;

  constructor(path: string, options: VectorShardWriterOptions) {
    const { dtype, dim } = options;
    if (!Number.isInteger(dim) || dim <= 0) throw new Error(`vector shard ${path}: dim must be a positive integer, got ${dim}`);
    if (dtype !== 'f32' && dtype !== 'f16' && dtype !== 'int8') throw new Error(`vector shard ${path}: unknown dtype ${String(dtype)}`);
    this.path = path;
    this.dtype = dtype;
    this.dim = dim;
    this.rowBytes = rowBytesFor(dtype, dim);
    const rowsPerBuffer = Math.max(1, Math.floor((options.bufferBytes ?? 4 << 20) / this.rowBytes));
    this.buffer = Buffer.alloc(rowsPerBuffer * this.rowBytes);
    this.tempPath = tempPathFor(path);
    this.fd = openSync(this.tempPath, 'wx');
    this.writeBytes(encodeHeader(dtype, dim));
  }

  /** Rows written so far. */
  get count(): number {
    return this.rows;
  }

  /** Appends rows: either one row-major Float32Array of n*dim values, or an array of single rows. */
  append(rows: Float32Array | readonly Float32Array[]): void {
    if (this.fd === undefined) throw new Error(`vector shard ${this.path}: append after finish or abort`);
    if (rows instanceof Float32Array) {
      if (rows.length % this.dim !== 0) {
        throw new Error(`vector shard ${this.path}: got ${rows.length} values, not a multiple of dim ${this.dim}`);
      }
      this.appendMatrix(rows);
    } else {
      for (const row of rows) {
        if (row.length !== this.dim) {
          throw new Error(`vector shard ${this.path}: row ${this.rows} has ${row.length} values, expected dim ${this.dim}`);
        }
        this.appendMatrix(row);
      }
    }
  }

  private appendMatrix(src: Float32Array): void {
    const capacity = this.buffer.length / this.rowBytes;
    const total = src.length / this.dim;
    let done = 0;
    while (done < total) {
      const bufferedRows = this.buffered / this.rowBytes;
      const n = Math.min(capacity - bufferedRows, total - done);
      try {
        encodeRows(this.dtype, src.subarray(done * this.dim, (done + n) * this.dim), this.dim, n, this.rowBytes, this.buffer, this.buffered);
      } catch (err) {
        if (err instanceof RowEncodeError) {
          const rowNo = this.rows + Number(/row (\d+)/.exec(err.message)?.[1] ?? 0);
          this.abort();
          throw new Error(`vector shard ${this.path}: shard row ${rowNo}: ${err.message.replace(/^row \d+ /, '')}`);
        }
        throw err;
      }
      this.buffered += n * this.rowBytes;
      this.rows += n;
      done += n;
      if (this.buffered === this.buffer.length) this.flush();
    }
  }

  private flush(): void {
    if (this.buffered > 0) this.writeBytes(this.buffer.subarray(0, this.buffered));
    this.buffered = 0;
  }

  private writeBytes(b: Buffer): void {
    let off = 0;
    while (off < b.length) off += writeSync(this.fd!, b, off, b.length - off);
    this.hash.update(b);
    this.bytes += b.length;
  }

  /** Writes the trailer, fsyncs, renames the temp file into place; returns what the manifest needs. */
  finish(): ShardSummary {
    if (this.fd === undefined) throw new Error(`vector shard ${this.path}: finish after finish or abort`);
    this.flush();
    this.writeBytes(encodeTrailer(this.rows));
    closeSync(this.fd);
    this.fd = undefined;
    publishFile(this.tempPath, this.path);
    if (this.bytes !== SHARD_HEADER_BYTES + this.rows * this.rowBytes + SHARD_TRAILER_BYTES) {
      throw new Error(`vector shard ${this.path}: internal size mismatch after writing`);
    }
    return { path: this.path, dtype: this.dtype, dim: this.dim, count: this.rows, sha256: this.hash.digest('hex'), bytes: this.bytes };
  }

  /** Drops the temp file; the final path is never touched. */
  abort(): void {
    if (this.fd !== undefined) {
      closeSync(this.fd);
      this.fd = undefined;
    }
    rmSync(this.tempPath, { force: true });
  }
}
