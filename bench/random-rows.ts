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
