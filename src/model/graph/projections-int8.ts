import { intAttr, MS_DOMAIN, type GraphBuilder } from './onnx-builder.js';
import { transpose } from './pack.js';
import type { Projections } from './projections.js';
import { quantizeColumns } from './quantize-weights.js';

/**
 * Dynamic int8: weights quantised per output channel at build time, activations per tensor at run
 * time (DynamicQuantizeMatMul; DynamicQuantizeLinear → QAttention). `weightBits` 7 is the
 * reduce_range path for CPUs whose int8 kernels can overflow with full-range weights.
 */
export function int8Projections(weightBits: 7 | 8): Projections {
  const qmax = weightBits === 8 ? 127 : 63;
  return {
    linear(g, x, weight, outDim, inDim, hint) {
      const q = quantizeColumns(transpose(weight, outDim, inDim), inDim, outDim, qmax);
      const w = g.initializer(`${hint}.weight_q`, q.values, [inDim, outDim]);
      const s = g.initializer(`${hint}.weight_scale`, q.scales, [outDim]);
      return g.node('DynamicQuantizeMatMul', [x, w, s], [`${hint}.out`], {}, MS_DOMAIN)[0]!;
    },
    attention(g, x, qkvWeight, qkvBias, maskIndex, hidden, numHeads, hint) {
      const q = quantizeColumns(qkvWeight, hidden, 3 * hidden, qmax);
      const w = g.initializer(`${hint}.qkv_weight_q`, q.values, [hidden, 3 * hidden]);
      const ws = g.initializer(`${hint}.qkv_weight_scale`, q.scales, [3 * hidden]);
      const b = g.initializer(`${hint}.qkv_bias`, qkvBias, [3 * hidden]);
      const [xq, xs, xzp] = g.node('DynamicQuantizeLinear', [x], [`${hint}.x_q`, `${hint}.x_scale`, `${hint}.x_zero_point`]);
      return g.node(
        'QAttention',
        [xq!, w, b, xs!, ws, maskIndex, xzp!],
        [`${hint}.context`],
        { num_heads: intAttr(numHeads) },
        MS_DOMAIN,
      )[0]!;
    },
  };
}
