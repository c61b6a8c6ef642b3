/**
 * Symmetric per-column int8 quantisation of an input-major weight [rows = in, cols = out]: column j
 * gets scale max|W[:, j]| / qmax, zero point 0. qmax is 127, or 63 for 7-bit (reduce_range) weights.
 */
export function quantizeColumns(
  m: Float32Array,
  rows: number,
  cols: number,
  qmax: number,
): { readonly values: Int8Array; readonly scales: Float32Array } {
  const absMax = new Float32Array(cols);
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    for (let c = 0; c < cols; c++) {
      const a = Math.abs(m[base + c]!);
      if (a > absMax[c]!) absMax[c] = a;
    }
  }
  const scales = new Float32Array(cols);
  const inverse = new Float32Array(cols);
  for (let c = 0; c < cols; c++) {
    // An all-zero column quantises to zeros with any scale; 1 avoids dividing by zero.
    scales[c] = absMax[c]! > 0 ? absMax[c]! / qmax : 1;
    inverse[c] = 1 / scales[c]!;
  }
  const values = new Int8Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    for (let c = 0; c < cols; c++) {
      const q = Math.round(m[base + c]! * inverse[c]!);
      values[base + c] = q > qmax ? qmax : q < -qmax ? -qmax : q;
    }
  }
  return { values, scales };
}
