import type { TokenBatch } from './types.js';
import type { TransformerConfig } from './types.js';

/**
 * Rejects batches the graph would mis-handle silently: wrong array sizes, ids outside the embedding
 * tables, sequences longer than the position table, and masks that are not right-padded (the fused
 * Attention reads the mask as per-row lengths).
 */
export function validateBatch(batch: TokenBatch, config: TransformerConfig): void {
  const { batchSize, seqLen } = batch;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`batchSize must be a positive integer, got ${batchSize}`);
  if (!Number.isInteger(seqLen) || seqLen < 1) throw new Error(`seqLen must be a positive integer, got ${seqLen}`);
  if (seqLen > config.maxPositions) {
    throw new Error(`sequence length ${seqLen} exceeds the model's max_position_embeddings (${config.maxPositions}); truncate the input`);
  }
  const n = batchSize * seqLen;
  for (const [field, arr] of [['inputIds', batch.inputIds], ['attentionMask', batch.attentionMask], ['tokenTypeIds', batch.tokenTypeIds]] as const) {
    if (arr.length !== n) throw new Error(`${field} has ${arr.length} values, expected batchSize × seqLen = ${n}`);
  }
  const { inputIds, attentionMask, tokenTypeIds } = batch;
  const typeLimit = config.arch === 'bert' ? config.typeVocabSize : 1;
  for (let b = 0; b < batchSize; b++) {
    let padded = false;
    for (let s = 0; s < seqLen; s++) {
      const i = b * seqLen + s;
      const id = inputIds[i]!;
      if (id < 0 || id >= config.vocabSize) throw new Error(`input id ${id} at row ${b}, position ${s} is outside the vocabulary (size ${config.vocabSize})`);
      const m = attentionMask[i]!;
      if (m !== 0 && m !== 1) throw new Error(`attention mask value ${m} at row ${b}, position ${s}: expected 0 or 1`);
      if (m === 0) padded = true;
      else if (padded) throw new Error(`attention mask of row ${b} is not right-padded (a 1 follows a 0 at position ${s})`);
      const t = tokenTypeIds[i]!;
      // DistilBERT has no token types; it ignores them, as Hugging Face does.
      if (config.arch === 'bert' && (t < 0 || t >= typeLimit)) {
        throw new Error(`token type ${t} at row ${b}, position ${s} is outside type_vocab_size ${config.typeVocabSize}`);
      }
    }
    if (attentionMask[b * seqLen] !== 1) throw new Error(`row ${b} has no real tokens (its attention mask starts with 0)`);
  }
}
