import { readFileSync } from 'node:fs';
import type { TokenBatch } from '../../src/model/types.js';

export const MODELS = 'test/fixtures/goldens/models';

export interface GoldenInputs {
  input_ids: number[][];
  token_type_ids: number[][];
  attention_mask: number[][];
}

export interface ModelGolden {
  inputs: Record<string, GoldenInputs>;
  outputs: Record<string, number[]>;
}

export function readGolden(name: string): ModelGolden {
  return JSON.parse(readFileSync(`${MODELS}/${name}/expected.json`, 'utf8')) as ModelGolden;
}

/** The reference's padded rows as a TokenBatch; `zeroTypes` feeds all-zero token types. */
export function toBatch(inputs: GoldenInputs, zeroTypes = false): TokenBatch {
  const batchSize = inputs.input_ids.length;
  const seqLen = inputs.input_ids[0]!.length;
  const types = Int32Array.from(inputs.token_type_ids.flat());
  return {
    batchSize,
    seqLen,
    inputIds: Int32Array.from(inputs.input_ids.flat()),
    attentionMask: Int32Array.from(inputs.attention_mask.flat()),
    tokenTypeIds: zeroTypes ? types.fill(0) : types,
  };
}

/** Largest |a - b| over the given indices (all when `keep` is absent). */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>, keep?: (i: number) => boolean): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} != ${b.length}`);
  let worst = 0;
  for (let i = 0; i < a.length; i++) if (!keep || keep(i)) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

/** Row b's first-token vector, for every row: [batch, hidden]. */
export function clsRows(data: Float32Array, batchSize: number, seqLen: number, hidden: number): Float32Array {
  const out = new Float32Array(batchSize * hidden);
  for (let b = 0; b < batchSize; b++) out.set(data.subarray(b * seqLen * hidden, b * seqLen * hidden + hidden), b * hidden);
  return out;
}
