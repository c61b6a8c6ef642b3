// Reads a Hugging Face tokenizer directory: vocab.txt and/or tokenizer.json (fast-tokenizer format),
// plus tokenizer_config.json, special_tokens_map.json and added_tokens.json when present.
import { readJsonFile } from '../files/json-file.js';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { SpecialTokens, TokenizerOptions } from './tokenizer.js';
import { parseVocabTxt, vocabDifference, vocabFromJson, type Vocab } from './vocab.js';

/** transformers writes int(1e30) (VERY_LARGE_INTEGER) as model_max_length when a model has no limit. */
const NO_LIMIT_THRESHOLD = 1e15;

type Json = Record<string, unknown>;

export async function loadTokenizerFiles(dir: string): Promise<{ vocab: Vocab; options: TokenizerOptions }> {
  const info = await stat(dir).catch(() => undefined);
  if (!info) throw new Error(`tokenizer directory ${dir} does not exist`);
  if (!info.isDirectory()) throw new Error(`tokenizer path ${dir} is not a directory`);

  const vocabPath = join(dir, 'vocab.txt');
  const fastPath = join(dir, 'tokenizer.json');
  const vocabText = await readOptional(vocabPath);
  const fast = await readJsonOptional(fastPath);
  if (vocabText === undefined && fast === undefined) {
    throw new Error(`no tokenizer vocabulary in ${dir}: looked for vocab.txt and tokenizer.json`);
  }
  const config = (await readJsonOptional(join(dir, 'tokenizer_config.json'))) ?? {};
  const specialMap = (await readJsonOptional(join(dir, 'special_tokens_map.json'))) ?? {};
  const addedJson = await readJsonOptional(join(dir, 'added_tokens.json'));

  const fastSettings = fast ? readFastTokenizer(fast, fastPath) : undefined;
  let vocab: Vocab;
  if (vocabText !== undefined) {
    vocab = parseVocabTxt(vocabText);
    if (fastSettings) {
      const diff = vocabDifference(vocab, fastSettings.vocab);
      if (diff) throw new Error(`${vocabPath} and ${fastPath} disagree on the vocabulary: ${diff}`);
    }
  } else {
    vocab = fastSettings!.vocab;
  }

  const configPath = join(dir, 'tokenizer_config.json');
  const options: TokenizerOptions = {};
  // tokenizer_config.json is what the reference (slow) tokenizer reads; tokenizer.json's normalizer
  // fills in only what the config leaves out.
  const doLowerCase = optionalBool(config, 'do_lower_case', configPath) ?? fastSettings?.lowercase;
  if (doLowerCase !== undefined) options.doLowerCase = doLowerCase;
  const stripAccents = 'strip_accents' in config ? nullableBool(config, 'strip_accents', configPath) : fastSettings?.stripAccents;
  if (stripAccents !== undefined) options.stripAccents = stripAccents;
  const chinese = optionalBool(config, 'tokenize_chinese_chars', configPath) ?? fastSettings?.handleChineseChars;
  if (chinese !== undefined) options.tokenizeChineseChars = chinese;
  const maxLength = readModelMaxLength(config, configPath);
  if (maxLength !== undefined) options.modelMaxLength = maxLength;

  const special: { -readonly [K in keyof SpecialTokens]?: SpecialTokens[K] } = {};
  if (fastSettings?.unkToken !== undefined) special.unk = fastSettings.unkToken;
  for (const [source, path] of [
    [config, configPath],
    [specialMap, join(dir, 'special_tokens_map.json')],
  ] as const) {
    for (const key of ['unk', 'sep', 'pad', 'cls', 'mask'] as const) {
      const value = tokenString(source[`${key}_token`], `${path}: ${key}_token`);
      if (value !== undefined) special[key] = value;
    }
    const extra = source['additional_special_tokens'];
    if (extra !== undefined && extra !== null) {
      if (!Array.isArray(extra)) throw new Error(`${path}: additional_special_tokens must be a list`);
      special.additional = extra.map((t, i) => tokenString(t, `${path}: additional_special_tokens[${i}]`)!);
    }
  }
  options.specialTokens = special;

  const added: Record<string, number> = { ...fastSettings?.addedTokens };
  if (addedJson) {
    for (const [token, id] of Object.entries(addedJson)) {
      if (typeof id !== 'number' || !Number.isInteger(id) || id < 0) {
        throw new Error(`${join(dir, 'added_tokens.json')}: id of ${JSON.stringify(token)} must be a non-negative integer`);
      }
      added[token] = id;
    }
  }
  if (Object.keys(added).length > 0) options.addedTokens = added;

  if (fastSettings?.prefix !== undefined) options.continuingSubwordPrefix = fastSettings.prefix;
  if (fastSettings?.maxInputChars !== undefined) options.maxInputCharsPerWord = fastSettings.maxInputChars;
  return { vocab, options };
}

