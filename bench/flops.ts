// FLOP accounting for a BERT-family encoder forward pass, so measured throughput can be stated as a
// fraction of the GEMM ceiling. Counts multiply-adds as 2 FLOPs; LayerNorm, GELU and softmax are ignored
// (they are < 1% of the work at these sizes).

export interface EncoderShape {
  readonly hiddenSize: number;
  readonly intermediateSize: number;
  readonly numLayers: number;
}

/** Linear-layer FLOPs per token (QKV, attention output, FFN in and out) over all layers. */
export function linearFlopsPerToken(s: EncoderShape): number {
  const h = s.hiddenSize;
  return s.numLayers * 2 * (3 * h * h + h * h + 2 * h * s.intermediateSize);
}

/** FLOPs of one forward pass over a padded batch [batch, seqLen]: linear layers plus QKᵀ and AV. */
export function forwardFlops(s: EncoderShape, batch: number, seqLen: number): number {
  const tokens = batch * seqLen;
  const attention = s.numLayers * 2 * 2 * tokens * seqLen * s.hiddenSize;
  return tokens * linearFlopsPerToken(s) + attention;
}

export const BERT_BASE: EncoderShape = { hiddenSize: 768, intermediateSize: 3072, numLayers: 12 };

/** FLOPs of encoding one unpadded sequence of `length` tokens (what a perfect batcher would spend). */
export function sequenceFlops(s: EncoderShape, length: number): number {
  return length * linearFlopsPerToken(s) + s.numLayers * 4 * length * length * s.hiddenSize;
}
