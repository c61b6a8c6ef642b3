import { availableParallelism } from 'node:os';
import * as ort from 'onnxruntime-node';
import { findWeightFile, loadCheckpoint, normalizeWeightNames } from '../checkpoint/index.js';
import type { StateDict } from '../checkpoint/tensor.js';
import { checkWeights } from './check-weights.js';
import { int8MatmulSafeWithFullRange } from './cpu-features.js';
import { readModelConfig } from './config.js';
import { dprRoleOf } from './dpr-role.js';
import { buildModelGraph } from './graph/build.js';
import { ATTENTION_MASK, INPUT_IDS, LAST_HIDDEN_STATE, TOKEN_TYPE_IDS } from './graph/io-names.js';
import type { HiddenStates, TokenBatch, TransformerConfig } from './types.js';
import { validateBatch } from './validate-batch.js';

export interface TransformerLoadOptions {
  /** Intra-op threads; default: every available core. */
  readonly threads?: number;
  /** Weights already loaded and passed through normalizeWeightNames; default: read from `dir`. */
  readonly weights?: StateDict;
  /** 'int8': dynamic int8 quantisation of the matmuls (faster on CPU, cosine ≥ 0.999 vs float32). */
  readonly quantize?: 'none' | 'int8';
  /** int8 weight width; default 8 where the CPU's int8 kernels cannot overflow (VNNI, ARM), else 7 (reduce_range). */
  readonly int8WeightBits?: 7 | 8;
}

const HEAD_PREFIXES = ['pooler.', 'encode_proj.'];

/** The (small) head weights, copied out of the checkpoint's buffers so those can be freed. */
function copyHeadWeights(weights: StateDict): StateDict {
  const kept: StateDict = new Map();
  for (const [name, t] of weights) {
    if (!HEAD_PREFIXES.some((p) => name.startsWith(p))) continue;
    const data = t.float32().slice();
    kept.set(name, { dtype: 'F32', shape: [...t.shape], float32: () => data });
  }
  return kept;
}

/** A BERT / DistilBERT / DPR encoder body running on onnxruntime's CPU backend. */
export class TransformerModel {
  private constructor(
    readonly config: TransformerConfig,
    /**
     * The head weights the graph does not consume (pooler.*, encode_proj.*), normalised and copied, for the
     * encoder's pooling heads. The body's weights are not kept: onnxruntime holds its own copy, and
     * keeping the checkpoint would double the model's resident memory.
     */
    readonly weights: StateDict,
    private readonly session: ort.InferenceSession,
    /** For DPR-style checkpoints: which encoder of the pair this is (from the config or the weight names). */
    readonly dprRole: TransformerConfig['dprRole'],
  ) {}

  /** Reads config.json and the weights in `dir`, checks them, and builds the ONNX graph in memory. */
  static async load(dir: string, options: TransformerLoadOptions = {}): Promise<TransformerModel> {
    const threads = options.threads ?? availableParallelism();
    if (!Number.isInteger(threads) || threads < 1) throw new Error(`threads must be a positive integer, got ${threads}`);
    const quantize = options.quantize ?? 'none';
    if (quantize !== 'none' && quantize !== 'int8') throw new Error(`quantize must be 'none' or 'int8', got ${JSON.stringify(quantize)}`);
    const config = await readModelConfig(dir);
    let weights = options.weights;
    let source = dir;
    let originalNames: Iterable<string> = [];
    if (weights === undefined) {
      const normalized = normalizeWeightNames(await loadCheckpoint(dir));
      weights = normalized.weights;
      originalNames = normalized.renamed.values();
      source = (await findWeightFile(dir)) ?? dir;
    }
    const dprRole = dprRoleOf(config, originalNames);
    checkWeights(weights, config, source);
    const int8WeightBits = options.int8WeightBits ?? (int8MatmulSafeWithFullRange() ? 8 : 7);
    const model = buildModelGraph(config, weights, { quantize, int8WeightBits });
    const session = await ort.InferenceSession.create(model, {
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
      // The graph writes residual + LayerNorm as Add, Add, LayerNormalization. ORT would fuse that back into
      // SkipLayerNormalization, whose CPU kernel took 7.5% of a BERT-base float32 pass (17.6% at int8) against
      // 1.6% (4.7%) for the unfused ops in onnxruntime 1.30's profiler.
      extra: { optimization: { disable_specified_optimizers: 'SkipLayerNormFusion' } },
    });
    return new TransformerModel(config, copyHeadWeights(weights), session, dprRole);
  }

  /** Runs the body on a right-padded batch and returns last_hidden_state. */
  async forward(batch: TokenBatch): Promise<HiddenStates> {
    validateBatch(batch, this.config);
    const dims = [batch.batchSize, batch.seqLen];
    const available: Record<string, Int32Array> = {
      [INPUT_IDS]: batch.inputIds,
      [ATTENTION_MASK]: batch.attentionMask,
      [TOKEN_TYPE_IDS]: batch.tokenTypeIds,
    };
    const feeds: Record<string, ort.Tensor> = {};
    for (const name of this.session.inputNames) feeds[name] = new ort.Tensor('int32', available[name]!, dims);
    const result = await this.session.run(feeds);
    const out = result[LAST_HIDDEN_STATE]!;
    return {
      batchSize: batch.batchSize,
      seqLen: batch.seqLen,
      hiddenSize: this.config.hiddenSize,
      data: out.data as Float32Array,
    };
  }

  async dispose(): Promise<void> {
    await this.session.release();
  }
}
