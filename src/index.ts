// densekit's public library API: what a user needs to encode, index, search, evaluate and serve.
// Each area is also a subpath (densekit/encoder, densekit/index, densekit/eval, densekit/server, ...);
// the CLI (src/cli) is a thin layer over these exports.
export * from './hub/index.js';
export * from './checkpoint/index.js';
export * from './tokenizer/index.js';
export * from './model/index.js';
export * from './encoder/index.js';
export * from './corpus/index.js';
export * from './results/index.js';
export * from './sparse/index.js';
export * from './fusion/index.js';
export * from './index/index.js';
export * from './eval/index.js';
export * from './server/index.js';
