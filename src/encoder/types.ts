/** A passage as the corpus gives it. */
export interface PassageInput {
  readonly id?: string;
  readonly title?: string;
  readonly text: string;
}

export type Pooling = 'cls' | 'mean' | 'max' | 'pooler';
export type PassageFormat = 'pair' | 'join' | 'text';
export type TokenTypes = 'keep' | 'zero';
export type Similarity = 'dot' | 'cosine';

/** How one side (queries or passages) is turned into vectors. A preset is two of these. */
export interface SideSettings {
  readonly maxLength: number;
  readonly pooling: Pooling;
  readonly normalize: boolean;
  readonly tokenTypes: TokenTypes;
  /** Passages only: how title and text become the model input. */
  readonly passageFormat?: PassageFormat;
  /** Passages only, `pair` format: the title used when a passage has none (SimLM uses "-"). */
  readonly missingTitle?: string;
  /** Text put before the input (e.g. "query: "); empty for the seed models. */
  readonly prefix?: string;
}

export interface EncoderSettings {
  readonly query: SideSettings;
  readonly passage: SideSettings;
  readonly similarity: Similarity;
}

/** A side of retrieval: the query or the passage encoder. */
export type EncoderSide = 'query' | 'passage';

/** What the index, search and server layers need from an encoder. */
export interface TextEncoder {
  /** Width of the output vectors. */
  readonly dims: number;
  readonly settings: EncoderSettings;
  /**
   * The one side a checkpoint was trained for, when it says so (a DPR question or context encoder);
   * undefined for a model that encodes both sides.
   */
  readonly trainedFor?: EncoderSide | undefined;
  encodeQueries(texts: readonly string[]): Promise<Float32Array[]>;
  encodePassages(passages: readonly PassageInput[]): Promise<Float32Array[]>;
  dispose(): Promise<void>;
}
