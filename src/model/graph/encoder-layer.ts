import type { LayerLayout } from '../layout.js';
import type { TransformerConfig } from '../types.js';
import { floatAttr, intAttr, MS_DOMAIN, type GraphBuilder } from './onnx-builder.js';
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
 * LN(x + bias + residual), in torch's order. Written as Add, Add, LayerNormalization rather than the fused
 * SkipLayerNormalization contrib op: onnxruntime 1.30's CPU SkipLayerNormalization kernel is 2-4× slower
 * than these three ops (runtime.ts disables the fusion that would rebuild it).
 */
function addResidualNorm(
  g: GraphBuilder,
  x: string,
  bias: string,
  residual: string,
  gamma: string,
  beta: string,
  eps: { epsilon: ReturnType<typeof floatAttr> },
  hint: string,
): string {
  const biased = g.node('Add', [x, bias], [`${hint}.biased`])[0]!;
  const summed = g.node('Add', [biased, residual], [`${hint}.residual`])[0]!;
  return g.node('LayerNormalization', [summed, gamma, beta], [hint], { axis: intAttr(-1), epsilon: eps.epsilon })[0]!;
}

/**
 * One post-LayerNorm transformer layer (BERT and DistilBERT alike):
 *   a = LN(x + Attention(x)·Wo + bo);  y = LN(a + act(a·W1 + b1)·W2 + b2)
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
  const attnNormed = addResidualNorm(g, attnOut, vec(layer.attentionOutput.bias, h), x, vec(layer.attentionNorm.weight, h), vec(layer.attentionNorm.bias, h), eps, `${hint}.attention_norm`);

  const ffnIn = proj.linear(g, attnNormed, read(layer.ffnIn.weight), ffn, h, layer.ffnIn.weight.replace(/\.weight$/, ''));
  const act = addBiasActivation(g, ffnIn, vec(layer.ffnIn.bias, ffn), config.activation, `${hint}.ffn`);
  const ffnOut = proj.linear(g, act, read(layer.ffnOut.weight), h, ffn, layer.ffnOut.weight.replace(/\.weight$/, ''));
  return addResidualNorm(g, ffnOut, vec(layer.ffnOut.bias, h), attnNormed, vec(layer.outputNorm.weight, h), vec(layer.outputNorm.bias, h), eps, `${hint}.output`);
}
