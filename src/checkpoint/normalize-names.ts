import type { StateDict } from './tensor.js';

/** Wrapper prefixes of BERT-family checkpoints (BertModel inside a task model, DPR encoders); stripped. */
const STRIPPED_PREFIXES = [
  'bert.',
  'distilbert.',
  'question_encoder.bert_model.',
  'ctx_encoder.bert_model.',
  'span_predictor.encoder.bert_model.',
];

/** DPR's projection head sits beside the wrapped BERT; it keeps its own name without the encoder prefix. */
const PROJECTION_PREFIXES = ['question_encoder.encode_proj.', 'ctx_encoder.encode_proj.'];

export interface NormalizedWeights {
  /** Weights under the names the model code uses (encoder.layer.0…, embeddings.…, encode_proj.…). */
  readonly weights: StateDict;
  /** New name → original name, for every key that changed. */
  readonly renamed: Map<string, string>;
}

/** The normalised name of one checkpoint key. */
export function normalizeWeightName(name: string): string {
  let out = name;
  const projection = PROJECTION_PREFIXES.find((p) => out.startsWith(p));
  if (projection) out = 'encode_proj.' + out.slice(projection.length);
  else {
    const prefix = STRIPPED_PREFIXES.find((p) => out.startsWith(p));
    if (prefix) out = out.slice(prefix.length);
  }
  // Checkpoints from before transformers 2.x name LayerNorm parameters gamma/beta (TF style).
  if (/(^|\.)LayerNorm\.gamma$/.test(out)) out = out.slice(0, -'gamma'.length) + 'weight';
  else if (/(^|\.)LayerNorm\.beta$/.test(out)) out = out.slice(0, -'beta'.length) + 'bias';
  return out;
}

/**
 * Renames checkpoint keys to the names the model code expects. Nothing is dropped: the model decides
 * which weights it uses. Two keys that would land on the same name are an error (the file is ambiguous).
 */
export function normalizeWeightNames(sd: StateDict): NormalizedWeights {
  const weights: StateDict = new Map();
  const renamed = new Map<string, string>();
  const origin = new Map<string, string>();
  for (const [name, tensor] of sd) {
    const target = normalizeWeightName(name);
    const clash = origin.get(target);
    if (clash !== undefined) {
      throw new Error(`checkpoint keys '${clash}' and '${name}' both normalise to '${target}'; cannot tell which to use`);
    }
    origin.set(target, name);
    weights.set(target, tensor);
    if (target !== name) renamed.set(target, name);
  }
  return { weights, renamed };
}
