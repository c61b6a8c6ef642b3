// Rearranges torch nn.Linear weights ([out, in], row-major) into the input-major layouts ORT's MatMul
// and Attention kernels take. Done once at load time.

/** Transposes a row-major [rows, cols] matrix into a new [cols, rows] one. */
export function transpose(m: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols);
  // Tiled so both the read and the write side stay in cache on BERT-base sized matrices.
  const T = 64;
  for (let r0 = 0; r0 < rows; r0 += T) {
    const r1 = Math.min(r0 + T, rows);
    for (let c0 = 0; c0 < cols; c0 += T) {
      const c1 = Math.min(c0 + T, cols);
      for (let r = r0; r < r1; r++) {
        const rowBase = r * cols;
        for (let c = c0; c < c1; c++) out[c * rows + r] = m[rowBase + c]!;
      }
    }
  }
  return out;
}

/**
 * Packs three [hidden, hidden] nn.Linear weights (Q, K, V) into Attention's [hidden, 3·hidden]:
 * row i holds column i of Wq, then of Wk, then of Wv.
 */
export function packQkvWeight(q: Float32Array, k: Float32Array, v: Float32Array, hidden: number): Float32Array {
  const out = new Float32Array(hidden * 3 * hidden);
  [q, k, v].forEach((w, part) => {
    const t = transpose(w, hidden, hidden);
    for (let i = 0; i < hidden; i++) out.set(t.subarray(i * hidden, (i + 1) * hidden), i * 3 * hidden + part * hidden);
  });
  return out;
}

export function concat(parts: readonly Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
