import { readJsonFile } from '../files/json-file.js';
import { join } from 'node:path';
import type { TransformerConfig } from './types.js';

/** model_type values whose weights this package can run, and the architectures each may name. */
const SUPPORTED_MODEL_TYPES = ['bert', 'distilbert', 'dpr'] as const;
const DPR_ROLES: Readonly<Record<string, NonNullable<TransformerConfig['dprRole']>>> = {
  DPRQuestionEncoder: 'question',
  DPRContextEncoder: 'context',
  DPRReader: 'reader',
};
/** hidden_act / activation values with a matching ONNX op (see graph/encoder-layer.ts). */
export const SUPPORTED_ACTIVATIONS = ['gelu', 'gelu_new', 'gelu_pytorch_tanh', 'gelu_fast', 'relu'] as const;

type Json = Record<string, unknown>;

class ConfigReader {
  constructor(
    private readonly raw: Json,
    private readonly path: string,
  ) {}

  private fail(message: string): never {
    throw new Error(`${this.path}: ${message}`);
  }

  nonNegativeInt(field: string, fallback?: number): number {
    const v = this.raw[field];
    if (v === undefined || v === null) {
      if (fallback !== undefined) return fallback;
      this.fail(`missing required field "${field}"`);
    }
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
      this.fail(`field "${field}" must be a non-negative integer, got ${JSON.stringify(v)}`);
    }
    return v;
  }

  positiveNumber(field: string, fallback: number): number {
    const v = this.raw[field];
    if (v === undefined || v === null) return fallback;
    if (typeof v !== 'number' || !(v > 0)) this.fail(`field "${field}" must be a positive number, got ${JSON.stringify(v)}`);
    return v;
  }

  activation(field: string, fallback: string): string {
    const v = this.raw[field] ?? fallback;
    if (typeof v !== 'string' || !(SUPPORTED_ACTIVATIONS as readonly string[]).includes(v)) {
      this.fail(`unsupported ${field} ${JSON.stringify(v)}; supported: ${SUPPORTED_ACTIVATIONS.join(', ')}`);
    }
    return v;
  }
}

function inferModelType(raw: Json, architectures: readonly string[], path: string): string {
  if (typeof raw.model_type === 'string') return raw.model_type;
  // Very old configs (transformers 2.x) may lack model_type; the class name still tells.
  const arch = architectures[0];
  if (arch !== undefined) {
    if (arch in DPR_ROLES) return 'dpr';
    if (arch.startsWith('DistilBert')) return 'distilbert';
    if (arch.startsWith('Bert')) return 'bert';
  }
  throw new Error(
    `${path}: missing required field "model_type" (and no recognisable "architectures"); supported model types: ${SUPPORTED_MODEL_TYPES.join(', ')}`,
  );
}

function checkArchitectures(modelType: string, architectures: readonly string[], path: string): void {
  for (const arch of architectures) {
    const ok =
      modelType === 'dpr' ? arch in DPR_ROLES
      : modelType === 'distilbert' ? arch.startsWith('DistilBert')
      : arch.startsWith('Bert');
    if (!ok) {
      const supported =
        modelType === 'dpr' ? Object.keys(DPR_ROLES).join(', ')
        : modelType === 'distilbert' ? 'DistilBertModel (or any DistilBert* class, whose body is a DistilBertModel)'
        : 'BertModel (or any Bert* class, whose body is a BertModel)';
      throw new Error(`${path}: unsupported architecture "${arch}" for model_type "${modelType}"; supported: ${supported}`);
    }
  }
}

