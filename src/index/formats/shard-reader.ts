// Opens a shard file, validates its header, trailer and size, and decodes rows on demand. Version 2
// (blocked) shards are also read block by block into a caller's buffer, each block's crc32 checked the
// first time this reader reads it.
import { openForReading } from '../../files/open-file.js';
import { readFullyAt } from '../../files/read-at.js';
import { closeSync, fstatSync } from 'node:fs';
import { sha256OfFd } from '../../files/sha256.js';
import { crc32 } from 'node:zlib';
import {
  BLOCK_ENTRY_BYTES, blockBytes, blockedRowBytes, blockedShardBytes, dtypeFromCode, int8ScalesOffset, rowBytesFor,
  SHARD_HEADER_BYTES, SHARD_MAGIC, SHARD_TRAILER_BYTES, SHARD_TRAILER_MAGIC, SHARD_VERSION_BLOCKED, SHARD_VERSION_ROWS,
} from './shard-format.js';
import { BlockRows, decodeRows } from './row-codec.js';
import type { VectorDType, VectorSource } from './vector-types.js';

/** What the caller (usually a manifest) expects of a shard; any mismatch is refused. */
export interface ShardExpectation {
  readonly sha256?: string;
  readonly count?: number;
  readonly dim?: number;
  readonly dtype?: VectorDType;
}

function readFully(fd: number, target: Uint8Array, position: number, path: string): void {
  readFullyAt(fd, target, position, `vector shard ${path}`);
}

/** Version 2's block table, read at open. */
interface BlockTable {
  readonly blockRows: number;
  readonly crcs: Uint32Array;
  readonly maxNorms: Float64Array;
  /** 1 once a block's crc32 has been checked by this reader. */
  readonly checked: Uint8Array;
}

export class VectorShardReader implements VectorSource {
  readonly path: string;
  readonly dtype: VectorDType;
  readonly dim: number;
  readonly count: number;
  /** File format version: 1 (rows) or 2 (blocked). */
  readonly version: number;
  readonly rowBytes: number;
  readonly bytes: number;
  private fd: number | undefined;
  private readonly table: BlockTable | undefined;

  private constructor(path: string, fd: number, version: number, dtype: VectorDType, dim: number, count: number, bytes: number, table: BlockTable | undefined) {
    this.path = path;
    this.fd = fd;
    this.version = version;
    this.dtype = dtype;
    this.dim = dim;
    this.count = count;
    this.rowBytes = version === SHARD_VERSION_ROWS ? rowBytesFor(dtype, dim) : blockedRowBytes(dtype, dim);
    this.bytes = bytes;
    this.table = table;
  }

