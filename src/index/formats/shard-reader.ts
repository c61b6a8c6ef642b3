// Opens a shard file, validates its header, trailer and size, and decodes rows on demand.
import { openForReading } from '../../files/open-file.js';
import { closeSync, fstatSync, readSync } from 'node:fs';
import { sha256OfFd } from '../../files/sha256.js';
import {
  dtypeFromCode, rowBytesFor, SHARD_HEADER_BYTES, SHARD_MAGIC, SHARD_TRAILER_BYTES, SHARD_TRAILER_MAGIC, SHARD_VERSION,
} from './shard-format.js';
import { decodeRows } from './row-codec.js';
import type { VectorDType, VectorSource } from './vector-types.js';

/** What the caller (usually a manifest) expects of a shard; any mismatch is refused. */
export interface ShardExpectation {
  readonly sha256?: string;
  readonly count?: number;
  readonly dim?: number;
  readonly dtype?: VectorDType;
}

const READ_CHUNK = 1 << 30;

function readFully(fd: number, target: Uint8Array, position: number, path: string): void {
  let done = 0;
  while (done < target.length) {
    const n = readSync(fd, target, done, Math.min(READ_CHUNK, target.length - done), position + done);
    if (n === 0) throw new Error(`vector shard ${path}: unexpected end of file at byte ${position + done}`);
    done += n;
  }
}

export class VectorShardReader implements VectorSource {
  readonly path: string;
  readonly dtype: VectorDType;
  readonly dim: number;
  readonly count: number;
  readonly rowBytes: number;
  readonly bytes: number;
  private fd: number | undefined;

  private constructor(path: string, fd: number, dtype: VectorDType, dim: number, count: number, bytes: number) {
    this.path = path;
    this.fd = fd;
    this.dtype = dtype;
    this.dim = dim;
    this.count = count;
    this.rowBytes = rowBytesFor(dtype, dim);
    this.bytes = bytes;
  }

  /**
   * Opens and validates a shard. Checks magic, version, dtype, dim, row size, trailer and that the file
   * size is exactly header + count*rowBytes + trailer; with `expect.sha256` it also hashes the whole file.
   * Every refusal names the shard path.
   */
  static open(path: string, expect: ShardExpectation = {}): VectorShardReader {
    const fd = openForReading(path, 'vector shard');
    try {
      const size = fstatSync(fd).size;
      const bad = (why: string): never => {
        throw new Error(`vector shard ${path}: ${why}`);
      };
      if (size < SHARD_HEADER_BYTES + SHARD_TRAILER_BYTES) bad(`file is ${size} bytes, too short for a shard (truncated or not a shard)`);
      const header = Buffer.alloc(SHARD_HEADER_BYTES);
      readFully(fd, header, 0, path);
      if (header.toString('latin1', 0, 4) !== SHARD_MAGIC) bad(`bad magic ${JSON.stringify(header.toString('latin1', 0, 4))}, not a densekit vector shard`);
      const version = header.readUInt32LE(4);
      if (version !== SHARD_VERSION) bad(`unsupported shard version ${version} (this densekit reads version ${SHARD_VERSION})`);
      const dtype = dtypeFromCode(header.readUInt32LE(8)) ?? bad(`unknown dtype code ${header.readUInt32LE(8)}`);
      const dim = header.readUInt32LE(12);
      if (dim === 0) bad('dim is 0');
      const rowBytes = header.readUInt32LE(16);
      if (rowBytes !== rowBytesFor(dtype, dim)) bad(`row size ${rowBytes} does not match ${dtype} × ${dim} (${rowBytesFor(dtype, dim)})`);
      const trailer = Buffer.alloc(SHARD_TRAILER_BYTES);
      readFully(fd, trailer, size - SHARD_TRAILER_BYTES, path);
      if (trailer.toString('latin1', 8, 12) !== SHARD_TRAILER_MAGIC) bad('trailer missing (file truncated or not finished)');
      const count64 = trailer.readBigUInt64LE(0);
      if (count64 > BigInt(Number.MAX_SAFE_INTEGER)) bad(`row count ${count64} is not plausible`);
      const count = Number(count64);
      const expectedSize = SHARD_HEADER_BYTES + count * rowBytes + SHARD_TRAILER_BYTES;
      if (size !== expectedSize) bad(`file is ${size} bytes but header and trailer say ${count} rows of ${rowBytes} bytes (${expectedSize} bytes)`);
      if (expect.dtype !== undefined && expect.dtype !== dtype) bad(`dtype is ${dtype}, expected ${expect.dtype}`);
      if (expect.dim !== undefined && expect.dim !== dim) bad(`dim is ${dim}, expected ${expect.dim}`);
      if (expect.count !== undefined && expect.count !== count) bad(`holds ${count} rows, expected ${expect.count}`);
      const reader = new VectorShardReader(path, fd, dtype, dim, count, size);
      if (expect.sha256 !== undefined) {
        const actual = reader.sha256();
        if (actual !== expect.sha256.toLowerCase()) bad(`checksum mismatch: sha256 is ${actual}, expected ${expect.sha256} (file corrupt)`);
      }
      return reader;
    } catch (err) {
      closeSync(fd);
      throw err;
    }
  }

  private handle(): number {
    if (this.fd === undefined) throw new Error(`vector shard ${this.path}: reader is closed`);
    return this.fd;
  }

  /** sha256 of the whole file, streamed in 8 MiB pieces. */
  sha256(): string {
    return sha256OfFd(this.handle(), `vector shard ${this.path}`, this.bytes);
  }

  /** The stored bytes of rows [start, start+count), laid out as in the file (rowBytes each). */
  readRawRows(start: number, count: number): Uint8Array {
    this.checkRange(start, count);
    const raw = new Uint8Array(new ArrayBuffer(count * this.rowBytes));
    readFully(this.handle(), raw, SHARD_HEADER_BYTES + start * this.rowBytes, this.path);
    return raw;
  }

  readRows(start: number, count: number): Float32Array {
    const raw = this.readRawRows(start, count);
    return decodeRows(this.dtype, raw, 0, this.dim, count, this.rowBytes);
  }

  private checkRange(start: number, count: number): void {
    if (!Number.isInteger(start) || !Number.isInteger(count) || start < 0 || count < 0 || start + count > this.count) {
      throw new Error(`vector shard ${this.path}: rows [${start}, ${start + count}) are outside 0..${this.count}`);
    }
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}
