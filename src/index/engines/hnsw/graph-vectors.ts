// How rows and queries become the vectors an HNSW graph stores and searches with, per quantization,
// and how usearch's distances become inner-product scores again.
//
// f32 and f16: float rows as they are (usearch rounds to binary16 itself for f16); score = 1 − distance.
// i8: densekit quantizes, not usearch (see usearch-native.ts): one scale for the whole graph, code =
// round(x / scale) with scale = max |x| / 127 over every row, so the integer dot of two codes is the
// inner product up to one common factor and the graph ranks by inner product (a per-row scale would
// not be one factor, and usearch's own cast rescales each row to unit length, i.e. cosine). A query
// gets its own scale the same way: one positive factor per query changes no ranking.
import type { UsearchScalar } from './usearch-native.js';

export type HnswQuantization = UsearchScalar;
export const HNSW_QUANTIZATIONS: readonly HnswQuantization[] = ['f32', 'f16', 'i8'];

/** The largest |x| over rows (row-major floats); throws naming the row on a non-finite value. */
export function maxAbsOfRows(rows: Float32Array, dim: number, firstRow: number, what: string): number {
  let max = 0;
  for (let i = 0; i < rows.length; i++) {
    const v = rows[i]!;
    if (!Number.isFinite(v)) throw new Error(`${what}: row ${firstRow + Math.floor(i / dim)} holds a non-finite value`);
    const a = Math.abs(v);
    if (a > max) max = a;
  }
  return max;
}

/** Codes of `rows` with the given scale (value of code 1), rounded to nearest and clamped to ±127. */
export function int8Codes(rows: Float32Array, scale: number): Int8Array {
  const out = new Int8Array(rows.length);
  if (scale === 0) return out;
  const inv = 1 / scale;
  for (let i = 0; i < rows.length; i++) out[i] = Math.max(-127, Math.min(127, Math.round(rows[i]! * inv)));
  return out;
}

/** What the graph is fed and how its distances read back, for one quantization. */
export class GraphVectors {
  constructor(
    readonly quantization: HnswQuantization,
    /** i8: the value of code 1 for stored rows (0 when every row is zero); 1 otherwise (unused). */
    readonly rowScale: number,
  ) {}

  /** Rows as the graph stores them. */
  rows(rows: Float32Array): Float32Array | Int8Array {
    return this.quantization === 'i8' ? int8Codes(rows, this.rowScale) : rows;
  }

  /** Queries (row-major) as the graph searches with them, and each query's scale (1 for floats). */
  queries(flat: Float32Array, dim: number, count: number): { vectors: Float32Array | Int8Array; scales: Float64Array } {
    const scales = new Float64Array(count).fill(1);
    if (this.quantization !== 'i8') return { vectors: flat, scales };
    const vectors = new Int8Array(flat.length);
    for (let q = 0; q < count; q++) {
      const one = flat.subarray(q * dim, (q + 1) * dim);
      const scale = maxAbsOfRows(one, dim, q, 'hnsw query') / 127;
      scales[q] = scale;
      vectors.set(int8Codes(one, scale), q * dim);
    }
    return { vectors, scales };
  }

  /** The inner-product estimate of a usearch distance for a query of scale `queryScale`. */
  score(distance: number, queryScale: number): number {
    // usearch's ip distance is 1 − dot; for i8 the dot is an integer sum of code products.
    return this.quantization === 'i8' ? (1 - distance) * this.rowScale * queryScale : 1 - distance;
  }
}
