// The reference score: the inner product of two float32 vectors summed in float64 in a fixed order.
// Products of two float32 values are exact in float64, so the only rounding is in the sums, and the
// fixed order makes the result bit-identical wherever it is computed (search, tests, brute force).

/** Σ_j q[qOff+j]·x[xOff+j] in float64: four interleaved partial sums (j mod 4), then (s0+s1)+(s2+s3). */
export function exactInnerProduct(q: Float32Array, qOff: number, x: Float32Array, xOff: number, dim: number): number {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  let j = 0;
  for (; j + 3 < dim; j += 4) {
    s0 += q[qOff + j]! * x[xOff + j]!;
    s1 += q[qOff + j + 1]! * x[xOff + j + 1]!;
    s2 += q[qOff + j + 2]! * x[xOff + j + 2]!;
    s3 += q[qOff + j + 3]! * x[xOff + j + 3]!;
  }
  for (; j < dim; j++) s0 += q[qOff + j]! * x[xOff + j]!;
  return s0 + s1 + (s2 + s3);
}
