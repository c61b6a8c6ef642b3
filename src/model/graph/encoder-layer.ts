import type { LayerLayout } from '../layout.js';
import type { TransformerConfig } from '../types.js';
import { floatAttr, MS_DOMAIN, type GraphBuilder } from './onnx-builder.js';
import { concat, packQkvWeight } from './pack.js';
import type { Projections } from './projections.js';
import type { WeightReader } from './weight-reader.js';

/** bias + activation as one node where ORT has a fused kernel. */
function addBiasActivation(g: GraphBuilder, x: string, bias: string, activation: string, hint: string): string {
  switch (activation) {
    case 'gelu': // exact erf GELU
      return g.node('BiasGelu', [x, bias], [`${hint}.gelu`], {}, MS_DOMAIN)[0]!;
    case 'gelu_new':
    case 'gelu_pytorch_tanh':
    case 'gelu_fast': // all three are the tanh approximation
      return g.node('FastGelu', [x, bias], [`${hint}.gelu`], {}, MS_DOMAIN)[0]!;
    case 'relu': {
      const sum = g.node('Add', [x, bias], [`${hint}.biased`])[0]!;
      return g.node('Relu', [sum], [`${hint}.relu`])[0]!;
    }
    default:
      throw new Error(`unsupported activation "${activation}"`);
  }
}

/**
 * One post-LayerNorm transformer layer (BERT and DistilBERT alike):
 *   a = LN(x + Attention(x)·Wo + bo);  y = LN(a + act(a·W1 + b1)·W2 + b2)
 * SkipLayerNormalization folds each output bias and residual into its LayerNorm.
 */
export function addEncoderLayer(
  g: GraphBuilder,
  x: string,
  maskIndex: string,
  layer: LayerLayout,
  config: TransformerConfig,
  read: WeightReader,
  proj: Projections,
  hint: string,
): string {
  const h = config.hiddenSize;
  const ffn = config.intermediateSize;
  const eps = { epsilon: floatAttr(config.layerNormEps) };
  const vec = (name: string, len: number) => g.initializer(name, read(name), [len]);

  const qkvWeight = packQkvWeight(read(layer.query.weight), read(layer.key.weight), read(layer.value.weight), h);
  const qkvBias = concat([read(layer.query.bias), read(layer.key.bias), read(layer.value.bias)]);
  const context = proj.attention(g, x, qkvWeight, qkvBias, maskIndex, h, config.numHeads, `${hint}.attention`);

  const attnOut = proj.linear(g, context, read(layer.attentionOutput.weight), h, h, layer.attentionOutput.weight.replace(/\.weight$/, ''));
  const attnNormed = g.node(
    'SkipLayerNormalization',
    [attnOut, x, vec(layer.attentionNorm.weight, h), vec(layer.attentionNorm.bias, h), vec(layer.attentionOutput.bias, h)],
    [`${hint}.attention_norm`],
    eps,
    MS_DOMAIN,
  )[0]!;

  const ffnIn = proj.linear(g, attnNormed, read(layer.ffnIn.weight), ffn, h, layer.ffnIn.weight.replace(/\.weight$/, ''));
  const act = addBiasActivation(g, ffnIn, vec(layer.ffnIn.bias, ffn), config.activation, `${hint}.ffn`);
  const ffnOut = proj.linear(g, act, read(layer.ffnOut.weight), h, ffn, layer.ffnOut.weight.replace(/\.weight$/, ''));
  return g.node(
    'SkipLayerNormalization',
    [ffnOut, attnNormed, vec(layer.outputNorm.weight, h), vec(layer.outputNorm.bias, h), vec(layer.ffnOut.bias, h)],
    [`${hint}.output`],
    eps,
    MS_DOMAIN,
  )[0]!;
}
