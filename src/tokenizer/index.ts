// BERT WordPiece tokenization, as the reference tokenizers do it.
export { Tokenizer, DEFAULT_SPECIAL_TOKENS, type TokenizerOptions, type SpecialTokens } from './tokenizer.js';
export { padBatch, type PadBatchOptions } from './pad-batch.js';
export type { Encoding, EncodeOptions, TruncationStrategy, TokenBatch } from './types.js';
