export { Bm25Index, DEFAULT_B, DEFAULT_K1, type Bm25BuildOptions, type Bm25FieldMode } from './bm25-index.js';
export { buildBm25FromCorpus, type Bm25CorpusBuildOptions, type Bm25CorpusBuildResult } from './build-bm25-from-corpus.js';
