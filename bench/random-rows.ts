// Seeded standard-normal rows for the search benches (xorshift32 + Box–Muller), generated into a
// caller's buffer: the largest bench corpora are generated on the fly, never written as a .npy first.

export class SeededNormals {
  private s: number;
  private spare: number | undefined;

  constructor(seed: number) {
    this.s = seed >>> 0 || 1;
  }

  private uniform(): number {
    let s = this.s;
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    this.s = s;
    return (s + 0.5) / 2 ** 32;
  }

  /** Fills `out` with the next values of the sequence (the same sequence whatever the chunk sizes). */
  fill(out: Float32Array): void {
    let i = 0;
    if (this.spare !== undefined && out.length > 0) {
      out[i++] = this.spare;
      this.spare = undefined;
    }
    for (; i < out.length; i += 2) {
      const r = Math.sqrt(-2 * Math.log(this.uniform())), t = 2 * Math.PI * this.uniform();
      out[i] = r * Math.cos(t);
      if (i + 1 < out.length) out[i + 1] = r * Math.sin(t);
      else this.spare = r * Math.sin(t);
    }
  }
}

/**
 * Seeded standard-normal values by Marsaglia and Tsang's ziggurat (128 layers) over xorshift32: about one
 * uniform and one compare per value, where Box–Muller above spends a log, a sqrt, a sin and a cos per two.
 * The growth bench generates up to 16 billion values on the fly, and with Box–Muller the generator took
 * over half of the write time. A different sequence from SeededNormals for the same seed.
 */
export class ZigguratNormals {
  private static readonly R = 3.442619855899;
  private static readonly tables = ZigguratNormals.build();
  /** xorshift32 state as an int32 (same bits as SeededNormals' uint32 state), so V8 keeps it in a register. */
  private s: number;

  constructor(seed: number) {
    this.s = seed | 0 || 1;
  }

  /** k[i]: accept |int| < k[i] at once; w[i]: scale from int to value; f[i]: density at the layer's edge. */
  private static build(): { k: Int32Array; w: Float64Array; f: Float64Array } {
    const m = 2 ** 31, v = 9.91256303526217e-3;
    const k = new Int32Array(128), w = new Float64Array(128), f = new Float64Array(128);
    let d = ZigguratNormals.R, t = d;
    const q = v / Math.exp(-0.5 * d * d);
    k[0] = Math.floor((d / q) * m);
    k[1] = 0;
    w[0] = q / m;
    w[127] = d / m;
    f[0] = 1;
    f[127] = Math.exp(-0.5 * d * d);
    for (let i = 126; i >= 1; i--) {
      d = Math.sqrt(-2 * Math.log(v / d + Math.exp(-0.5 * d * d)));
      k[i + 1] = Math.floor((d / t) * m);
      t = d;
      f[i] = Math.exp(-0.5 * d * d);
      w[i] = d / m;
    }
    return { k, w, f };
  }

  private next(): number {
    let s = this.s;
    s ^= s << 13; s ^= s >>> 17; s ^= s << 5;
    this.s = s;
    return s;
  }

  private uniform(): number {
    return ((this.next() >>> 0) + 0.5) / 2 ** 32;
  }

  /** The slow path: a point outside a layer's inner rectangle (about 1% of draws), or the tail. */
  private edge(hz: number, iz: number): number {
    const { k, w, f } = ZigguratNormals.tables;
    for (;;) {
      const x = hz * w[iz]!;
      if (iz === 0) {
        let tx: number, ty: number;
        do {
          tx = -Math.log(this.uniform()) / ZigguratNormals.R;
          ty = -Math.log(this.uniform());
        } while (ty + ty < tx * tx);
        return hz > 0 ? ZigguratNormals.R + tx : -ZigguratNormals.R - tx;
      }
      if (f[iz]! + this.uniform() * (f[iz - 1]! - f[iz]!) < Math.exp(-0.5 * x * x)) return x;
      hz = this.next();
      iz = hz & 127;
      if (Math.abs(hz) < k[iz]!) return hz * w[iz]!;
    }
  }

  /** Fills `out` with the next values of the sequence (the same sequence whatever the chunk sizes). */
  fill(out: Float32Array): void {
    const { k, w } = ZigguratNormals.tables;
    let s = this.s;
    for (let i = 0; i < out.length; i++) {
      s ^= s << 13; s ^= s >>> 17; s ^= s << 5;
      const hz = s, iz = hz & 127;
      if (Math.abs(hz) < k[iz]!) {
        out[i] = hz * w[iz]!;
      } else {
        this.s = s;
        out[i] = this.edge(hz, iz);
        s = this.s;
      }
    }
    this.s = s;
  }
}
