import type { EncoderSettings, SideSettings } from './types.js';

/**
 * A named preset: the published retriever's own input and pooling conventions, as data.
 * A preset is picked by hub id (or by the id found in config.json's `_name_or_path`), or
 * by the config's `model_type` when `modelTypes` names it; flags can override any knob.
 */
export interface Preset {
  readonly name: string;
  readonly description: string;
  /** Hub ids this preset belongs to (lower-cased on comparison). */
  readonly hubIds: readonly string[];
  /** config.json model_type values for which this preset is the default. */
  readonly modelTypes?: readonly string[];
  readonly settings: EncoderSettings;
  /**
   * Two-encoder retrievers: each context (passage) encoder's hub id with the question (query) encoder
   * it was trained with, so an index built from the context encoder alone encodes queries with its pair.
   */
  readonly pairs?: readonly EncoderPairIds[];
}

/** The hub ids of a published two-encoder retriever's passage and query checkpoints. */
export interface EncoderPairIds {
  readonly passage: string;
  readonly query: string;
}

const dprSide = (maxLength: number, passageFormat?: 'pair'): SideSettings => ({
  maxLength,
  pooling: 'cls',
  normalize: false,
  // DPR's own evaluation code feeds all-zero token types, for passages too.
  tokenTypes: 'zero',
  ...(passageFormat ? { passageFormat } : {}),
});

const dprSettings: EncoderSettings = {
  query: dprSide(256),
  passage: dprSide(256, 'pair'),
  similarity: 'dot',
};

export const PRESETS: readonly Preset[] = [
  {
    name: 'dpr',
    description: 'DPR (Karpukhin et al. 2020): CLS pooler_output, title [SEP] text, token types all 0, dot product',
    hubIds: [
      'facebook/dpr-question_encoder-single-nq-base',
      'facebook/dpr-ctx_encoder-single-nq-base',
      'facebook/dpr-question_encoder-multiset-base',
      'facebook/dpr-ctx_encoder-multiset-base',
    ],
    modelTypes: ['dpr'],
    settings: dprSettings,
    pairs: [
      { passage: 'facebook/dpr-ctx_encoder-single-nq-base', query: 'facebook/dpr-question_encoder-single-nq-base' },
      { passage: 'facebook/dpr-ctx_encoder-multiset-base', query: 'facebook/dpr-question_encoder-multiset-base' },
    ],
  },
  {
    name: 'rdr',
    description: 'RDR (Yang & Seo 2020): DPR encoders that learned from the reader by distillation; DPR conventions',
    hubIds: [
      'soheeyang/rdr-question_encoder-single-nq-base',
      'soheeyang/rdr-ctx_encoder-single-nq-base',
      'soheeyang/rdr-question_encoder-single-trivia-base',
      'soheeyang/rdr-ctx_encoder-single-trivia-base',
    ],
    settings: dprSettings,
    pairs: [
      { passage: 'soheeyang/rdr-ctx_encoder-single-nq-base', query: 'soheeyang/rdr-question_encoder-single-nq-base' },
      { passage: 'soheeyang/rdr-ctx_encoder-single-trivia-base', query: 'soheeyang/rdr-question_encoder-single-trivia-base' },
    ],
  },
  {
    name: 'tas-b',
    description: 'TAS-B (Hofstätter et al. 2021): DistilBERT CLS, dot product, queries ≤ 30 and passages ≤ 200 tokens, text only',
    hubIds: ['sebastian-hofstaetter/distilbert-dot-tas_b-b256-msmarco'],
    settings: {
      query: { maxLength: 30, pooling: 'cls', normalize: false, tokenTypes: 'keep' },
      passage: { maxLength: 200, pooling: 'cls', normalize: false, tokenTypes: 'keep', passageFormat: 'text' },
      similarity: 'dot',
    },
  },
  {
    name: 'simlm',
    description: 'SimLM (Wang et al. 2023): CLS then L2-normalised, (title or "-", text) pairs ≤ 144, queries ≤ 32',
    hubIds: ['intfloat/simlm-base-msmarco-finetuned'],
    settings: {
      query: { maxLength: 32, pooling: 'cls', normalize: true, tokenTypes: 'keep' },
      passage: {
        maxLength: 144,
        pooling: 'cls',
        normalize: true,
        tokenTypes: 'keep',
        passageFormat: 'pair',
        missingTitle: '-',
      },
      similarity: 'cosine',
    },
  },
  {
    name: 'bowdpr',
    description: 'BoW-DPR (bowdpr_wiki_triviaft): CLS, dot product, "title text" as one sequence ≤ 256, queries ≤ 32',
    hubIds: ['bowdpr/bowdpr_wiki_triviaft'],
    settings: {
      query: { maxLength: 32, pooling: 'cls', normalize: false, tokenTypes: 'keep' },
      passage: { maxLength: 256, pooling: 'cls', normalize: false, tokenTypes: 'keep', passageFormat: 'join' },
      similarity: 'dot',
    },
  },
];

export function presetByName(name: string): Preset {
  const found = PRESETS.find((p) => p.name === name.toLowerCase());
  if (!found) {
    throw new Error(`unknown preset '${name}'; known presets: ${PRESETS.map((p) => p.name).join(', ')}`);
  }
  return found;
}

const bareHubId = (hubId: string): string => hubId.split('@')[0]!.toLowerCase();

/** The preset whose hub ids include `hubId` (ignoring case and any @revision), if any. */
export function presetForHubId(hubId: string): Preset | undefined {
  const id = bareHubId(hubId);
  return PRESETS.find((p) => p.hubIds.some((h) => h.toLowerCase() === id));
}

/**
 * The question encoder published with the context encoder `passageHubId` (ignoring case; an
 * @revision is not carried over, since the two repos' revisions are unrelated), if it is a known pair.
 */
export function pairedQueryModel(passageHubId: string): string | undefined {
  const id = bareHubId(passageHubId);
  for (const p of PRESETS) {
    const pair = p.pairs?.find((x) => x.passage.toLowerCase() === id);
    if (pair) return pair.query;
  }
  return undefined;
}

export function presetForModelType(modelType: string): Preset | undefined {
  return PRESETS.find((p) => p.modelTypes?.includes(modelType));
}
