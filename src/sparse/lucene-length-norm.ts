// Lucene stores each document's field length in one byte (SmallFloat.intToByte4): exact below 24,
// then 4 significant bits. BM25 scores with the decoded (rounded-down) length, so reproducing
// Lucene's scores needs the same encoding.

/** Lucene's SmallFloat.longToInt4: a float-like encoding with 3 stored mantissa bits and an exponent. */
function longToInt4(i: number): number {
  const numBits = i === 0 ? 0 : Math.floor(Math.log2(i)) + 1;
  if (numBits < 4) return i; // subnormal: stored as is
  const shift = numBits - 4;
  // Keep the 4 most significant bits, drop the implicit leading one, and store shift + 1 above them.
  return (Math.floor(i / 2 ** shift) & 0x07) | ((shift + 1) << 3);
}

function int4ToLong(i: number): number {
  const bits = i & 0x07;
  const shift = (i >>> 3) - 1;
  return shift === -1 ? bits : (bits | 0x08) * 2 ** shift;
}

/** Byte values below this encode the length itself: 255 - longToInt4(2^31 - 1) = 24. */
const NUM_FREE_VALUES = 255 - longToInt4(2 ** 31 - 1);

/** SmallFloat.intToByte4: a field length (0 … 2^31-1) to its one-byte norm (0 … 255). */
export function lengthToNormByte(length: number): number {
  if (!Number.isInteger(length) || length < 0 || length > 2 ** 31 - 1) {
    throw new RangeError(`field length must be an integer in [0, 2^31-1], got ${length}`);
  }
  return length < NUM_FREE_VALUES ? length : NUM_FREE_VALUES + longToInt4(length - NUM_FREE_VALUES);
}

/** SmallFloat.byte4ToInt: the length a norm byte stands for. */
export function normByteToLength(normByte: number): number {
  const i = normByte & 0xff;
  return i < NUM_FREE_VALUES ? i : NUM_FREE_VALUES + int4ToLong(i - NUM_FREE_VALUES);
}

/** BM25Similarity.LENGTH_TABLE: the decoded length of each of the 256 norm bytes. */
export const LENGTH_TABLE: Float32Array = Float32Array.from({ length: 256 }, (_, i) => normByteToLength(i));
