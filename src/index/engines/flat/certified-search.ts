// What the flat engine's two exact searches (FlatIndex in memory, ShardScanIndex over the shard
// files) share: input checks, the run-then-rerun driver of their certificates, and query quantisation.
import type { RowHits, SearchOptions } from '../../formats/vector-types.js';
import { tieRankCount, tieRankOf } from '../../../results/tie-ranks.js';

/** One query's answer from a batch: its k best (score descending) and whether the certificate held. */
export interface CertifiedAnswer {
  readonly ids: number[];
  readonly scores: number[];
  readonly certified: boolean;
}

/**
 * Checks k, the queries and tie ranks, then answers every query in batches of `queryBatch`. A query
 * whose certificate fails reruns once with its k-th exact score as a floor (a proven lower bound on
 * the final k-th score), which certifies by construction. `run` gets the batch's queries, k (at most
 * count), their floors (-Infinity when none) and the tie rank of a row.
 */
export async function certifiedSearch(
  label: string,
  index: { readonly dim: number; readonly count: number },
  queries: readonly Float32Array[],
  k: number,
  options: SearchOptions,
  queryBatch: number,
  run: (queries: Float32Array[], k: number, floors: number[], tie: (row: number) => number) => Promise<CertifiedAnswer[]>,
): Promise<RowHits & { reruns: number }> {
  if (!Number.isInteger(k) || k < 0) throw new Error(`${label}: k must be a non-negative integer, got ${k}`);
  queries.forEach((q, i) => {
    if (q.length !== index.dim) throw new Error(`${label}: query ${i} has ${q.length} values, index dim is ${index.dim}`);
    for (const v of q) if (!Number.isFinite(v)) throw new Error(`${label}: query ${i} holds a non-finite value`);
  });
  const { tieRanks } = options;
  if (tieRanks && tieRankCount(tieRanks) !== index.count) throw new Error(`${label}: tieRanks has ${tieRankCount(tieRanks)} entries for ${index.count} rows`);
  const kk = Math.min(k, index.count);
  const ids: number[][] = queries.map(() => []);
  const scores: number[][] = queries.map(() => []);
  if (kk === 0) return { ids, scores, reruns: 0 };
  const tie = tieRankOf(tieRanks);
  const floors = new Float64Array(queries.length).fill(-Infinity);
  let pending = queries.map((_, i) => i);
  let reruns = 0;
  for (let pass = 0; pending.length > 0; pass++) {
    const failed: number[] = [];
    for (let b = 0; b < pending.length; b += queryBatch) {
      const batch = pending.slice(b, b + queryBatch);
      const answered = await run(batch.map((i) => queries[i]!), kk, batch.map((i) => floors[i]!), tie);
      answered.forEach((a, j) => {
        const qi = batch[j]!;
        if (a.certified) {
          ids[qi] = a.ids;
          scores[qi] = a.scores;
        } else if (pass > 0) {
          throw new Error(`${label}: internal error, a rerun with a proven floor failed to certify`);
        } else {
          floors[qi] = a.scores[a.scores.length - 1]!;
          failed.push(qi);
        }
      });
    }
    if (pass === 0) reruns = failed.length;
    pending = failed;
  }
  return { ids, scores, reruns };
}

/** A query quantised to integer codes c_j = round(q_j / t), |c_j| ≤ levels, with the norms the bounds need. */
export interface QuantizedQuery {
  /** The scale t (q̂ = t · c). */
  readonly scale: number;
  /** |q|, |q − q̂| and |q̂|, in float64. */
  readonly norm: number;
  readonly errorNorm: number;
  readonly quantizedNorm: number;
}

/**
 * Writes q's codes plus `zero` (uint8 around a zero point) to out[at..at+dim). `scale` maps max|q_j| to
 * the scale (callers differ only in whether it is rounded to float32).
 */
export function quantizeQuery(
  q: Float32Array, levels: number, zero: number, out: Uint8Array, at: number, scale: (maxAbs: number) => number,
): QuantizedQuery {
  const dim = q.length;
  let maxAbs = 0;
  for (let j = 0; j < dim; j++) maxAbs = Math.max(maxAbs, Math.abs(q[j]!));
  const t = scale(maxAbs);
  let qn2 = 0, err2 = 0, qh2 = 0;
  for (let j = 0; j < dim; j++) {
    const c = t === 0 ? 0 : Math.max(-levels, Math.min(levels, Math.round(q[j]! / t)));
    out[at + j] = c + zero;
    const qh = t * c;
    qn2 += q[j]! * q[j]!;
    err2 += (q[j]! - qh) * (q[j]! - qh);
    qh2 += qh * qh;
  }
  return { scale: t, norm: Math.sqrt(qn2), errorNorm: Math.sqrt(err2), quantizedNorm: Math.sqrt(qh2) };
}
