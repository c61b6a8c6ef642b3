// IEEE binary16 conversion by hand: Node 20 has no Float16Array or Math.f16round. Decoding is one
// look-up in a 64k-entry table (256 KB, built once): the fastest pure-JS widening. Used by checkpoints
// (F16 tensors) and index shards and .npy imports (f16 rows).
const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/**
 * Rounds a float32 to the nearest binary16 (ties to even) and returns its bit pattern.
 * Returns -1 when the value is finite but beyond the binary16 range (±65504), so the caller can refuse it
 * instead of storing an infinity.
 */
export function float32ToFloat16Bits(value: number): number {
  f32[0] = value;
  const x = u32[0]!;
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  const e = exp - 127 + 15;
  if (e >= 31) return -1;
  if (e <= 0) {
    if (e < -10) return sign; // below half the smallest subnormal: rounds to zero
    mant |= 0x800000;
    const shift = 14 - e;
    let half = mant >>> shift;
    const roundBit = (mant >>> (shift - 1)) & 1;
    const sticky = mant & ((1 << (shift - 1)) - 1);
    if (roundBit && (sticky || half & 1)) half++;
    return sign | half;
  }
  let half = (e << 10) | (mant >>> 13);
  const roundBit = (mant >>> 12) & 1;
  const sticky = mant & 0xfff;
  if (roundBit && (sticky || half & 1)) half++;
  if ((half & 0x7fff) >= 0x7c00) return -1; // rounded past 65504
  return sign | half;
}

/** float32 value of every binary16 bit pattern, so decoding is one table look-up. */
export const FLOAT16_TABLE: Float32Array = (() => {
  const t = new Float32Array(65536);
  for (let h = 0; h < 65536; h++) {
    const s = h & 0x8000 ? -1 : 1;
    const e = (h >>> 10) & 0x1f;
    const m = h & 0x3ff;
    if (e === 0) t[h] = s * m * 2 ** -24;
    else if (e === 31) t[h] = m ? NaN : s * Infinity;
    else t[h] = s * (1 + m / 1024) * 2 ** (e - 15);
  }
  return t;
})();
