import { posix } from 'node:path';

/** A repo's file list plus a way to read one of its JSON files (downloading it first when online). */
export interface RepoListing {
  files: readonly string[];
  readJson(repoPath: string): Promise<unknown>;
}

/** Which files to have locally, and what an encoder needs that the listing lacks. */
export interface FileSelection {
  files: string[];
  missing: string[];
}

const TOKENIZER_FILES = ['vocab.txt', 'tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json', 'added_tokens.json'];
const SENTENCE_TRANSFORMERS_FILES = ['modules.json', 'sentence_bert_config.json', 'config_sentence_transformers.json'];
/** In the order transformers prefers them: safetensors before pickle, one file before shards. */
const WEIGHT_CHOICES: Array<[single: string, index: string]> = [
  ['model.safetensors', 'model.safetensors.index.json'],
  ['pytorch_model.bin', 'pytorch_model.bin.index.json'],
];
/** Weights in formats densekit does not load (TF, Flax, ONNX, rust, ...) and checkpoint formats already covered above. */
const WEIGHT_LIKE = /\.(safetensors|bin|h5|msgpack|onnx|ot|tflite|ckpt|pt|pth|pb|mlmodel|gguf)$|\.index\.json$/;

interface SentenceTransformersModule {
  path: string;
  type: string;
}

function parseModules(json: unknown): SentenceTransformersModule[] {
  if (!Array.isArray(json)) throw new Error('modules.json: expected a JSON array of modules');
  return json.map((m, i) => {
    const path = (m as { path?: unknown })?.path ?? '';
    const type = (m as { type?: unknown })?.type;
    if (typeof path !== 'string' || typeof type !== 'string') {
      throw new Error(`modules.json: module [${i}] needs string "path" and "type" fields`);
    }
    return { path: path.replace(/\/+$/, ''), type };
  });
}

function shardNames(json: unknown, indexPath: string): string[] {
  const map = (json as { weight_map?: unknown })?.weight_map;
  if (typeof map !== 'object' || map === null) throw new Error(`${indexPath}: no "weight_map" object`);
  const names = new Set<string>();
  for (const [tensor, shard] of Object.entries(map)) {
    if (typeof shard !== 'string') throw new Error(`${indexPath}: weight_map["${tensor}"] is not a file name`);
    names.add(shard);
  }
  return [...names].sort();
}

/** The files an encoder needs: config, tokenizer, sentence-transformers modules and one set of weights. */
export async function selectEncoderFiles(listing: RepoListing): Promise<FileSelection> {
  const have = new Set(listing.files);
  const picked = new Set<string>();
  const missing: string[] = [];
  const inFolder = (folder: string, name: string) => (folder === '' ? name : `${folder}/${name}`);
  const pickIfPresent = (path: string) => {
    if (have.has(path)) picked.add(path);
    return have.has(path);
  };

  async function pickWeights(folder: string, required: boolean): Promise<void> {
    for (const [single, index] of WEIGHT_CHOICES) {
      if (pickIfPresent(inFolder(folder, single))) return;
      const indexPath = inFolder(folder, index);
      if (!have.has(indexPath)) continue;
      picked.add(indexPath);
      for (const shard of shardNames(await listing.readJson(indexPath), indexPath)) {
        const shardPath = inFolder(folder, shard);
        if (!pickIfPresent(shardPath)) missing.push(`${shardPath} (a shard named by ${indexPath})`);
      }
      return;
    }
    if (required) missing.push(`${inFolder(folder, 'model.safetensors')} or ${inFolder(folder, 'pytorch_model.bin')} (the model weights)`);
  }

  async function pickTransformerFolder(folder: string): Promise<void> {
    if (!pickIfPresent(inFolder(folder, 'config.json'))) missing.push(`${inFolder(folder, 'config.json')} (the model config)`);
    for (const name of [...TOKENIZER_FILES, 'sentence_bert_config.json']) pickIfPresent(inFolder(folder, name));
    if (!have.has(inFolder(folder, 'vocab.txt')) && !have.has(inFolder(folder, 'tokenizer.json'))) {
      missing.push(`${inFolder(folder, 'vocab.txt')} or ${inFolder(folder, 'tokenizer.json')} (the tokenizer)`);
    }
    await pickWeights(folder, true);
  }

  /** A module folder (Pooling, Dense, ...): its own files, with the same weight preference as the model. */
  async function pickModuleFolder(module: SentenceTransformersModule): Promise<void> {
    if (module.type.endsWith('.Normalize')) return; // Normalize has no files (git keeps no empty folder)
    const own = listing.files.filter((f) => posix.dirname(f) === module.path);
    if (own.length === 0) {
      missing.push(`${module.path}/ (the files of module ${module.type})`);
      return;
    }
    if (/\.(Pooling|Dense)$/.test(module.type) && !pickIfPresent(`${module.path}/config.json`)) {
      missing.push(`${module.path}/config.json (the config of module ${module.type})`);
    }
    for (const f of own) if (!WEIGHT_LIKE.test(f)) picked.add(f);
    await pickWeights(module.path, false);
  }

  for (const name of SENTENCE_TRANSFORMERS_FILES) pickIfPresent(name);
  const modules = have.has('modules.json') ? parseModules(await listing.readJson('modules.json')) : [];
  // By sentence-transformers' convention the first module is the transformer when none is typed so (old 0_BERT repos).
  const transformer = modules.find((m) => m.type.endsWith('.Transformer')) ?? modules[0];
  await pickTransformerFolder(transformer?.path ?? '');
  for (const m of modules) if (m !== transformer && m.path !== '') await pickModuleFolder(m);
  return { files: [...picked].sort(), missing };
}

/** huggingface_hub's allow_patterns: fnmatch globs where `*` also crosses '/', and a trailing '/' means the whole folder. */
export function globToRegExp(pattern: string): RegExp {
  const glob = pattern.endsWith('/') ? `${pattern}*` : pattern;
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') source += '.*';
    else if (c === '?') source += '.';
    else if (c === '[' && glob.indexOf(']', i + 2) > 0) {
      const end = glob.indexOf(']', i + 2);
      const body = glob.slice(i + 1, end);
      source += `[${body.startsWith('!') ? `^${body.slice(1)}` : body.replace(/\\/g, '\\\\')}]`;
      i = end;
    } else source += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 's');
}

/** The repo files matching any of `patterns`; a pattern matching nothing is reported as missing. */
export function selectByPatterns(files: readonly string[], patterns: readonly string[]): FileSelection {
  const picked = new Set<string>();
  const missing: string[] = [];
  for (const pattern of patterns) {
    const re = globToRegExp(pattern);
    const hits = files.filter((f) => re.test(f));
    if (hits.length === 0) missing.push(`${pattern} (matches no file)`);
    for (const f of hits) picked.add(f);
  }
  return { files: [...picked].sort(), missing };
}