/** Parses an already-read config.json object; `path` is used in error messages. */
export function parseModelConfig(raw: unknown, path: string): TransformerConfig {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new Error(`${path}: expected a JSON object`);
  const json = raw as Json;
  const archField = json.architectures;
  if (archField !== undefined && archField !== null && !(Array.isArray(archField) && archField.every((a) => typeof a === 'string'))) {
    throw new Error(`${path}: field "architectures" must be a list of strings`);
  }
  const architectures: string[] = (archField as string[] | undefined | null) ?? [];
  const modelType = inferModelType(json, architectures, path);
  if (!(SUPPORTED_MODEL_TYPES as readonly string[]).includes(modelType)) {
    throw new Error(`${path}: unsupported model_type "${modelType}"; supported: ${SUPPORTED_MODEL_TYPES.join(', ')}`);
  }
  checkArchitectures(modelType, architectures, path);
  const r = new ConfigReader(json, path);

  let config: TransformerConfig;
  if (modelType === 'distilbert') {
    config = {
      arch: 'distilbert',
      modelType,
      architectures,
      vocabSize: r.nonNegativeInt('vocab_size'),
      hiddenSize: r.nonNegativeInt('dim'),
      numLayers: r.nonNegativeInt('n_layers'),
      numHeads: r.nonNegativeInt('n_heads'),
      intermediateSize: r.nonNegativeInt('hidden_dim'),
      maxPositions: r.nonNegativeInt('max_position_embeddings'),
      typeVocabSize: 0,
      // DistilBERT hard-codes eps=1e-12 in its LayerNorms; config.json has no field for it.
      layerNormEps: 1e-12,
      activation: r.activation('activation', 'gelu'),
      projectionDim: 0,
    };
  } else {
    const pet = json.position_embedding_type;
    if (pet !== undefined && pet !== null && pet !== 'absolute') {
      throw new Error(`${path}: unsupported position_embedding_type ${JSON.stringify(pet)}; supported: absolute`);
    }
    let dprRole: TransformerConfig['dprRole'];
    if (modelType === 'dpr') {
      const arch = architectures[0];
      if (arch === undefined) {
        throw new Error(`${path}: a dpr config needs "architectures" (one of ${Object.keys(DPR_ROLES).join(', ')}) to tell which encoder it holds`);
      }
      dprRole = DPR_ROLES[arch];
    }
    config = {
      arch: 'bert',
      modelType,
      architectures,
      vocabSize: r.nonNegativeInt('vocab_size'),
      hiddenSize: r.nonNegativeInt('hidden_size'),
      numLayers: r.nonNegativeInt('num_hidden_layers'),
      numHeads: r.nonNegativeInt('num_attention_heads'),
      intermediateSize: r.nonNegativeInt('intermediate_size'),
      maxPositions: r.nonNegativeInt('max_position_embeddings'),
      // BertConfig's own defaults, which transformers applies to configs that omit these.
      typeVocabSize: r.nonNegativeInt('type_vocab_size', 2),
      layerNormEps: r.positiveNumber('layer_norm_eps', 1e-12),
      activation: r.activation('hidden_act', 'gelu'),
      projectionDim: modelType === 'dpr' ? r.nonNegativeInt('projection_dim', 0) : 0,
      ...(dprRole !== undefined ? { dprRole } : {}),
    };
  }
  for (const [field, value] of [['hidden size', config.hiddenSize], ['number of heads', config.numHeads], ['number of layers', config.numLayers], ['vocabulary size', config.vocabSize], ['max_position_embeddings', config.maxPositions], ['intermediate size', config.intermediateSize]] as const) {
    if (value === 0) throw new Error(`${path}: ${field} must be positive`);
  }
  if (config.hiddenSize % config.numHeads !== 0) {
    throw new Error(`${path}: hidden size ${config.hiddenSize} is not divisible by the number of heads ${config.numHeads}`);
  }
  return config;
}

/** Reads `<dir>/config.json` of a BERT, DistilBERT or DPR checkpoint. */
export async function readModelConfig(dir: string): Promise<TransformerConfig> {
  const path = join(dir, 'config.json');
  const raw = await readJsonFile(path, { optional: true });
  if (raw === undefined) throw new Error(`model config not found: ${path}`);
  return parseModelConfig(raw, path);
}
