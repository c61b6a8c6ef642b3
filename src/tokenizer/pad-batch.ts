import type { TokenBatch } from './types.js';
import type { Encoding } from './types.js';

export interface PadBatchOptions {
  /** Set every token type id to 0 (DPR's own code feeds passages this way). Default false. */
  zeroTokenTypes?: boolean;
  /** Id written into padded positions. Default 0 ([PAD] in BERT vocabularies). */
  padId?: number;
}

/** Right-pads encodings to the longest one, with attention mask 1 for real tokens and 0 for padding. */
export function padBatch(encodings: readonly Encoding[], options: PadBatchOptions = {}): TokenBatch {
  const padId = options.padId ?? 0;
  const zeroTypes = options.zeroTokenTypes ?? false;
  let seqLen = 0;
  for (const e of encodings) if (e.ids.length > seqLen) seqLen = e.ids.length;
  const batchSize = encodings.length;
  const inputIds = new Int32Array(batchSize * seqLen);
  const attentionMask = new Int32Array(batchSize * seqLen);
  const tokenTypeIds = new Int32Array(batchSize * seqLen);
  for (let r = 0; r < batchSize; r++) {
    const e = encodings[r]!;
    if (e.typeIds.length !== e.ids.length) {
      throw new Error(`padBatch: encoding ${r} has ${e.ids.length} ids but ${e.typeIds.length} type ids`);
    }
    const row = r * seqLen;
    const n = e.ids.length;
    for (let j = 0; j < n; j++) {
      inputIds[row + j] = e.ids[j]!;
      attentionMask[row + j] = 1;
      if (!zeroTypes) tokenTypeIds[row + j] = e.typeIds[j]!;
    }
    if (padId !== 0) inputIds.fill(padId, row + n, row + seqLen);
  }
  return { batchSize, seqLen, inputIds, attentionMask, tokenTypeIds };
}
