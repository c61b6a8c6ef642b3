// The model takes the tokenizer's padded batches.
import type { TokenBatch } from '../tokenizer/types.js';
export type { TokenBatch };

/** Output of the transformer body: last_hidden_state, row-major [batchSize, seqLen, hiddenSize]. */
export interface HiddenStates {
  readonly batchSize: number;
  readonly seqLen: number;
  readonly hiddenSize: number;
  readonly data: Float32Array;
}

/** The architecture-independent shape of a BERT-family encoder, read from config.json. */
export interface TransformerConfig {
  /** Which weight layout and graph to build. */
  readonly arch: 'bert' | 'distilbert';
  /** config.json's model_type as written ('bert', 'distilbert', 'dpr', ...). */
  readonly modelType: string;
  readonly architectures: readonly string[];
  readonly vocabSize: number;
  readonly hiddenSize: number;
  readonly numLayers: number;
  readonly numHeads: number;
  readonly intermediateSize: number;
  readonly maxPositions: number;
  /** 0 for DistilBERT, which has no segment embeddings. */
  readonly typeVocabSize: number;
  readonly layerNormEps: number;
  /** 'gelu' (exact erf) or 'gelu_new'/'gelu_pytorch_tanh' (tanh approximation) or 'relu'. */
  readonly activation: string;
  /** DPR's encode_proj width; 0 when there is none. */
  readonly projectionDim: number;
  /** For DPR: which encoder the checkpoint holds, from `architectures`. */
  readonly dprRole?: 'question' | 'context' | 'reader';
}
