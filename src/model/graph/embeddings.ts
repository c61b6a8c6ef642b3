import type { ModelLayout } from '../layout.js';
import type { TransformerConfig } from '../types.js';
import { floatAttr, MS_DOMAIN, type GraphBuilder } from './onnx-builder.js';
import type { WeightReader } from './weight-reader.js';

export interface EmbeddingOutputs {
  /** LayerNorm(word + position [+ token type]) embeddings, [batch, seq, hidden]. */
  readonly hidden: string;
  /** Per-row count of real tokens, [batch]; Attention reads it as a right-padding mask. */
  readonly maskIndex: string;
}

/**
 * One EmbedLayerNormalization node: gathers word, position and (BERT only) token-type embeddings,
 * sums them, applies LayerNorm, and turns the attention mask into mask_index.
 */
export function addEmbeddings(
  g: GraphBuilder,
  inputs: { readonly inputIds: string; readonly attentionMask: string; readonly tokenTypeIds?: string },
  config: TransformerConfig,
  layout: ModelLayout,
  read: WeightReader,
): EmbeddingOutputs {
  const h = config.hiddenSize;
  const word = g.initializer(layout.wordEmbeddings, read(layout.wordEmbeddings), [config.vocabSize, h]);
  const pos = g.initializer(layout.positionEmbeddings, read(layout.positionEmbeddings), [config.maxPositions, h]);
  let segment = '';
  if (layout.tokenTypeEmbeddings !== undefined) {
    segment = g.initializer(layout.tokenTypeEmbeddings, read(layout.tokenTypeEmbeddings), [config.typeVocabSize, h]);
  }
  const gamma = g.initializer(layout.embeddingNorm.weight, read(layout.embeddingNorm.weight), [h]);
  const beta = g.initializer(layout.embeddingNorm.bias, read(layout.embeddingNorm.bias), [h]);
  const [hidden, maskIndex] = g.node(
    'EmbedLayerNormalization',
    [inputs.inputIds, segment === '' ? '' : inputs.tokenTypeIds ?? '', word, pos, segment, gamma, beta, inputs.attentionMask],
    ['embeddings.output', 'mask_index'],
    { epsilon: floatAttr(config.layerNormEps) },
    MS_DOMAIN,
  );
  return { hidden: hidden!, maskIndex: maskIndex! };
}