  /**
   * Opens and validates a shard. Checks magic, version, dtype, dim, row size, trailer and that the file
   * size is exactly what header and trailer imply (version 2: and the block table's crc32); with
   * `expect.sha256` it also hashes the whole file. Reads no rows. Every refusal names the shard path.
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
      if (version !== SHARD_VERSION_ROWS && version !== SHARD_VERSION_BLOCKED) {
        bad(`unsupported shard version ${version} (this densekit reads versions ${SHARD_VERSION_ROWS} and ${SHARD_VERSION_BLOCKED})`);
      }
      const dtype = dtypeFromCode(header.readUInt32LE(8)) ?? bad(`unknown dtype code ${header.readUInt32LE(8)}`);
      const dim = header.readUInt32LE(12);
      if (dim === 0) bad('dim is 0');
      const rowBytes = header.readUInt32LE(16);
      const wantRowBytes = version === SHARD_VERSION_ROWS ? rowBytesFor(dtype, dim) : blockedRowBytes(dtype, dim);
      if (rowBytes !== wantRowBytes) bad(`row size ${rowBytes} does not match ${dtype} × ${dim} (${wantRowBytes})`);
      const trailer = Buffer.alloc(SHARD_TRAILER_BYTES);
      readFully(fd, trailer, size - SHARD_TRAILER_BYTES, path);
      if (trailer.toString('latin1', 8, 12) !== SHARD_TRAILER_MAGIC) bad('trailer missing (file truncated or not finished)');
      const count64 = trailer.readBigUInt64LE(0);
      if (count64 > BigInt(Number.MAX_SAFE_INTEGER)) bad(`row count ${count64} is not plausible`);
      const count = Number(count64);
      let table: BlockTable | undefined;
      if (version === SHARD_VERSION_ROWS) {
        const expectedSize = SHARD_HEADER_BYTES + count * rowBytes + SHARD_TRAILER_BYTES;
        if (size !== expectedSize) bad(`file is ${size} bytes but header and trailer say ${count} rows of ${rowBytes} bytes (${expectedSize} bytes)`);
      } else {
        const blockRows = header.readUInt32LE(20);
        if (blockRows === 0) bad('blockRows is 0');
        const expectedSize = blockedShardBytes(dtype, dim, blockRows, count);
        if (size !== expectedSize) bad(`file is ${size} bytes but header and trailer say ${count} rows in blocks of ${blockRows} (${expectedSize} bytes)`);
        const blocks = Math.ceil(count / blockRows);
        const raw = Buffer.alloc(blocks * BLOCK_ENTRY_BYTES);
        readFully(fd, raw, size - SHARD_TRAILER_BYTES - raw.length, path);
        if (crc32(raw) !== trailer.readUInt32LE(12)) bad('block table checksum mismatch (file corrupt)');
        const crcs = new Uint32Array(blocks), maxNorms = new Float64Array(blocks);
        for (let b = 0; b < blocks; b++) {
          crcs[b] = raw.readUInt32LE(b * BLOCK_ENTRY_BYTES);
          maxNorms[b] = raw.readDoubleLE(b * BLOCK_ENTRY_BYTES + 8);
          if (!(maxNorms[b]! >= 0 && Number.isFinite(maxNorms[b]!))) bad(`block ${b} records an invalid row norm ${maxNorms[b]}`);
        }
        table = { blockRows, crcs, maxNorms, checked: new Uint8Array(blocks) };
      }
      if (expect.dtype !== undefined && expect.dtype !== dtype) bad(`dtype is ${dtype}, expected ${expect.dtype}`);
      if (expect.dim !== undefined && expect.dim !== dim) bad(`dim is ${dim}, expected ${expect.dim}`);
      if (expect.count !== undefined && expect.count !== count) bad(`holds ${count} rows, expected ${expect.count}`);
      const reader = new VectorShardReader(path, fd, version, dtype, dim, count, size, table);
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

  readRows(start: number, count: number): Float32Array {
    this.checkRange(start, count);
    if (!this.table) {
      const raw = new Uint8Array(new ArrayBuffer(count * this.rowBytes));
      readFully(this.handle(), raw, SHARD_HEADER_BYTES + start * this.rowBytes, this.path);
      return decodeRows(this.dtype, raw, 0, this.dim, count, this.rowBytes);
    }
    // Version 2: whole blocks, so that each is checked against its crc32 before a row of it is used.
    const out = new Float32Array(count * this.dim);
    const { blockRows } = this.table;
    let buffer: Uint8Array | undefined;
    for (let row = start; row < start + count; ) {
      const b = Math.floor(row / blockRows);
      buffer ??= new Uint8Array(this.maxBlockBytes);
      const view = this.readBlock(b, buffer);
      const first = row - b * blockRows;
      const n = Math.min(view.rows - first, start + count - row);
      view.decode(first, n, out, (row - start) * this.dim);
      row += n;
    }
    return out;
  }

  /**
   * Decodes one row into out[at..at+dim) reading only that row's bytes (what rescoring a few scattered
   * candidates needs; readRows reads whole blocks). A version 2 block is still checked against its
   * crc32 (one whole read) the first time this reader touches it, so a damaged block is refused before
   * any of its rows is used. `scratch` holds the row's bytes: at least rowBytes long, 4-aligned.
   */
  readRowInto(row: number, out: Float32Array, at: number, scratch: Uint8Array): void {
    this.checkRange(row, 1);
    const raw = scratch.subarray(0, this.rowScratchBytes);
    if (!this.table) {
      readFully(this.handle(), raw, SHARD_HEADER_BYTES + row * this.rowBytes, this.path);
      out.set(decodeRows(this.dtype, raw, 0, this.dim, 1, this.rowBytes), at);
      return;
    }
    const { blockRows, checked } = this.table;
    const b = Math.floor(row / blockRows), local = row - b * blockRows;
    if (checked[b] === 0) this.readBlock(b, new Uint8Array(this.maxBlockBytes));
    const blockStart = SHARD_HEADER_BYTES + b * blockBytes(this.dtype, this.dim, blockRows);
    readFully(this.handle(), raw.subarray(0, this.rowBytes), blockStart + local * this.rowBytes, this.path);
    // The row as a one-row block: int8 codes, then its scale where a one-row block keeps it.
    const scalesAt = int8ScalesOffset(this.dim, 1);
    if (this.dtype === 'int8') {
      readFully(this.handle(), raw.subarray(scalesAt, scalesAt + 4), blockStart + int8ScalesOffset(this.dim, this.rowsInBlock(b)) + 4 * local, this.path);
    }
    new BlockRows(this.dtype, this.dim, 1, raw, scalesAt).decode(0, 1, out, at);
  }

