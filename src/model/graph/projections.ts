import type { GraphBuilder } from './onnx-builder.js';

/**
 * How the graph multiplies activations by weight matrices. The fp32 and int8 graphs differ only here,
 * so layers are written once against this interface.
 */
export interface Projections {
  /** x[..., in] · Wᵀ for an nn.Linear weight W [out, in]; the bias is left to the fused op that follows. */
  linear(g: GraphBuilder, x: string, weight: Float32Array, outDim: number, inDim: number, hint: string): string;
  /**
   * Multi-head self-attention with the QKV projection inside: `qkvWeight` is packed [hidden, 3·hidden]
   * (see pack.ts), `maskIndex` the per-row sequence lengths from EmbedLayerNormalization.
   */
  attention(
    g: GraphBuilder,
    x: string,
    qkvWeight: Float32Array,
    qkvBias: Float32Array,
    maskIndex: string,
    hidden: number,
    numHeads: number,
    hint: string,
  ): string;
}
