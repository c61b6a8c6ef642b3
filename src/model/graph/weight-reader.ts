import type { StateDict } from '../../checkpoint/tensor.js';

/** Reads a checked weight as float32 (names were validated by checkWeights before the graph is built). */
export type WeightReader = (name: string) => Float32Array;

export function weightReader(weights: StateDict): WeightReader {
  return (name) => {
    const t = weights.get(name);
    if (t === undefined) throw new Error(`internal error: weight "${name}" was not checked before building the graph`);
    return t.float32();
  };
}
