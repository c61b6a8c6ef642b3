import { readJsonFile as readJson } from '../files/json-file.js';
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import type { Pooling } from './types.js';

/** What a sentence-transformers repo's module files say about encoding. */
export interface SentenceTransformersPipeline {
  /** The Transformer module's folder relative to the repo: '' for today's layout, e.g. '0_BERT' in old repos. */
  readonly transformerPath: string;
  /** sentence_bert_config.json's max_seq_length (counts [CLS]/[SEP]). */
  readonly maxSeqLength?: number;
  readonly pooling: Pooling;
  readonly normalize: boolean;
  /** Dense modules after pooling, in order (folder paths relative to the repo). */
  readonly denseModules: readonly string[];
}

interface ModuleEntry {
  readonly idx?: number;
  readonly name?: string;
  readonly path: string;
  readonly type: string;
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}


/** Maps a Pooling module config onto one pooling mode; combined modes are refused rather than guessed. */
function poolingFromConfig(config: Record<string, unknown>, path: string): Pooling {
  if (typeof config.pooling_mode === 'string') {
    const mode = config.pooling_mode;
    if (mode === 'cls' || mode === 'mean' || mode === 'max') return mode;
    throw new Error(`${path}: pooling_mode '${mode}' is not supported (cls, mean, max are)`);
  }
  const modes: [string, Pooling][] = [
    ['pooling_mode_cls_token', 'cls'],
    ['pooling_mode_mean_tokens', 'mean'],
    ['pooling_mode_max_tokens', 'max'],
  ];
  const on = modes.filter(([key]) => config[key] === true).map(([, mode]) => mode);
  for (const unsupported of ['pooling_mode_mean_sqrt_len_tokens', 'pooling_mode_weightedmean_tokens', 'pooling_mode_lasttoken']) {
    if (config[unsupported] === true) throw new Error(`${path}: ${unsupported} is not supported`);
  }
  if (on.length !== 1) {
    throw new Error(`${path}: exactly one of pooling_mode_cls_token / mean_tokens / max_tokens must be true (found ${on.length})`);
  }
  return on[0]!;
}

/**
 * Reads modules.json and the module folders it names, if the directory is a sentence-transformers repo.
 * Returns undefined for a plain transformers checkpoint.
 */
export async function readSentenceTransformersPipeline(dir: string): Promise<SentenceTransformersPipeline | undefined> {
  const modulesPath = join(dir, 'modules.json');
  if (!(await exists(modulesPath))) return undefined;
  const modules = await readJson(modulesPath);
  if (!Array.isArray(modules)) throw new Error(`${modulesPath}: expected a JSON array of modules`);

  let pooling: Pooling | undefined;
  let normalize = false;
  let transformerPath: string | undefined;
  const denseModules: string[] = [];
  for (const [i, raw] of (modules as ModuleEntry[]).entries()) {
    if (typeof raw?.type !== 'string' || typeof raw.path !== 'string') {
      throw new Error(`${modulesPath}: module ${i} needs string fields "type" and "path"`);
    }
    const kind = raw.type.split('.').pop();
    switch (kind) {
      // Old repos name the transformer module after the model class (BERT, DistilBERT) and keep it in a subfolder.
      case 'Transformer':
      case 'BERT':
      case 'DistilBERT':
        if (transformerPath !== undefined) throw new Error(`${modulesPath}: more than one Transformer module`);
        transformerPath = raw.path;
        break;
      case 'Pooling': {
        const cfgPath = join(dir, raw.path, 'config.json');
        pooling = poolingFromConfig((await readJson(cfgPath)) as Record<string, unknown>, cfgPath);
        break;
      }
      case 'Normalize':
        normalize = true;
        break;
      case 'Dense':
        denseModules.push(raw.path);
        break;
      default:
        throw new Error(`${modulesPath}: module type '${raw.type}' is not supported (Transformer, Pooling, Dense, Normalize are)`);
    }
  }
  if (transformerPath === undefined) throw new Error(`${modulesPath}: no sentence_transformers.models.Transformer module`);
  if (!pooling) throw new Error(`${modulesPath}: no Pooling module`);

  let maxSeqLength: number | undefined;
  const stConfigPath = join(dir, transformerPath, 'sentence_bert_config.json');
  if (await exists(stConfigPath)) {
    const stConfig = (await readJson(stConfigPath)) as Record<string, unknown>;
    if (stConfig.max_seq_length !== undefined) {
      if (!Number.isInteger(stConfig.max_seq_length) || (stConfig.max_seq_length as number) < 2) {
        throw new Error(`${stConfigPath}: max_seq_length must be an integer ≥ 2`);
      }
      maxSeqLength = stConfig.max_seq_length as number;
    }
  }
  return { transformerPath, ...(maxSeqLength !== undefined ? { maxSeqLength } : {}), pooling, normalize, denseModules };
}
