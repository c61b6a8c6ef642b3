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
          const code = scale === 0 ? 0 : Math.max(-127, Math.min(127, roundHalfUp(src[base + j]! / scale)));
          out.writeInt8(code, o + 4 + j);
        }
        out.fill(0, o + 4 + dim, o + rowBytes);
        break;
      }
    }
  }
}

/**
 * Math.round(q) for |q| < 2^52 (int8 quotients stay within about ±127), without Math.round, which V8 runs
 * several times slower than Math.floor here (int8 encoding spent most of its time in it). floor(q + 0.5)
 * differs from it only when q + 0.5 rounds up onto an integer (q = 0.49999999999999994); c - 0.5 is
 * exact in this range, so the test below catches that case and the codes stay bit-identical.
 */
export function roundHalfUp(q: number): number {
  const c = Math.floor(q + 0.5);
  return c - 0.5 > q ? c - 1 : c;
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

/**
 * Version 2 (blocked) encoding: `count` rows of `src` into a block's row area at `out[outOffset]`
 * (stride blockedRowBytes), int8 scales into `scales[scalesAt..]`. Returns the largest Euclidean norm
 * (float64) of the rows as stored, i.e. decoded back to float32, which the block table records.
 */
export function encodeBlockedRows(
  dtype: VectorDType,
  src: Float32Array,
  dim: number,
  count: number,
  out: Buffer,
  outOffset: number,
  scales: Float32Array | undefined,
  scalesAt: number,
): number {
  if (dtype === 'f32') {
    encodeRows(dtype, src, dim, count, 4 * dim, out, outOffset);
    return maxRowNorm(decodeRows(dtype, out, outOffset, dim, count, 4 * dim), dim, count);
  }
  if (dtype === 'f16') return encodeBlockedHalfRows(src, dim, count, out, outOffset);
  let maxNorm = 0;
  for (let r = 0; r < count; r++) {
    const base = r * dim;
    let maxAbs = 0;
    for (let j = 0; j < dim; j++) {
      const v = src[base + j]!;
      if (!Number.isFinite(v)) throw new RowEncodeError(`row ${r} component ${j} is ${v}, not a finite number`);
      maxAbs = Math.max(maxAbs, Math.abs(v));
    }
    const scale = Math.fround(maxAbs / 127);
    scales![scalesAt + r] = scale;
    const o = outOffset + r * dim;
    let norm2 = 0;
    for (let j = 0; j < dim; j++) {
      const code = scale === 0 ? 0 : Math.max(-127, Math.min(127, roundHalfUp(src[base + j]! / scale)));
      out[o + j] = code & 0xff; // two's complement int8
      const x = Math.fround(scale * code);
      norm2 += x * x;
    }
    maxNorm = Math.max(maxNorm, Math.sqrt(norm2));
  }
  return maxNorm;
}

/**
 * encodeBlockedRows for f16 in one pass per row: the same checks, bytes and norm as encodeRows followed by
 * decodeRows + maxRowNorm, without Buffer.writeUInt16LE and a decoded float32 copy of every chunk (which
 * made f16 encoding several times slower than int8's).
 */
function encodeBlockedHalfRows(src: Float32Array, dim: number, count: number, out: Buffer, outOffset: number): number {
  let maxNorm = 0;
  for (let r = 0; r < count; r++) {
    const base = r * dim;
    for (let j = 0; j < dim; j++) {
      const v = src[base + j]!;
      if (!Number.isFinite(v)) throw new RowEncodeError(`row ${r} component ${j} is ${v}, not a finite number`);
    }
    const o = outOffset + r * 2 * dim;
    let norm2 = 0;
    for (let j = 0; j < dim; j++) {
      const bits = float32ToFloat16Bits(src[base + j]!);
      if (bits < 0) throw new RowEncodeError(`row ${r} component ${j} = ${src[base + j]} is outside the f16 range (±65504)`);
      out[o + 2 * j] = bits & 0xff;
      out[o + 2 * j + 1] = bits >>> 8;
      const x = FLOAT16_TABLE[bits]!;
      norm2 += x * x;
    }
    maxNorm = Math.max(maxNorm, Math.sqrt(norm2));
  }
  return maxNorm;
}

function maxRowNorm(rows: Float32Array, dim: number, count: number): number {
  let maxNorm = 0;
  for (let r = 0; r < count; r++) {
    let norm2 = 0;
    for (let j = 0; j < dim; j++) norm2 += rows[r * dim + j]! * rows[r * dim + j]!;
    maxNorm = Math.max(maxNorm, Math.sqrt(norm2));
  }
  return maxNorm;
}

/**
 * Typed views over one version 2 block held in memory (4-aligned), decoding single rows to float32 the
 * way decodeRows does for version 1 (int8: Math.fround(scale * code)), so scores computed on them are
 * bit-identical whichever format stored the vectors.
 */
export class BlockRows {
  readonly dtype: VectorDType;
  readonly dim: number;
  readonly rows: number;
  /** f32 blocks: the rows themselves. */
  readonly f32: Float32Array | undefined;
  /** f16 blocks: the binary16 bit patterns. */
  readonly halfBits: Uint16Array | undefined;
  /** int8 blocks: the codes, row-major. */
  readonly codes: Int8Array | undefined;
  /** int8 blocks: one scale per row. */
  readonly scales: Float32Array | undefined;

  constructor(dtype: VectorDType, dim: number, rows: number, block: Uint8Array, scalesOffset: number) {
    if (!LITTLE_ENDIAN_HOST) throw new Error('densekit reads blocked shards on little-endian hosts only');
    if (block.byteOffset % 4 !== 0) throw new Error('internal error: a block buffer must be 4-aligned');
    this.dtype = dtype;
    this.dim = dim;
    this.rows = rows;
    this.f32 = dtype === 'f32' ? new Float32Array(block.buffer, block.byteOffset, rows * dim) : undefined;
    this.halfBits = dtype === 'f16' ? new Uint16Array(block.buffer, block.byteOffset, rows * dim) : undefined;
    this.codes = dtype === 'int8' ? new Int8Array(block.buffer, block.byteOffset, rows * dim) : undefined;
    this.scales = dtype === 'int8' ? new Float32Array(block.buffer, block.byteOffset + scalesOffset, rows) : undefined;
  }

  /** Decodes rows [first, first + count) into `out` from `outAt` (row-major float32). */
  decode(first: number, count: number, out: Float32Array, outAt: number): void {
    const dim = this.dim;
    if (this.f32) {
      out.set(this.f32.subarray(first * dim, (first + count) * dim), outAt);
    } else if (this.halfBits) {
      const h = this.halfBits;
      for (let i = 0, n = count * dim, src = first * dim; i < n; i++) out[outAt + i] = FLOAT16_TABLE[h[src + i]!]!;
    } else {
      const codes = this.codes!, scales = this.scales!;
      for (let r = 0; r < count; r++) {
        const scale = scales[first + r]!;
        const src = (first + r) * dim, dst = outAt + r * dim;
        for (let j = 0; j < dim; j++) out[dst + j] = scale * codes[src + j]!;
      }
    }
  }
}