interface FastTokenizerSettings {
  vocab: Vocab;
  unkToken?: string;
  prefix?: string;
  maxInputChars?: number;
  lowercase?: boolean;
  stripAccents?: boolean | null;
  handleChineseChars?: boolean;
  /** Entries of added_tokens that the WordPiece vocabulary lacks. */
  addedTokens: Record<string, number>;
}

/** The parts of tokenizer.json that describe a BERT WordPiece tokenizer. */
function readFastTokenizer(json: Json, path: string): FastTokenizerSettings {
  const model = json['model'];
  if (typeof model !== 'object' || model === null) throw new Error(`${path}: no "model" object`);
  const m = model as Json;
  if (m['type'] !== undefined && m['type'] !== 'WordPiece') {
    throw new Error(`${path}: model.type is ${JSON.stringify(m['type'])}; densekit's tokenizer supports WordPiece (BERT-family) only`);
  }
  const vocab = vocabFromJson(m['vocab'], path);
  const settings: FastTokenizerSettings = { vocab, addedTokens: {} };
  if (typeof m['unk_token'] === 'string') settings.unkToken = m['unk_token'];
  if (typeof m['continuing_subword_prefix'] === 'string') settings.prefix = m['continuing_subword_prefix'];
  if (typeof m['max_input_chars_per_word'] === 'number') settings.maxInputChars = m['max_input_chars_per_word'];

  const normalizer = json['normalizer'];
  if (normalizer !== undefined && normalizer !== null) {
    const n = normalizer as Json;
    if (n['type'] !== 'BertNormalizer') {
      throw new Error(`${path}: normalizer.type is ${JSON.stringify(n['type'])}; densekit supports BertNormalizer only`);
    }
    if (n['clean_text'] === false) throw new Error(`${path}: normalizer.clean_text false is not supported (BERT always cleans text)`);
    if (typeof n['lowercase'] === 'boolean') settings.lowercase = n['lowercase'];
    if (typeof n['handle_chinese_chars'] === 'boolean') settings.handleChineseChars = n['handle_chinese_chars'];
    if ('strip_accents' in n) settings.stripAccents = nullableBool(n, 'strip_accents', `${path}: normalizer`);
  }

  const added = json['added_tokens'];
  if (Array.isArray(added)) {
    for (const [i, entry] of added.entries()) {
      const e = entry as Json;
      if (typeof e?.['content'] !== 'string' || typeof e['id'] !== 'number') {
        throw new Error(`${path}: added_tokens[${i}] needs a string "content" and a numeric "id"`);
      }
      if (!vocab.tokenToId.has(e['content'])) settings.addedTokens[e['content']] = e['id'];
    }
  }
  return settings;
}

function readModelMaxLength(config: Json, path: string): number | undefined {
  for (const key of ['model_max_length', 'max_len']) {
    const v = config[key];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'number' || !(v > 0)) throw new Error(`${path}: ${key} must be a positive number, got ${JSON.stringify(v)}`);
    return v >= NO_LIMIT_THRESHOLD ? undefined : Math.floor(v);
  }
  return undefined;
}

/** A special token as a plain string or as a serialized AddedToken ({"content": ...}). */
function tokenString(value: unknown, where: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && typeof (value as Json)['content'] === 'string') return (value as Json)['content'] as string;
  throw new Error(`${where} must be a string or an object with a string "content"`);
}

function optionalBool(obj: Json, key: string, where: string): boolean | undefined {
  const v = obj[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw new Error(`${where}: ${key} must be true or false, got ${JSON.stringify(v)}`);
  return v;
}

function nullableBool(obj: Json, key: string, where: string): boolean | null {
  const v = obj[key];
  if (v === null || v === undefined) return null;
  if (typeof v !== 'boolean') throw new Error(`${where}: ${key} must be true, false or null, got ${JSON.stringify(v)}`);
  return v;
}

async function readOptional(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`cannot read ${path}: ${(err as Error).message}`);
  }
}

async function readJsonOptional(path: string): Promise<Json | undefined> {
  return (await readJsonFile(path, { optional: true, object: true })) as Json | undefined;
}