  /** Bytes readRowInto's scratch buffer needs. */
  get rowScratchBytes(): number {
    if (this.version === SHARD_VERSION_ROWS) return this.rowBytes;
    return this.dtype === 'int8' ? int8ScalesOffset(this.dim, 1) + 4 : this.rowBytes;
  }

  // ---- version 2 blocks ----

  private blocked(): BlockTable {
    if (!this.table) throw new Error(`vector shard ${this.path}: version ${this.version} has no blocks`);
    return this.table;
  }

  /** Rows per block (version 2). */
  get blockRows(): number {
    return this.blocked().blockRows;
  }

  get blockCount(): number {
    return this.blocked().crcs.length;
  }

  /** Rows in block b. */
  rowsInBlock(b: number): number {
    const { blockRows } = this.blocked();
    return Math.min(blockRows, this.count - b * blockRows);
  }

  /** The largest norm of a row of block b, as the block table records it. */
  blockMaxNorm(b: number): number {
    return this.blocked().maxNorms[b]!;
  }

  /** Bytes of the largest block: a buffer this size holds any block of this shard. */
  get maxBlockBytes(): number {
    return blockBytes(this.dtype, this.dim, Math.min(this.blocked().blockRows, this.count));
  }

  /**
   * Reads block b into `buffer` (from its start; at least blockBytes long, 4-aligned) and returns views
   * over it. The first read of each block checks its crc32, so a damaged block is refused, naming the
   * shard and the block, before any of its rows is used.
   */
  readBlock(b: number, buffer: Uint8Array): BlockRows {
    const table = this.blocked();
    if (!Number.isInteger(b) || b < 0 || b >= table.crcs.length) throw new Error(`vector shard ${this.path}: no block ${b} (it has ${table.crcs.length})`);
    const rows = this.rowsInBlock(b);
    const size = blockBytes(this.dtype, this.dim, rows);
    if (buffer.length < size) throw new Error(`vector shard ${this.path}: a ${buffer.length}-byte buffer cannot hold block ${b} (${size} bytes)`);
    const bytes = buffer.subarray(0, size);
    readFully(this.handle(), bytes, SHARD_HEADER_BYTES + b * blockBytes(this.dtype, this.dim, table.blockRows), this.path);
    if (table.checked[b] === 0) {
      const actual = crc32(bytes);
      if (actual !== table.crcs[b]) {
        const first = b * table.blockRows;
        throw new Error(`vector shard ${this.path}: block ${b} (rows ${first}..${first + rows - 1}) is corrupt: crc32 ${actual.toString(16)}, the block table says ${table.crcs[b]!.toString(16)}`);
      }
      table.checked[b] = 1;
    }
    return new BlockRows(this.dtype, this.dim, rows, bytes, this.dtype === 'int8' ? int8ScalesOffset(this.dim, rows) : 0);
  }

  /** Reads every block once, checking each crc32 (version 2; version 1 has no blocks: use sha256()). */
  checkAllBlocks(): void {
    const buffer = new Uint8Array(this.maxBlockBytes);
    const table = this.blocked();
    table.checked.fill(0);
    for (let b = 0; b < table.crcs.length; b++) this.readBlock(b, buffer);
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
