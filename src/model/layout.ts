import type { TransformerConfig } from './types.js';

/** State-dict names (after normalizeWeightNames) of one nn.Linear: weight is [out, in]. */
export interface LinearNames {
  readonly weight: string;
  readonly bias: string;
}

/** State-dict names of one LayerNorm (gamma/beta already renamed to weight/bias). */
export interface LayerNormNames {
  readonly weight: string;
  readonly bias: string;
}

/** One post-LN transformer layer; BERT and DistilBERT differ only in these names. */
export interface LayerLayout {
  readonly query: LinearNames;
  readonly key: LinearNames;
  readonly value: LinearNames;
  readonly attentionOutput: LinearNames;
  readonly attentionNorm: LayerNormNames;
  readonly ffnIn: LinearNames;
  readonly ffnOut: LinearNames;
  readonly outputNorm: LayerNormNames;
}

export interface ModelLayout {
  readonly wordEmbeddings: string;
  readonly positionEmbeddings: string;
  /** Absent for DistilBERT. */
  readonly tokenTypeEmbeddings?: string;
  readonly embeddingNorm: LayerNormNames;
  readonly layers: readonly LayerLayout[];
}

const linear = (prefix: string): LinearNames => ({ weight: `${prefix}.weight`, bias: `${prefix}.bias` });

function bertLayer(i: number): LayerLayout {
  const p = `encoder.layer.${i}`;
  return {
    query: linear(`${p}.attention.self.query`),
    key: linear(`${p}.attention.self.key`),
    value: linear(`${p}.attention.self.value`),
    attentionOutput: linear(`${p}.attention.output.dense`),
    attentionNorm: linear(`${p}.attention.output.LayerNorm`),
    ffnIn: linear(`${p}.intermediate.dense`),
    ffnOut: linear(`${p}.output.dense`),
    outputNorm: linear(`${p}.output.LayerNorm`),
  };
}

function distilBertLayer(i: number): LayerLayout {
  const p = `transformer.layer.${i}`;
  return {
    query: linear(`${p}.attention.q_lin`),
    key: linear(`${p}.attention.k_lin`),
    value: linear(`${p}.attention.v_lin`),
    attentionOutput: linear(`${p}.attention.out_lin`),
    attentionNorm: linear(`${p}.sa_layer_norm`),
    ffnIn: linear(`${p}.ffn.lin1`),
    ffnOut: linear(`${p}.ffn.lin2`),
    outputNorm: linear(`${p}.output_layer_norm`),
  };
}

/** Where each weight of the encoder body lives in a normalised state dict. */
export function modelLayout(config: TransformerConfig): ModelLayout {
  const layers = Array.from({ length: config.numLayers }, (_, i) =>
    config.arch === 'bert' ? bertLayer(i) : distilBertLayer(i),
  );
  return {
    wordEmbeddings: 'embeddings.word_embeddings.weight',
    positionEmbeddings: 'embeddings.position_embeddings.weight',
    ...(config.arch === 'bert' ? { tokenTypeEmbeddings: 'embeddings.token_type_embeddings.weight' } : {}),
    embeddingNorm: linear('embeddings.LayerNorm'),
    layers,
  };
}

/** Every weight the body graph reads, with the shape the config implies, in graph order. */
export function expectedBodyShapes(config: TransformerConfig, layout = modelLayout(config)): Map<string, readonly number[]> {
  const h = config.hiddenSize;
  const ffn = config.intermediateSize;
  const shapes = new Map<string, readonly number[]>();
  const addLinear = (l: LinearNames, out: number, inp: number) => {
    shapes.set(l.weight, [out, inp]);
    shapes.set(l.bias, [out]);
  };
  const addNorm = (n: LayerNormNames) => {
    shapes.set(n.weight, [h]);
    shapes.set(n.bias, [h]);
  };
  shapes.set(layout.wordEmbeddings, [config.vocabSize, h]);
  shapes.set(layout.positionEmbeddings, [config.maxPositions, h]);
  if (layout.tokenTypeEmbeddings !== undefined) shapes.set(layout.tokenTypeEmbeddings, [config.typeVocabSize, h]);
  addNorm(layout.embeddingNorm);
  for (const l of layout.layers) {
    addLinear(l.query, h, h);
    addLinear(l.key, h, h);
    addLinear(l.value, h, h);
    addLinear(l.attentionOutput, h, h);
    addNorm(l.attentionNorm);
    addLinear(l.ffnIn, ffn, h);
    addLinear(l.ffnOut, h, ffn);
    addNorm(l.outputNorm);
  }
  return shapes;
}

/** Weights outside the body that the config says the checkpoint has (DPR's encode_proj). */
export function expectedHeadShapes(config: TransformerConfig): Map<string, readonly number[]> {
  const shapes = new Map<string, readonly number[]>();
  if (config.projectionDim > 0) {
    shapes.set('encode_proj.weight', [config.projectionDim, config.hiddenSize]);
    shapes.set('encode_proj.bias', [config.projectionDim]);
  }
  return shapes;
}
