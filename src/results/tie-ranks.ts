// Turns docids into numbers that order like the docids' bytes, so search can break ties by docid
// (descending, as trec_eval does) with integer compares.

/** rank[i] is the position of docids[i] in ascending byte order (equal docids share a rank). */
export function docidTieRanks(docids: readonly string[]): Uint32Array {
  const bytes = docids.map((d) => Buffer.from(d, 'utf8'));
  const order = bytes.map((_, i) => i).sort((a, b) => Buffer.compare(bytes[a]!, bytes[b]!));
  const ranks = new Uint32Array(docids.length);
  let rank = 0;
  for (let i = 0; i < order.length; i++) {
    if (i > 0 && Buffer.compare(bytes[order[i - 1]!]!, bytes[order[i]!]!) !== 0) rank++;
    ranks[order[i]!] = rank;
  }
  return ranks;
}

/** Tie ranks read on demand (e.g. from an index's docids.ranks file) instead of held as one array. */
export interface TieRankSource {
  readonly count: number;
  tieRank(row: number): number;
}

/** The number of rows a tie-rank array or source covers. */
export function tieRankCount(ranks: Uint32Array | TieRankSource): number {
  return ranks instanceof Uint32Array ? ranks.length : ranks.count;
}

/** A row's tie rank from an array or a source; without either, the row number itself. */
export function tieRankOf(ranks: Uint32Array | TieRankSource | undefined): (row: number) => number {
  if (!ranks) return (row) => row;
  if (ranks instanceof Uint32Array) return (row) => ranks[row]!;
  return (row) => ranks.tieRank(row);
}
