import { readJsonFile } from '../files/json-file.js';
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { loadCheckpoint } from '../checkpoint/index.js';
import { resolveModel } from '../hub/index.js';
import { readModelConfig } from '../model/config.js';
import { TransformerModel } from '../model/runtime.js';
import type { TokenBatch } from '../model/types.js';
import { padBatch } from '../tokenizer/pad-batch.js';
import { Tokenizer } from '../tokenizer/tokenizer.js';
import type { Encoding } from '../tokenizer/types.js';
import { DenseHead } from './heads.js';
import { encodePassageInput, encodeQueryInput } from './inputs.js';
import { l2NormalizeRows, poolHiddenStates } from './pooling.js';
import { readSentenceTransformersPipeline } from './sentence-transformers.js';
import { resolveSettings, type EncoderOverrides } from './settings.js';
import type { EncoderSettings, EncoderSide, PassageInput, SideSettings, TextEncoder } from './types.js';

export interface EncoderLoadOptions extends EncoderOverrides {
  /** Inference threads; default: all cores. */
  readonly threads?: number;
  /** Most sequences in one forward pass (default 64). */
  readonly batchSize?: number;
  /**
   * Most padded tokens (batch × length) in one forward pass (default 4,096). Small batches keep the
   * activations in cache: on MiniLM, 2,048-4,096 tokens per pass took 12-20% less CPU than 16,384 and
   * half the peak memory.
   */
  readonly tokenBudget?: number;
  /** Hub download progress bar (default: when stderr is a TTY). */
  readonly progress?: boolean;
  /** 'int8': dynamic int8 quantization of the linear layers (faster, cosine ≥ 0.999 to fp32). Default 'none'. */
  readonly quantize?: 'none' | 'int8';
}

/** Where an encoder came from, for manifests and `/info`. */
export interface EncoderSource {
  /** What the user passed: a directory or a hub id (with @revision if given). */
  readonly model: string;
  /** The local directory the files were read from. */
  readonly dir: string;
  readonly preset?: string;
  /** The hub revision asked for, when the model came from the hub with @revision. */
  readonly revision?: string;
  readonly quantize?: 'none' | 'int8';
}

async function readJsonIfPresent(path: string): Promise<Record<string, unknown> | undefined> {
  return (await readJsonFile(path, { optional: true, object: true })) as Record<string, unknown> | undefined;
}

/** The commit a hub model resolved to: the snapshot folder's name in the Hugging Face cache layout. */
function revisionOf(hubId: string, dir: string): string | undefined {
  const commit = basename(dir);
  return /^[0-9a-f]{40}$/.test(commit) ? commit : hubId.includes('@') ? hubId.slice(hubId.indexOf('@') + 1) : undefined;
}

/** Reads the ST Dense module in `folder`: config.json (in/out features, activation) and its weights. */
async function loadDenseModule(dir: string, folder: string): Promise<DenseHead> {
  const path = join(dir, folder);
  const config = await readJsonIfPresent(join(path, 'config.json'));
  if (!config) throw new Error(`${join(path, 'config.json')}: missing (a Dense module needs it)`);
  const fn = String(config.activation_function ?? 'torch.nn.modules.linear.Identity');
  const activation = fn.endsWith('Tanh') ? 'tanh' : fn.endsWith('Identity') ? 'identity' : undefined;
  if (!activation) throw new Error(`${join(path, 'config.json')}: activation_function '${fn}' is not supported (Tanh, Identity are)`);
  const weights = await loadCheckpoint(path);
  const w = weights.get('linear.weight');
  if (!w) throw new Error(`${path}: Dense module weights lack 'linear.weight'`);
  return DenseHead.fromTensors(`${folder}/linear`, w, weights.get('linear.bias'), activation);
}

/**
 * A bi-encoder: tokenizer → transformer → pooling → heads (tanh pooler, DPR encode_proj, ST Dense)
 * → optional L2 normalisation, with separate settings for queries and passages.
 */
export class Encoder implements TextEncoder {
  private constructor(
    readonly source: EncoderSource,
    readonly settings: EncoderSettings,
    readonly tokenizer: Tokenizer,
    private readonly model: TransformerModel,
    private readonly poolerHead: DenseHead | undefined,
    private readonly headsAfterPooling: readonly DenseHead[],
    readonly dims: number,
    private readonly batchSize: number,
    private readonly tokenBudget: number,
    readonly trainedFor: EncoderSide | undefined,
  ) {}

