export { Bm25Index, DEFAULT_B, DEFAULT_K1, type Bm25BuildOptions, type Bm25FieldMode } from './bm25-index.js';
export { analyzeEnglish, ENGLISH_STOP_WORDS, lowerCaseLikeLucene, stripPossessive } from './analysis/english-analyzer.js';
export { standardTokenize } from './analysis/standard-tokenizer.js';
export { porterStem } from './analysis/porter-stemmer.js';
export { lengthToNormByte, normByteToLength } from './lucene-length-norm.js';
export { buildBm25FromCorpus, type Bm25CorpusBuildOptions, type Bm25CorpusBuildResult } from './build-bm25-from-corpus.js';
