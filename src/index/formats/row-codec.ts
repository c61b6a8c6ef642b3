// Encoding and decoding of shard rows (layout documented in shard-format.ts).
import { FLOAT16_TABLE, float32ToFloat16Bits } from '../../checkpoint/float16.js';
import type { VectorDType } from './vector-types.js';
import { endianness } from 'node:os';

const LITTLE_ENDIAN_HOST = endianness() === 'LE';

/** Why a row could not be encoded: the caller names the file and row. */
export class RowEncodeError extends Error {}

/**
 * Encodes `count` rows of `dim` floats from `src` (row-major) into `out` at `outOffset`,
 * each row taking `rowBytes` bytes. Non-finite values, and values outside the f16 range for f16, are
 * refused with the failing row index (relative to src) in the message.
 */
export function encodeRows(
  dtype: VectorDType,
  src: Float32Array,
  dim: number,
  count: number,
  rowBytes: number,
  out: Buffer,
  outOffset: number,
): void {
  for (let r = 0; r < count; r++) {
    const base = r * dim;
    const o = outOffset + r * rowBytes;
    for (let j = 0; j < dim; j++) {
      const v = src[base + j]!;
      if (!Number.isFinite(v)) throw new RowEncodeError(`row ${r} component ${j} is ${v}, not a finite number`);
    }
    switch (dtype) {
      case 'f32':
        if (LITTLE_ENDIAN_HOST && (out.byteOffset + o) % 4 === 0) {
          new Float32Array(out.buffer, out.byteOffset + o, dim).set(src.subarray(base, base + dim));
        } else {
          for (let j = 0; j < dim; j++) out.writeFloatLE(src[base + j]!, o + 4 * j);
        }
        break;
      case 'f16':
        for (let j = 0; j < dim; j++) {
          const bits = float32ToFloat16Bits(src[base + j]!);
          if (bits < 0) throw new RowEncodeError(`row ${r} component ${j} = ${src[base + j]} is outside the f16 range (±65504)`);
          out.writeUInt16LE(bits, o + 2 * j);
        }
        out.fill(0, o + 2 * dim, o + rowBytes);
        break;
      case 'int8': {
        let maxAbs = 0;
        for (let j = 0; j < dim; j++) maxAbs = Math.max(maxAbs, Math.abs(src[base + j]!));
        const scale = Math.fround(maxAbs / 127);
        out.writeFloatLE(scale, o);
        for (let j = 0; j < dim; j++) {
          const code = scale === 0 ? 0 : Math.max(-127, Math.min(127, Math.round(src[base + j]! / scale)));
          out.writeInt8(code, o + 4 + j);
        }
        out.fill(0, o + 4 + dim, o + rowBytes);
        break;
      }
    }
  }
}

/** Decodes `count` rows starting at `bytes[byteOffset]` into a fresh row-major Float32Array. */
export function decodeRows(
  dtype: VectorDType,
  bytes: Uint8Array,
  byteOffset: number,
  dim: number,
  count: number,
  rowBytes: number,
): Float32Array {
  const out = new Float32Array(count * dim);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (dtype) {
    case 'f32': {
      const start = bytes.byteOffset + byteOffset;
      if (LITTLE_ENDIAN_HOST && start % 4 === 0) {
        out.set(new Float32Array(bytes.buffer, start, count * dim));
      } else {
        for (let i = 0; i < count * dim; i++) out[i] = view.getFloat32(byteOffset + 4 * i, true);
      }
      break;
    }
    case 'f16':
      for (let r = 0; r < count; r++) {
        const o = byteOffset + r * rowBytes;
        for (let j = 0; j < dim; j++) out[r * dim + j] = FLOAT16_TABLE[view.getUint16(o + 2 * j, true)]!;
      }
      break;
    case 'int8':
      for (let r = 0; r < count; r++) {
        const o = byteOffset + r * rowBytes;
        const scale = view.getFloat32(o, true);
        for (let j = 0; j < dim; j++) out[r * dim + j] = scale * view.getInt8(o + 4 + j);
      }
      break;
  }
  return out;
}
