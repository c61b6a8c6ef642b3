import type { TransformerConfig } from '../model/types.js';
import type { SentenceTransformersPipeline } from './sentence-transformers.js';
import { presetByName, presetForHubId, presetForModelType, type Preset } from './presets.js';
import type { EncoderSettings, SideSettings } from './types.js';

/** Knob values given by the user (flags or API options); each overrides what the model and preset say. */
export interface EncoderOverrides {
  /** A preset name; 'none' disables automatic preset selection. */
  readonly preset?: string;
  /** Applied to both sides. */
  readonly both?: Partial<SideSettings>;
  readonly query?: Partial<SideSettings>;
  readonly passage?: Partial<SideSettings>;
  readonly similarity?: EncoderSettings['similarity'];
}

/** Where the model's own files point for picking a preset. */
export interface ModelIdentity {
  /** The hub id the user asked for, if it was one. */
  readonly hubId?: string;
  /** config.json `_name_or_path`, which often still holds the hub id of a local copy. */
  readonly nameOrPath?: string;
  readonly config: TransformerConfig;
  readonly sentenceTransformers?: SentenceTransformersPipeline;
  /** The tokenizer's model_max_length, when it states a usable one. */
  readonly tokenizerMaxLength?: number;
}

export interface ResolvedSettings {
  readonly settings: EncoderSettings;
  readonly preset?: Preset;
}

function pickPreset(identity: ModelIdentity, requested: string | undefined): Preset | undefined {
  if (requested === 'none') return undefined;
  if (requested !== undefined) return presetByName(requested);
  return (
    (identity.hubId !== undefined ? presetForHubId(identity.hubId) : undefined) ??
    (identity.nameOrPath !== undefined ? presetForHubId(identity.nameOrPath) : undefined) ??
    presetForModelType(identity.config.modelType)
  );
}

function withoutUndefined<T extends object>(o: Partial<T> | undefined): Partial<T> {
  if (!o) return {};
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * Layers, lowest first: plain-checkpoint defaults (CLS, no normalisation, `pair` passages, token
 * types kept, the model's length limit) → a sentence-transformers repo's module files → the preset →
 * the user's overrides.
 */
export function resolveSettings(identity: ModelIdentity, overrides: EncoderOverrides = {}): ResolvedSettings {
  const limit = Math.min(identity.config.maxPositions, identity.tokenizerMaxLength ?? Infinity);
  const st = identity.sentenceTransformers;
  const base: SideSettings = {
    maxLength: st?.maxSeqLength !== undefined ? Math.min(st.maxSeqLength, limit) : limit,
    pooling: st?.pooling ?? 'cls',
    normalize: st?.normalize ?? false,
    tokenTypes: 'keep',
  };
  let query: SideSettings = base;
  // sentence-transformers encodes one string per passage; BEIR/MTEB join title and text for it.
  let passage: SideSettings = { ...base, passageFormat: st ? 'join' : 'pair' };
  let similarity: EncoderSettings['similarity'] = base.normalize ? 'cosine' : 'dot';

  const preset = pickPreset(identity, overrides.preset);
  if (preset) {
    query = { ...query, ...preset.settings.query };
    passage = { ...passage, ...preset.settings.passage };
    similarity = preset.settings.similarity;
  }
  query = { ...query, ...withoutUndefined(overrides.both), ...withoutUndefined(overrides.query) };
  passage = { ...passage, ...withoutUndefined(overrides.both), ...withoutUndefined(overrides.passage) };
  if (overrides.similarity) similarity = overrides.similarity;

  for (const [side, s] of [['query', query], ['passage', passage]] as const) {
    if (!Number.isInteger(s.maxLength) || s.maxLength < 2) throw new Error(`${side} max length must be an integer ≥ 2 (got ${s.maxLength})`);
    if (s.maxLength > identity.config.maxPositions) {
      throw new Error(`${side} max length ${s.maxLength} exceeds the model's max_position_embeddings ${identity.config.maxPositions}`);
    }
  }
  return { settings: { query, passage, similarity }, ...(preset ? { preset } : {}) };
}
