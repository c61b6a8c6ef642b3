// densekit's public library API. The CLI (src/cli) is a thin layer over these exports.
export type { DType, Tensor, StateDict } from './checkpoint/tensor.js';
export * from './corpus/index.js';
