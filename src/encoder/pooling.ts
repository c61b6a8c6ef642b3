import type { HiddenStates, TokenBatch } from '../model/types.js';

/** Sequence-level pooling over last_hidden_state. ('pooler' is CLS followed by BERT's tanh dense, see heads.ts.) */
export type TokenPooling = 'cls' | 'mean' | 'max';

/**
 * Pools each row of `hidden` into one vector. Mean and max only look at positions where the
 * attention mask is 1, as sentence-transformers does.
 */
export function poolHiddenStates(hidden: HiddenStates, batch: TokenBatch, mode: TokenPooling): Float32Array[] {
  const { batchSize, seqLen, hiddenSize: h, data } = hidden;
  const rows: Float32Array[] = [];
  for (let b = 0; b < batchSize; b++) {
    const base = b * seqLen * h;
    const out = new Float32Array(h);
    if (mode === 'cls') {
      out.set(data.subarray(base, base + h));
    } else {
      // Accumulate in float64 for the mean: the reference sums float32 in torch, but the sum order
      // differs anyway, and a wider accumulator keeps us well inside the 1e-4 parity budget.
      const acc = new Float64Array(h);
      if (mode === 'max') acc.fill(-Infinity);
      let count = 0;
      for (let t = 0; t < seqLen; t++) {
        if (batch.attentionMask[b * seqLen + t] === 0) continue;
        count++;
        const off = base + t * h;
        if (mode === 'mean') for (let j = 0; j < h; j++) acc[j]! += data[off + j]!;
        else for (let j = 0; j < h; j++) acc[j] = Math.max(acc[j]!, data[off + j]!);
      }
      // sentence-transformers clamps the token count at 1e-9, so an all-padding row pools to zeros.
      const scale = mode === 'mean' ? 1 / Math.max(count, 1e-9) : 1;
      for (let j = 0; j < h; j++) out[j] = count === 0 ? 0 : acc[j]! * scale;
    }
    rows.push(out);
  }
  return rows;
}

/** L2-normalises each row in place (torch.nn.functional.normalize: divides by max(norm, 1e-12)). */
export function l2NormalizeRows(rows: Float32Array[]): void {
  for (const row of rows) {
    let sq = 0;
    for (let j = 0; j < row.length; j++) sq += row[j]! * row[j]!;
    const inv = 1 / Math.max(Math.sqrt(sq), 1e-12);
    for (let j = 0; j < row.length; j++) row[j] = row[j]! * inv;
  }
}
