// Lucene 9's BM25Similarity, in 32-bit float arithmetic like the Java original (Math.fround after every
// operation), so that scores match Lucene's to the last bit and ties fall the same way. Lucene 8+ drops
// BM25's constant (k1 + 1) factor; it does not change rankings.
import { LENGTH_TABLE } from './lucene-length-norm.js';

const f = Math.fround;

/** idf = ln(1 + (N - df + 0.5) / (df + 0.5)), computed in double and stored as float. */
export function bm25Idf(docFreq: number, docCount: number): number {
  return f(Math.log(1 + (docCount - docFreq + 0.5) / (docFreq + 0.5)));
}

/** avgdl = sumTotalTermFreq / docCount (docCount = documents with at least one term in the field). */
export function bm25AverageLength(sumTotalTermFreq: number, docCount: number): number {
  return docCount === 0 ? 1 : f(sumTotalTermFreq / docCount);
}

/** Lucene's per-query cache: 1 / (k1 * ((1 - b) + b * dl / avgdl)) for each of the 256 norm bytes. */
export function bm25NormInverseCache(k1: number, b: number, avgdl: number): Float32Array {
  const k1f = f(k1);
  const bf = f(b);
  const oneMinusB = f(1 - bf);
  const cache = new Float32Array(256);
  for (let i = 0; i < 256; i++) {
    cache[i] = f(1 / f(k1f * f(oneMinusB + f(f(bf * LENGTH_TABLE[i]!) / avgdl))));
  }
  return cache;
}

/**
 * One term's score in one document: weight - weight / (1 + freq * normInverse), where
 * weight = boost * idf (Lucene's rewrite of weight * freq / (freq + k1 * (1 - b + b * dl / avgdl))).
 */
export function bm25TermScore(weight: number, freq: number, normInverse: number): number {
  return f(weight - f(weight / f(1 + f(freq * normInverse))));
}
