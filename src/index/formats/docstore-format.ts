/**
 * The document store of one index shard, three files beside the shard's vectors:
 *   <name>.ids           the shard's docids, UTF-8, one per line ("\n" after each), in row order;
 *   <name>.docs.jsonl    one JSON object per row: {"id", "title"?, "text"}, "\n" after each;
 *   <name>.docs.offsets  (count + 1) u64 little-endian byte offsets into docs.jsonl: row i spans
 *                        [offset[i], offset[i+1]) (the last entry is the file size).
 * Search reads the ids of the hits it prints through the index's docid index (docid-index.ts; older
 * indexes load every shard's ids), and passage text only for those hits, through the offsets.
 */
export const IDS_SUFFIX = '.ids';
export const DOCS_SUFFIX = '.docs.jsonl';
export const OFFSETS_SUFFIX = '.docs.offsets';

export type { StoredDoc } from '../../results/hits.js';

/** Why a docid cannot be stored (or undefined if it can): ids are line-delimited in the ids file. */
export function docidProblem(id: string): string | undefined {
  if (id === '') return 'is empty';
  if (/[\n\r]/.test(id)) return 'contains a line break';
  return undefined;
}
