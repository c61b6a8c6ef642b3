import { existsSync } from 'node:fs';
import type { Encoding } from '../tokenizer/types.js';
import { Encoder, type EncoderLoadOptions, type EncoderSource } from './encoder.js';
import { pairedQueryModel } from './presets.js';
import type { EncoderSettings, PassageInput, TextEncoder } from './types.js';

export interface EncoderPairLoadOptions {
  /** Load options of the passage model. */
  readonly passage?: EncoderLoadOptions;
  /** Load options of the query model (default: the passage model's). */
  readonly query?: EncoderLoadOptions;
  /** One-line notes for the user, e.g. which question encoder a known context encoder was paired with. */
  readonly log?: (message: string) => void;
  /**
   * The passages were encoded elsewhere (an import): the passage model only names them, so a DPR
   * question encoder given alone is taken as the query model rather than refused.
   */
  readonly passagesEncodedElsewhere?: boolean;
}

/**
 * The two sides of a retriever: passages encoded by one model, queries by another (DPR, RDR) or by
 * the same one (most bi-encoders). Each side keeps its own model's settings for its own inputs.
 */
export class EncoderPair implements TextEncoder {
  readonly dims: number;
  readonly settings: EncoderSettings;
  readonly trainedFor = undefined;

  private constructor(
    readonly passage: Encoder,
    readonly query: Encoder,
  ) {
    this.dims = passage.dims;
    this.settings = { query: query.settings.query, passage: passage.settings.passage, similarity: passage.settings.similarity };
  }

  /**
   * Pairs two loaded encoders (or one, for both sides), refusing a pair that would encode a side with
   * the wrong DPR encoder, or whose vectors could not be compared.
   */
  static of(passage: Encoder, query: Encoder = passage, options: Pick<EncoderPairLoadOptions, 'passagesEncodedElsewhere'> = {}): EncoderPair {
    checkSides(passage, query, options.passagesEncodedElsewhere ?? false);
    return new EncoderPair(passage, query);
  }

  /**
   * Loads the passage model and the query model (none: the passage model encodes both sides, unless it
   * is a known context encoder, whose published question encoder is then loaded and `log` says so).
   */
  static async load(passageModel: string, queryModel?: string, options: EncoderPairLoadOptions = {}): Promise<EncoderPair> {
    let queryName = queryModel;
    if (queryName === undefined && !existsSync(passageModel)) {
      queryName = pairedQueryModel(passageModel);
      if (queryName !== undefined) options.log?.(`${passageModel} is a DPR context encoder; queries will be encoded with its question encoder ${queryName}`);
    }
    const passage = await Encoder.load(passageModel, options.passage);
    if (queryName === undefined || queryName === passageModel) return disposeOnError([passage], () => EncoderPair.of(passage, passage, options));
    const query = await disposeOnError([passage], () => Encoder.load(queryName, options.query ?? options.passage));
    return disposeOnError([passage, query], () => EncoderPair.of(passage, query, options));
  }

  /** Where the passage model came from. */
  get source(): EncoderSource {
    return this.passage.source;
  }

  /** Where the query model came from; undefined when the passage model encodes queries too. */
  get querySource(): EncoderSource | undefined {
    return this.query === this.passage ? undefined : this.query.source;
  }

  encodeQueries(texts: readonly string[]): Promise<Float32Array[]> {
    return this.query.encodeQueries(texts);
  }

  encodePassages(passages: readonly PassageInput[]): Promise<Float32Array[]> {
    return this.passage.encodePassages(passages);
  }

  tokenizeQuery(text: string): Encoding {
    return this.query.tokenizeQuery(text);
  }

  tokenizePassage(passage: PassageInput): Encoding {
    return this.passage.tokenizePassage(passage);
  }

  encodePassageEncodings(encodings: readonly Encoding[]): Promise<Float32Array[]> {
    return this.passage.encodePassageEncodings(encodings);
  }

  async dispose(): Promise<void> {
    await this.passage.dispose();
    if (this.query !== this.passage) await this.query.dispose();
  }
}

async function disposeOnError<T>(encoders: readonly Encoder[], make: () => T | Promise<T>): Promise<T> {
  try {
    return await make();
  } catch (err) {
    for (const e of encoders) await e.dispose();
    throw err;
  }
}

const contextEncoderAlone = (name: string) =>
  `${name} is a DPR context encoder: it encodes passages only. Name the question encoder it was trained with by --query-model (library: EncoderPair.load(passageModel, queryModel))`;
const questionEncoderOnPassages = (name: string) =>
  `${name} is a DPR question encoder: it encodes queries, not passages. Give its context encoder as --model and this one as --query-model`;

/**
 * Refuses a single encoder that was trained for one side only (a bare DPR context or question encoder
 * handed to a build or an import instead of an EncoderPair). A question encoder may stand alone when
 * the passages were encoded elsewhere, since it then encodes only queries.
 */
export function refuseOneSidedEncoder(
  encoder: Pick<TextEncoder, 'trainedFor'> & { readonly source: Pick<EncoderSource, 'model'> },
  options: Pick<EncoderPairLoadOptions, 'passagesEncodedElsewhere'> = {},
): void {
  if (encoder.trainedFor === 'passage') throw new Error(contextEncoderAlone(encoder.source.model));
  if (encoder.trainedFor === 'query' && !options.passagesEncodedElsewhere) throw new Error(questionEncoderOnPassages(encoder.source.model));
}

/** Refuses a question encoder on passages, a context encoder on queries, and vectors that do not compare. */
function checkSides(passage: Encoder, query: Encoder, passagesEncodedElsewhere: boolean): void {
  const name = (e: Encoder) => e.source.model;
  if (query === passage) {
    refuseOneSidedEncoder(passage, { passagesEncodedElsewhere });
    return;
  }
  if (passage.trainedFor === 'query') throw new Error(questionEncoderOnPassages(name(passage)));
  if (query.trainedFor === 'passage') throw new Error(`--query-model ${name(query)} is a DPR context encoder: queries need the question encoder it was trained with`);
  if (query.dims !== passage.dims) {
    throw new Error(`the query model ${name(query)} gives ${query.dims}-dim vectors, the passage model ${name(passage)} ${passage.dims}; they cannot be compared`);
  }
  if (query.settings.similarity !== passage.settings.similarity) {
    throw new Error(
      `the passage model ${name(passage)} scores by ${passage.settings.similarity}, the query model ${name(query)} by ${query.settings.similarity}; choose one with --similarity`,
    );
  }
}
