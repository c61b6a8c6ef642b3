import { FLOAT16_TABLE } from './float16.js';
import type { DType } from './tensor.js';

/** Bytes per element of each dtype. */
export const DTYPE_SIZE: Readonly<Record<DType, number>> = {
  F64: 8, F32: 4, F16: 2, BF16: 2,
  I64: 8, I32: 4, I16: 2, I8: 1,
  U64: 8, U32: 4, U16: 2, U8: 1,
  BOOL: 1,
};

export function isDType(name: string): name is DType {
  return Object.prototype.hasOwnProperty.call(DTYPE_SIZE, name);
}

/**
 * Decodes `count` little-endian elements of `dtype` starting at `bytes[0]` into float32.
 * `bytes` must be aligned to the element size (callers copy unaligned spans first).
 * For F32 the result is a view of `bytes` (callers either own that copy or copy again when gathering).
 */
export function decodeToFloat32(dtype: DType, bytes: Uint8Array, count: number): Float32Array {
  const { buffer, byteOffset } = bytes;
  switch (dtype) {
    case 'F32':
      return new Float32Array(buffer, byteOffset, count);
    case 'F64':
      return Float32Array.from(new Float64Array(buffer, byteOffset, count));
    case 'F16': {
      const table = FLOAT16_TABLE;
      const src = new Uint16Array(buffer, byteOffset, count);
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = table[src[i]!]!;
      return out;
    }
    case 'BF16': {
      // bfloat16 is the top half of a float32: shift it into place and reinterpret the bits.
      const src = new Uint16Array(buffer, byteOffset, count);
      const bits = new Uint32Array(count);
      for (let i = 0; i < count; i++) bits[i] = src[i]! << 16;
      return new Float32Array(bits.buffer);
    }
    case 'I64': {
      const src = new BigInt64Array(buffer, byteOffset, count);
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = Number(src[i]!);
      return out;
    }
    case 'U64': {
      const src = new BigUint64Array(buffer, byteOffset, count);
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = Number(src[i]!);
      return out;
    }
    case 'I32': return Float32Array.from(new Int32Array(buffer, byteOffset, count));
    case 'U32': return Float32Array.from(new Uint32Array(buffer, byteOffset, count));
    case 'I16': return Float32Array.from(new Int16Array(buffer, byteOffset, count));
    case 'U16': return Float32Array.from(new Uint16Array(buffer, byteOffset, count));
    case 'I8': return Float32Array.from(new Int8Array(buffer, byteOffset, count));
    case 'U8': return Float32Array.from(new Uint8Array(buffer, byteOffset, count));
    case 'BOOL': {
      const src = new Uint8Array(buffer, byteOffset, count);
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = src[i] ? 1 : 0;
      return out;
    }
  }
}
