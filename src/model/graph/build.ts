import type { StateDict } from '../../checkpoint/tensor.js';
import { modelLayout } from '../layout.js';
import type { TransformerConfig } from '../types.js';
import { buildEncoderGraph } from './encoder-graph.js';
import { fp32Projections } from './projections-fp32.js';
import { int8Projections } from './projections-int8.js';
import { weightReader } from './weight-reader.js';

export interface GraphOptions {
  /** 'int8': dynamically quantised matmuls (weights per channel); default float32 throughout. */
  readonly quantize?: 'none' | 'int8';
  /** int8 weight width: 7 (reduce_range) is safe on every CPU; 8 needs VNNI-class int8 kernels. */
  readonly int8WeightBits?: 7 | 8;
}

/** Builds the encoder body as a serialised ONNX model. The weights must have passed checkWeights. */
export function buildModelGraph(config: TransformerConfig, weights: StateDict, options: GraphOptions = {}): Uint8Array {
  const layout = modelLayout(config);
  const read = weightReader(weights);
  const proj = options.quantize === 'int8' ? int8Projections(options.int8WeightBits ?? 7) : fp32Projections;
  const g = buildEncoderGraph(config, layout, read, proj);
  return g.encode();
}
