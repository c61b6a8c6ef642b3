// The transformer body on onnxruntime-node, from a Hugging Face config and checkpoint.
export { TransformerModel, type TransformerLoadOptions } from './runtime.js';
export { readModelConfig, parseModelConfig } from './config.js';
export type { HiddenStates, TransformerConfig } from './types.js';