  static async load(modelOrDir: string, options: EncoderLoadOptions = {}): Promise<Encoder> {
    const isLocal = existsSync(modelOrDir);
    const dir = await resolveModel(modelOrDir, { progress: options.progress ?? process.stderr.isTTY === true });
    const hubId = isLocal ? undefined : modelOrDir;
    const sentenceTransformers = await readSentenceTransformersPipeline(dir);
    // The transformer's own files (config, tokenizer, weights) sit in its module folder.
    const transformerDir = join(dir, sentenceTransformers?.transformerPath ?? '');
    const [config, tokenizer, rawConfig] = await Promise.all([
      readModelConfig(transformerDir),
      Tokenizer.fromDir(transformerDir),
      readJsonIfPresent(join(transformerDir, 'config.json')),
    ]);
    const nameOrPath = typeof rawConfig?._name_or_path === 'string' ? rawConfig._name_or_path : undefined;
    const { settings, preset } = resolveSettings(
      {
        config,
        ...(hubId !== undefined ? { hubId } : {}),
        ...(nameOrPath !== undefined ? { nameOrPath } : {}),
        ...(sentenceTransformers ? { sentenceTransformers } : {}),
        ...(tokenizer.modelMaxLength !== undefined ? { tokenizerMaxLength: tokenizer.modelMaxLength } : {}),
      },
      options,
    );
    const model = await TransformerModel.load(transformerDir, {
      ...(options.threads !== undefined ? { threads: options.threads } : {}),
      ...(options.quantize ? { quantize: options.quantize } : {}),
    });

    const usesPooler = settings.query.pooling === 'pooler' || settings.passage.pooling === 'pooler';
    let poolerHead: DenseHead | undefined;
    if (usesPooler) {
      const w = model.weights.get('pooler.dense.weight');
      if (!w) throw new Error(`${dir}: pooling 'pooler' needs the weight 'pooler.dense.weight', which the checkpoint lacks`);
      poolerHead = DenseHead.fromTensors('pooler.dense', w, model.weights.get('pooler.dense.bias'), 'tanh');
    }
    const heads: DenseHead[] = [];
    const proj = model.weights.get('encode_proj.weight');
    if (proj) heads.push(DenseHead.fromTensors('encode_proj', proj, model.weights.get('encode_proj.bias'), 'identity'));
    for (const folder of sentenceTransformers?.denseModules ?? []) heads.push(await loadDenseModule(dir, folder));

    let dims = config.hiddenSize;
    for (const head of heads) {
      if (head.inFeatures !== dims) throw new Error(`${dir}: ${head.name} expects ${head.inFeatures} inputs but receives ${dims}`);
      dims = head.outFeatures;
    }
    const revision = hubId !== undefined ? revisionOf(hubId, dir) : undefined;
    const source: EncoderSource = {
      model: modelOrDir,
      dir,
      ...(revision !== undefined ? { revision } : {}),
      ...(preset ? { preset: preset.name } : {}),
      quantize: options.quantize ?? 'none',
    };
    const trainedFor = model.dprRole === 'question' ? 'query' : model.dprRole === 'context' ? 'passage' : undefined;
    return new Encoder(source, settings, tokenizer, model, poolerHead, heads, dims, options.batchSize ?? 64, options.tokenBudget ?? 4096, trainedFor);
  }

  tokenizeQuery(text: string): Encoding {
    return encodeQueryInput(this.tokenizer, text, this.settings.query);
  }

  tokenizePassage(passage: PassageInput): Encoding {
    return encodePassageInput(this.tokenizer, passage, this.settings.passage);
  }

  async encodeQueries(texts: readonly string[]): Promise<Float32Array[]> {
    return this.encodeEncodings(texts.map((t) => this.tokenizeQuery(t)), this.settings.query);
  }

  async encodePassages(passages: readonly PassageInput[]): Promise<Float32Array[]> {
    return this.encodeEncodings(passages.map((p) => this.tokenizePassage(p)), this.settings.passage);
  }

  /** Encodes passages already tokenized by `tokenizePassage`. */
  async encodePassageEncodings(encodings: readonly Encoding[]): Promise<Float32Array[]> {
    return this.encodeEncodings(encodings, this.settings.passage);
  }

  /**
   * Encodes already-tokenized inputs. Sorts by length and cuts batches by count and by padded-token
   * budget, so short texts are not padded to long ones; results come back in input order.
   */
  async encodeEncodings(encodings: readonly Encoding[], side: SideSettings): Promise<Float32Array[]> {
    const order = encodings.map((_, i) => i).sort((a, b) => encodings[b]!.ids.length - encodings[a]!.ids.length);
    const out = new Array<Float32Array>(encodings.length);
    let start = 0;
    while (start < order.length) {
      const longest = encodings[order[start]!]!.ids.length;
      const fit = Math.max(1, Math.floor(this.tokenBudget / Math.max(longest, 1)));
      const end = Math.min(order.length, start + Math.min(this.batchSize, fit));
      const idx = order.slice(start, end);
      const batch = padBatch(idx.map((i) => encodings[i]!), { zeroTokenTypes: side.tokenTypes === 'zero' });
      const rows = await this.encodeBatch(batch, side);
      idx.forEach((i, r) => (out[i] = rows[r]!));
      start = end;
    }
    return out;
  }

  private async encodeBatch(batch: TokenBatch, side: SideSettings): Promise<Float32Array[]> {
    const hidden = await this.model.forward(batch);
    let rows = poolHiddenStates(hidden, batch, side.pooling === 'pooler' ? 'cls' : side.pooling);
    if (side.pooling === 'pooler') rows = this.poolerHead!.apply(rows);
    for (const head of this.headsAfterPooling) rows = head.apply(rows);
    if (side.normalize) l2NormalizeRows(rows);
    return rows;
  }

  async dispose(): Promise<void> {
    await this.model.dispose();
  }
}
