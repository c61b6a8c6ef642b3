import type { Tensor } from '../checkpoint/tensor.js';

export type Activation = 'identity' | 'tanh';

/**
 * A small dense layer applied to pooled vectors: BERT's tanh pooler, DPR's encode_proj, a
 * sentence-transformers Dense module. These are one [batch, in] × [in, out] product per batch,
 * tiny next to the transformer, so plain loops here are cheaper than another ORT session.
 */
export class DenseHead {
  private constructor(
    readonly name: string,
    private readonly weight: Float32Array, // torch layout [out, in]
    private readonly bias: Float32Array | undefined,
    readonly inFeatures: number,
    readonly outFeatures: number,
    private readonly activation: Activation,
  ) {}

  static fromTensors(name: string, weight: Tensor, bias: Tensor | undefined, activation: Activation): DenseHead {
    if (weight.shape.length !== 2) throw new Error(`${name}.weight: expected a 2-D weight, got shape [${weight.shape.join(', ')}]`);
    const [out, inp] = weight.shape as [number, number];
    if (bias && (bias.shape.length !== 1 || bias.shape[0] !== out)) {
      throw new Error(`${name}.bias: expected shape [${out}], got [${bias.shape.join(', ')}]`);
    }
    return new DenseHead(name, weight.float32(), bias?.float32(), inp, out, activation);
  }

  apply(rows: Float32Array[]): Float32Array[] {
    return rows.map((x) => {
      if (x.length !== this.inFeatures) {
        throw new Error(`${this.name}: input width ${x.length} does not match in_features ${this.inFeatures}`);
      }
      const y = new Float32Array(this.outFeatures);
      for (let o = 0; o < this.outFeatures; o++) {
        let s = this.bias ? this.bias[o]! : 0;
        const w = o * this.inFeatures;
        for (let i = 0; i < this.inFeatures; i++) s += this.weight[w + i]! * x[i]!;
        y[o] = this.activation === 'tanh' ? Math.tanh(s) : s;
      }
      return y;
    });
  }
}
