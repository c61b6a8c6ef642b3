// Cosine similarity is the inner product of unit vectors: normalise corpus rows at build time and
// queries at query time, then search by inner product.

/** Scales each row of a row-major matrix to unit L2 norm, in place. All-zero rows stay zero. */
export function l2NormalizeRows(rows: Float32Array, dim: number): Float32Array {
  for (let base = 0; base < rows.length; base += dim) {
    let sum = 0;
    for (let j = 0; j < dim; j++) sum += rows[base + j]! * rows[base + j]!;
    if (sum === 0) continue;
    const inv = 1 / Math.sqrt(sum);
    for (let j = 0; j < dim; j++) rows[base + j] = rows[base + j]! * inv;
  }
  return rows;
}
