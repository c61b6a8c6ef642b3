import { DTYPE_SIZE, decodeToFloat32 } from './dtype.js';
import type { DType, Tensor } from './tensor.js';

/** Row-major strides (in elements) of a contiguous tensor of this shape. */
export function contiguousStrides(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let step = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = step;
    step *= shape[i]!;
  }
  return strides;
}

export function elementCount(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/**
 * Number of storage elements a view touches, counted from its storage offset:
 * 1 + the largest index reachable through the strides (0 for an empty tensor).
 */
export function viewExtent(shape: readonly number[], strides: readonly number[]): number {
  if (shape.some((d) => d === 0)) return 0;
  let last = 0;
  for (let i = 0; i < shape.length; i++) last += (shape[i]! - 1) * strides[i]!;
  return last + 1;
}

function isContiguous(shape: readonly number[], strides: readonly number[]): boolean {
  const want = contiguousStrides(shape);
  // Dimensions of size 1 can carry any stride without changing the layout.
  return shape.every((d, i) => d === 1 || strides[i] === want[i]);
}

/**
 * A tensor viewing raw little-endian storage bytes (a slice of the file buffer, not copied).
 * Offset and strides count elements, as torch does; safetensors tensors are contiguous at offset 0.
 * The caller has checked that the view stays inside `storage`.
 */
export class StoredTensor implements Tensor {
  constructor(
    readonly dtype: DType,
    readonly shape: readonly number[],
    /** The whole storage the tensor views (it may be shared with other tensors). */
    private readonly storage: Uint8Array,
    private readonly storageOffset = 0,
    readonly strides: readonly number[] = contiguousStrides(shape),
  ) {}

  /** The bytes of the storage span this tensor touches (its elements may be strided within it). */
  private span(): { bytes: Uint8Array; count: number } {
    const size = DTYPE_SIZE[this.dtype];
    const count = viewExtent(this.shape, this.strides);
    const bytes = this.storage.subarray(this.storageOffset * size, (this.storageOffset + count) * size);
    return { bytes, count };
  }

  float32(): Float32Array {
    const size = DTYPE_SIZE[this.dtype];
    const { bytes, count } = this.span();
    const contiguous = isContiguous(this.shape, this.strides);
    const aligned = bytes.byteOffset % size === 0;
    if (this.dtype === 'F32' && contiguous && aligned) {
      return new Float32Array(bytes.buffer, bytes.byteOffset, count);
    }
    // Typed arrays need element-aligned offsets: copy unaligned spans (legacy torch files) first.
    // (new Uint8Array(x) copies; Buffer#slice would not.)
    const values = decodeToFloat32(this.dtype, aligned ? bytes : new Uint8Array(bytes), count);
    return contiguous ? values : gather(values, this.shape, this.strides);
  }
}

/** Copies a strided view of `values` into a fresh row-major array. */
function gather(values: Float32Array, shape: readonly number[], strides: readonly number[]): Float32Array {
  const n = elementCount(shape);
  const out = new Float32Array(n);
  if (n === 0) return out;
  const rank = shape.length;
  const index = new Array<number>(rank).fill(0);
  let src = 0;
  for (let i = 0; i < n; i++) {
    out[i] = values[src]!;
    // Odometer increment over the dimensions, last fastest.
    for (let d = rank - 1; d >= 0; d--) {
      index[d]!++;
      src += strides[d]!;
      if (index[d]! < shape[d]!) break;
      src -= strides[d]! * shape[d]!;
      index[d] = 0;
    }
  }
  return out;
}
