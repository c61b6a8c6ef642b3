// `--shard i/n`: one contiguous run of whole build shards, so that slices built on different machines
// merge into exactly the shards (and bytes) a single run writes.

export interface SliceSpec {
  readonly i: number;
  readonly n: number;
}

/** Parses "i/n" with 0 ≤ i < n (slices are numbered from 0). */
export function parseSliceSpec(spec: string): SliceSpec {
  const m = /^(\d+)\/(\d+)$/.exec(spec.trim());
  if (!m) throw new Error(`--shard must look like i/n (e.g. 0/4 … 3/4), got ${JSON.stringify(spec)}`);
  const i = Number(m[1]);
  const n = Number(m[2]);
  if (n < 1 || i >= n) throw new Error(`--shard ${spec}: need 0 ≤ i < n (slices are numbered from 0)`);
  return { i, n };
}

/**
 * Shards [first, first + count) of a corpus of `total` records cut into shards of `shardSize`. Whole
 * shards are dealt out in order as evenly as they go: slice sizes differ by at most one shard, and a
 * slice is empty only when the corpus has fewer shards than slices (then a smaller shard size splits it).
 */
export function sliceShards(total: number, shardSize: number, slice: SliceSpec | undefined): { first: number; count: number } {
  const shards = Math.ceil(total / shardSize);
  if (!slice) return { first: 0, count: shards };
  const first = Math.floor((slice.i * shards) / slice.n);
  const end = Math.floor(((slice.i + 1) * shards) / slice.n);
  return { first, count: end - first };
}

/** Why slice `slice` of `total` records is empty and how to fix it, or undefined when it holds records. */
export function emptySliceAdvice(total: number, shardSize: number, slice: SliceSpec): string | undefined {
  if (sliceShards(total, shardSize, slice).count > 0) return undefined;
  const shards = Math.ceil(total / shardSize);
  const fits = Math.max(1, Math.floor(total / slice.n));
  return `slice ${slice.i}/${slice.n} is empty: the corpus's ${total} records make ${shards} shard(s) of --shard-size ${shardSize}, ` +
    `fewer than ${slice.n} slices; build every slice with --shard-size ${fits} or less to give each one records ` +
    '(an empty slice still merges correctly)';
}

export function shardName(k: number): string {
  return `shard-${String(k).padStart(5, '0')}`;
}

export const VECTORS_SUFFIX = '.vec';
