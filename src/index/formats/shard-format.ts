/**
 * The densekit vector shard file formats. All numbers little-endian. Version 2 (blocked, below) is what
 * densekit writes; version 1 is still read, so older indexes open and search as before.
 *
 * ## Version 1
 *
 *   offset 0   header, 64 bytes
 *     0  "DKVS"             magic
 *     4  u32 version        = 1
 *     8  u32 dtype          1 = f32, 2 = f16 (IEEE binary16), 3 = int8
 *     12 u32 dim            components per vector
 *     16 u32 rowBytes       bytes per stored row (see below)
 *     20 .. 63              reserved, zero
 *   offset 64  rows: row i starts at 64 + i * rowBytes (fixed offsets: a reader can view or map any row
 *              without parsing the rest). rowBytes is a multiple of 4, so every row start is 4-aligned.
 *     f32:  dim float32                                      rowBytes = 4 * dim
 *     f16:  dim binary16, zero padding to a multiple of 4    rowBytes = roundUp4(2 * dim)
 *     int8: float32 scale, then dim int8 codes, zero padding rowBytes = 4 + roundUp4(dim)
 *           value_j = scale * code_j, with scale = max_j |x_j| / 127 (symmetric, per vector).
 *   offset 64 + count * rowBytes   trailer, 16 bytes
 *     0  u64 count          number of rows
 *     8  "DKVE"             magic
 *     12 u32                reserved, zero
 *
 * The count lives in a trailer so that the writer streams the file strictly front to back and can
 * hash it as it goes; a truncated file loses its trailer magic and is refused.
 *
 * Why per-vector int8 scales: a shard is written as a stream, so a per-dimension scale (which needs
 * the whole corpus' range first) would take a second pass; and for inner-product ranking the error
 * that matters is |q·e| ≤ |q|·|e|, which a per-vector scale keeps proportional to each vector's own
 * norm, so short and long vectors are quantised equally well relative to their scores.
 *
 * ## Version 2 (blocked)
 *
 * Rows are grouped in blocks of `blockRows` rows (the last block may be shorter), each laid out so that
 * a search can hand it to a GEMM as it lies on disk, and each with a checksum, so a reader checks a
 * block the first time it reads it instead of hashing the whole file at open.
 *
 *   offset 0   header, 64 bytes: as version 1 (version = 2; rowBytes is the per-row stride inside a
 *              block, see below), plus
 *     20 u32 blockRows      rows per block (> 0)
 *   blocks, block b at 64 + b * blockBytes(blockRows):
 *     f32:  rows × dim float32, row-major                       rowBytes = 4 * dim
 *     f16:  rows × dim binary16, row-major, zero padding to 4    rowBytes = 2 * dim
 *     int8: rows × dim int8 codes, row-major, zero padding to 4, then rows float32 scales
 *                                                              rowBytes = dim
 *           value_j = scale * code_j as in version 1 (onnxruntime's QGemm reads the codes and scales
 *           as they lie: B transposed, with per-column scales).
 *   block table: one 16-byte entry per block
 *     0  u32 crc32 of the block's bytes (padding included; zlib's crc32, in Node since 20.15)
 *     4  u32 reserved, zero
 *     8  f64 the largest Euclidean norm of a row of the block, decoded to float32 (the search's error
 *            bound needs it; written here so that opening reads no rows)
 *   trailer, 16 bytes: as version 1, but bytes 12..15 hold the crc32 of the block table.
 */
import type { VectorDType } from './vector-types.js';

export const SHARD_MAGIC = 'DKVS';
export const SHARD_TRAILER_MAGIC = 'DKVE';
/** The row-by-row layout above. */
export const SHARD_VERSION_ROWS = 1;
/** The blocked layout below. */
export const SHARD_VERSION_BLOCKED = 2;
export const SHARD_HEADER_BYTES = 64;
export const SHARD_TRAILER_BYTES = 16;

const DTYPE_CODES: Record<VectorDType, number> = { f32: 1, f16: 2, int8: 3 };

export function dtypeCode(dtype: VectorDType): number {
  return DTYPE_CODES[dtype];
}

export function dtypeFromCode(code: number): VectorDType | undefined {
  for (const [name, c] of Object.entries(DTYPE_CODES)) if (c === code) return name as VectorDType;
  return undefined;
}

export function rowBytesFor(dtype: VectorDType, dim: number): number {
  const roundUp4 = (n: number) => Math.ceil(n / 4) * 4;
  switch (dtype) {
    case 'f32':
      return 4 * dim;
    case 'f16':
      return roundUp4(2 * dim);
    case 'int8':
      return 4 + roundUp4(dim);
  }
}

/** Version 2: the stride of one row inside a block. */
export function blockedRowBytes(dtype: VectorDType, dim: number): number {
  return dtype === 'f32' ? 4 * dim : dtype === 'f16' ? 2 * dim : dim;
}

const roundUp4 = (n: number) => Math.ceil(n / 4) * 4;

/** Version 2: bytes of a block of `rows` rows. */
export function blockBytes(dtype: VectorDType, dim: number, rows: number): number {
  const codes = roundUp4(rows * blockedRowBytes(dtype, dim));
  return dtype === 'int8' ? codes + 4 * rows : codes;
}

/** Version 2, int8: where a block's scales start (after the codes and their padding). */
export function int8ScalesOffset(dim: number, rows: number): number {
  return roundUp4(rows * dim);
}

export const BLOCK_ENTRY_BYTES = 16;
/** Default rows per block: 16,384 × 768 int8 codes are 12 MiB, a size a GEMM runs at full speed. */
export const DEFAULT_BLOCK_ROWS = 16384;

/** Version 2: the whole file's size for `count` rows. */
export function blockedShardBytes(dtype: VectorDType, dim: number, blockRows: number, count: number): number {
  const full = Math.floor(count / blockRows), rest = count % blockRows;
  const blocks = full + (rest > 0 ? 1 : 0);
  return SHARD_HEADER_BYTES + full * blockBytes(dtype, dim, blockRows) + (rest > 0 ? blockBytes(dtype, dim, rest) : 0)
    + blocks * BLOCK_ENTRY_BYTES + SHARD_TRAILER_BYTES;
}

/** blockRows is only used (and written) for version 2. */
export function encodeHeader(dtype: VectorDType, dim: number, version: number = SHARD_VERSION_BLOCKED, blockRows = DEFAULT_BLOCK_ROWS): Buffer {
  const h = Buffer.alloc(SHARD_HEADER_BYTES);
  h.write(SHARD_MAGIC, 0, 'latin1');
  h.writeUInt32LE(version, 4);
  h.writeUInt32LE(dtypeCode(dtype), 8);
  h.writeUInt32LE(dim, 12);
  h.writeUInt32LE(version === SHARD_VERSION_ROWS ? rowBytesFor(dtype, dim) : blockedRowBytes(dtype, dim), 16);
  if (version === SHARD_VERSION_BLOCKED) h.writeUInt32LE(blockRows, 20);
  return h;
}

/** tableCrc: version 2's crc32 of the block table (0 for version 1). */
export function encodeTrailer(count: number, tableCrc = 0): Buffer {
  const t = Buffer.alloc(SHARD_TRAILER_BYTES);
  t.writeBigUInt64LE(BigInt(count), 0);
  t.write(SHARD_TRAILER_MAGIC, 8, 'latin1');
  t.writeUInt32LE(tableCrc, 12);
  return t;
}
