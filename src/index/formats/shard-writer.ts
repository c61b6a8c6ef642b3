// Streams vectors into one shard file: bounded memory, hashed as written, published atomically.
import { closeSync, openSync, rmSync, writeSync } from 'node:fs';
import { createHash, type Hash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { publishFile, tempPathFor } from '../../files/atomic-write.js';
import {
  BLOCK_ENTRY_BYTES, blockedRowBytes, blockedShardBytes, DEFAULT_BLOCK_ROWS, encodeHeader, encodeTrailer, int8ScalesOffset,
  rowBytesFor, SHARD_HEADER_BYTES, SHARD_TRAILER_BYTES, SHARD_VERSION_BLOCKED, SHARD_VERSION_ROWS,
} from './shard-format.js';
import { encodeBlockedRows, encodeRows, RowEncodeError } from './row-codec.js';
import type { ShardSummary, VectorDType } from './vector-types.js';

export interface VectorShardWriterOptions {
  readonly dtype: VectorDType;
  readonly dim: number;
  /** Bytes of encoded rows held before a write; default 4 MiB. */
  readonly bufferBytes?: number | undefined;
  /** File format version (see shard-format.ts): 2 (default, blocked) or 1 (rows; kept for tests of old indexes). */
  readonly version?: 1 | 2 | undefined;
  /** Version 2: rows per block; default DEFAULT_BLOCK_ROWS. */
  readonly blockRows?: number | undefined;
}

/**
 * Writes a shard to `<path>.tmp-<random>` and renames it to `path` on finish(), so a reader never sees a
 * half-written shard under the final name. Memory stays at one write buffer (plus, for int8 version 2,
 * one block's scales and, for version 2, 16 bytes per block) whatever the row count.
 */
export class VectorShardWriter {
  readonly path: string;
  readonly dtype: VectorDType;
  readonly dim: number;
  readonly version: 1 | 2;
  readonly blockRows: number;
  private readonly rowBytes: number;
  private readonly tempPath: string;
  private fd: number | undefined;
  private readonly hash: Hash = createHash('sha256');
  private readonly buffer: Buffer;
  private buffered = 0;
  private rows = 0;
  private bytes = 0;
  // Version 2: the open block's crc32, largest norm and (int8) scales; the finished blocks' table entries.
  private blockCrc = 0;
  private blockNorm = 0;
  private readonly blockScales: Float32Array | undefined;
  private readonly table: Buffer[] = [];

  constructor(path: string, options: VectorShardWriterOptions) {
    const { dtype, dim } = options;
    if (!Number.isInteger(dim) || dim <= 0) throw new Error(`vector shard ${path}: dim must be a positive integer, got ${dim}`);
    if (dtype !== 'f32' && dtype !== 'f16' && dtype !== 'int8') throw new Error(`vector shard ${path}: unknown dtype ${String(dtype)}`);
    const version = options.version ?? SHARD_VERSION_BLOCKED;
    if (version !== SHARD_VERSION_ROWS && version !== SHARD_VERSION_BLOCKED) throw new Error(`vector shard ${path}: unknown format version ${String(version)}`);
    const blockRows = options.blockRows ?? DEFAULT_BLOCK_ROWS;
    if (!Number.isInteger(blockRows) || blockRows <= 0 || blockRows > 2 ** 31) throw new Error(`vector shard ${path}: blockRows must be a positive integer, got ${blockRows}`);
    this.path = path;
    this.dtype = dtype;
    this.dim = dim;
    this.version = version;
    this.blockRows = blockRows;
    this.rowBytes = version === SHARD_VERSION_ROWS ? rowBytesFor(dtype, dim) : blockedRowBytes(dtype, dim);
    const rowsPerBuffer = Math.max(1, Math.floor((options.bufferBytes ?? 4 << 20) / this.rowBytes));
    this.buffer = Buffer.alloc(rowsPerBuffer * this.rowBytes);
    this.blockScales = version === SHARD_VERSION_BLOCKED && dtype === 'int8' ? new Float32Array(blockRows) : undefined;
    this.tempPath = tempPathFor(path);
    this.fd = openSync(this.tempPath, 'wx');
    this.writeBytes(encodeHeader(dtype, dim, version, blockRows), false);
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
    const blocked = this.version === SHARD_VERSION_BLOCKED;
    let done = 0;
    while (done < total) {
      const bufferedRows = this.buffered / this.rowBytes;
      const inBlock = this.rows % this.blockRows;
      // Version 2: a write never crosses a block's end, so the block's crc32 closes with it.
      const n = Math.min(capacity - bufferedRows, total - done, blocked ? this.blockRows - inBlock : Infinity);
      const piece = src.subarray(done * this.dim, (done + n) * this.dim);
      try {
        if (blocked) {
          const norm = encodeBlockedRows(this.dtype, piece, this.dim, n, this.buffer, this.buffered, this.blockScales, inBlock);
          this.blockNorm = Math.max(this.blockNorm, norm);
        } else {
          encodeRows(this.dtype, piece, this.dim, n, this.rowBytes, this.buffer, this.buffered);
        }
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
      if (blocked && this.rows % this.blockRows === 0) this.closeBlock(this.blockRows);
    }
  }

  private flush(): void {
    if (this.buffered > 0) this.writeBytes(this.buffer.subarray(0, this.buffered), true);
    this.buffered = 0;
  }

  /** Version 2: writes the padding (and int8 scales) of a block of `rows` rows and records its table entry. */
  private closeBlock(rows: number): void {
    this.flush();
    const codeBytes = rows * this.rowBytes;
    const pad = (this.dtype === 'int8' ? int8ScalesOffset(this.dim, rows) : Math.ceil(codeBytes / 4) * 4) - codeBytes;
    if (pad > 0) this.writeBytes(Buffer.alloc(pad), true);
    if (this.blockScales) this.writeBytes(Buffer.from(this.blockScales.buffer, 0, 4 * rows), true);
    const entry = Buffer.alloc(BLOCK_ENTRY_BYTES);
    entry.writeUInt32LE(this.blockCrc, 0);
    entry.writeDoubleLE(this.blockNorm, 8);
    this.table.push(entry);
    this.blockCrc = 0;
    this.blockNorm = 0;
  }

  private writeBytes(b: Buffer, inBlock: boolean): void {
    let off = 0;
    while (off < b.length) off += writeSync(this.fd!, b, off, b.length - off);
    this.hash.update(b);
    if (inBlock && this.version === SHARD_VERSION_BLOCKED) this.blockCrc = crc32(b, this.blockCrc);
    this.bytes += b.length;
  }

  /** Writes the trailer, fsyncs, renames the temp file into place; returns what the manifest needs. */
  finish(): ShardSummary {
    if (this.fd === undefined) throw new Error(`vector shard ${this.path}: finish after finish or abort`);
    let trailer: Buffer;
    if (this.version === SHARD_VERSION_BLOCKED) {
      const rest = this.rows % this.blockRows;
      if (rest > 0) this.closeBlock(rest);
      const table = Buffer.concat(this.table);
      this.writeBytes(table, false);
      trailer = encodeTrailer(this.rows, crc32(table));
    } else {
      this.flush();
      trailer = encodeTrailer(this.rows);
    }
    this.writeBytes(trailer, false);
    closeSync(this.fd);
    this.fd = undefined;
    publishFile(this.tempPath, this.path);
    const expected = this.version === SHARD_VERSION_BLOCKED
      ? blockedShardBytes(this.dtype, this.dim, this.blockRows, this.rows)
      : SHARD_HEADER_BYTES + this.rows * this.rowBytes + SHARD_TRAILER_BYTES;
    if (this.bytes !== expected) throw new Error(`vector shard ${this.path}: internal size mismatch after writing`);
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
