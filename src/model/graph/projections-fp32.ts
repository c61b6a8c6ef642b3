import { intAttr, MS_DOMAIN, type GraphBuilder } from './onnx-builder.js';
import { transpose } from './pack.js';
import type { Projections } from './projections.js';

/** float32 MatMul and the fused Attention contrib op. */
export const fp32Projections: Projections = {
  linear(g, x, weight, outDim, inDim, hint) {
    const w = g.initializer(`${hint}.weight_t`, transpose(weight, outDim, inDim), [inDim, outDim]);
    return g.node('MatMul', [x, w], [`${hint}.out`])[0]!;
  },
  attention(g, x, qkvWeight, qkvBias, maskIndex, hidden, numHeads, hint) {
    const w = g.initializer(`${hint}.qkv_weight`, qkvWeight, [hidden, 3 * hidden]);
    const b = g.initializer(`${hint}.qkv_bias`, qkvBias, [3 * hidden]);
    return g.node('Attention', [x, w, b, maskIndex], [`${hint}.context`], { num_heads: intAttr(numHeads) }, MS_DOMAIN)[0]!;
  },
};
