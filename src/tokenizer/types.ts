/** What the tokenizer gives for one text or text pair (special tokens included, no padding). */
export interface Encoding {
  /** Vocabulary ids, with [CLS]/[SEP] added as the reference does by default. */
  readonly ids: number[];
  /** Segment ids: 0 for the first sequence (and its [CLS]/[SEP]), 1 for the second. */
  readonly typeIds: number[];
  /** The WordPiece tokens behind `ids`. */
  readonly tokens: string[];
}

export type TruncationStrategy = 'longest_first' | 'only_first' | 'only_second';

export interface EncodeOptions {
  /** Total length including special tokens; undefined means no truncation. */
  maxLength?: number | undefined;
  truncation?: TruncationStrategy;
  /** Default true. */
  addSpecialTokens?: boolean;
}

/** A right-padded batch of token ids, row-major [batchSize, seqLen]. */
export interface TokenBatch {
  readonly batchSize: number;
  readonly seqLen: number;
  readonly inputIds: Int32Array;
  /** 1 for real tokens, 0 for padding. Padding is always on the right. */
  readonly attentionMask: Int32Array;
  readonly tokenTypeIds: Int32Array;
}
