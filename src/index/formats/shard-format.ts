/**
 * The densekit vector shard file format (version 1). All numbers little-endian.
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
 */
import type { VectorDType } from './vector-types.js';

export const SHARD_MAGIC = 'DKVS';
export const SHARD_TRAILER_MAGIC = 'DKVE';
export const SHARD_VERSION = 1;
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

export function encodeHeader(dtype: VectorDType, dim: number): Buffer {
  const h = Buffer.alloc(SHARD_HEADER_BYTES);
  h.write(SHARD_MAGIC, 0, 'latin1');
  h.writeUInt32LE(SHARD_VERSION, 4);
  h.writeUInt32LE(dtypeCode(dtype), 8);
  h.writeUInt32LE(dim, 12);
  h.writeUInt32LE(rowBytesFor(dtype, dim), 16);
  return h;
}

export function encodeTrailer(count: number): Buffer {
  const t = Buffer.alloc(SHARD_TRAILER_BYTES);
  t.writeBigUInt64LE(BigInt(count), 0);
  t.write(SHARD_TRAILER_MAGIC, 8, 'latin1');
  return t;
}
