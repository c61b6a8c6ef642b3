/**
 * An index's docids by row: the docid of a hit, its tie rank (trec_eval's order among equal scores) and
 * the row of a docid. Indexes whose manifest records `docidIndex` (written by build, merge, import and
 * export since format 2.1; or by `densekit upgrade`) answer from three derived files read on demand:
 * docids.chunks (docid-chunks.ts), docids.ranks and docids.sorted (docid-order.ts); opening reads
 * only their headers, and memory stays a constant (a few caches of at most ~25 MB) whatever the corpus
 * size. Older indexes load every docid and sort them on first use, as before.
 */
import { join } from 'node:path';
import { readIdList } from '../../files/id-list.js';
import { writeFileAtomic } from '../../files/atomic-write.js';
import { compareBytes } from '../../results/hit-order.js';
import { docidTieRanks, type TieRankSource } from '../../results/tie-ranks.js';
import { DocidChunks, docidChunksBytes, docidChunksOf, DOCID_CHUNKS_FILE } from './docid-chunks.js';
import { U32File, writeDocidOrder } from './docid-order.js';
import type { DocidIndexRecord, ManifestFile, ManifestShard } from './manifest.js';
import { verifyFile } from './verify.js';

/** The docids of an index's rows. */
export interface RowDocids extends TieRankSource {
  readonly count: number;
  docid(row: number): string;
  /** The first row holding `docid`, or undefined. */
  rowOf(docid: string): number | undefined;
  close(): void;
}

/** Tie-rank pages kept in memory: 2048 × 4 KiB = 8 MiB (a 2M-row index's whole file). */
const RANK_PAGES = 2048;
/** Pages of docids.sorted kept: binary searches share their first steps. */
const SORTED_PAGES = 256;

/** Every file name the docid index uses (a resumed build deletes stale ones). */
export const DOCID_INDEX_FILE = /^docids\.(chunks|ranks|sorted)$/;

/**
 * Writes the three derived docid files of a finished index's shards and returns their manifest record
 * (undefined for an index without local shards).
 */
export function writeDocidIndex(dir: string, shards: readonly ManifestShard[]): DocidIndexRecord | undefined {
  if (shards.length === 0) return undefined;
  const count = shards.reduce((n, s) => n + s.count, 0);
  const chunks = docidChunksOf(dir, shards, count);
  const chunksFile: ManifestFile = { file: DOCID_CHUNKS_FILE, sha256: writeFileAtomic(join(dir, DOCID_CHUNKS_FILE), chunks), bytes: chunks.length };
  const { ranks, sorted } = writeDocidOrder(dir, shards, count);
  return { chunks: chunksFile, ranks, sorted };
}

/** The files of a docid index record. */
export function docidIndexFiles(record: DocidIndexRecord): ManifestFile[] {
  return [record.chunks, record.ranks, record.sorted];
}

/** Checks that the manifest records the sizes `count` rows need for each file of a docid index. */
export function checkDocidIndexRecord(dir: string, record: DocidIndexRecord, count: number): void {
  const expected: [ManifestFile, number][] = [[record.chunks, docidChunksBytes(count)], [record.ranks, 4 * count], [record.sorted, 4 * count]];
  for (const [f, bytes] of expected) {
    if (f.bytes !== bytes) throw new Error(`${join(dir, 'manifest.json')}: field "docidIndex": ${f.file} is recorded as ${f.bytes} bytes, ${count} rows need ${bytes}`);
  }
}

class DocidFiles implements RowDocids {
  private constructor(
    private readonly chunks: DocidChunks,
    private readonly ranks: U32File,
    private readonly sorted: U32File,
    readonly count: number,
  ) {}

  static open(dir: string, record: DocidIndexRecord, shards: readonly ManifestShard[], count: number): DocidFiles {
    // Sizes only: contents are checked chunk by chunk (docids) or by `densekit verify` (ranks, order).
    checkDocidIndexRecord(dir, record, count);
    for (const f of docidIndexFiles(record)) verifyFile(dir, f, false);
    const opened: { close(): void }[] = [];
    try {
      const chunks = DocidChunks.open(dir, record.chunks.file, shards, count);
      opened.push(chunks);
      const ranks = new U32File(join(dir, record.ranks.file), count, RANK_PAGES);
      opened.push(ranks);
      const sorted = new U32File(join(dir, record.sorted.file), count, SORTED_PAGES);
      return new DocidFiles(chunks, ranks, sorted, count);
    } catch (err) {
      opened.forEach((f) => f.close());
      throw err;
    }
  }

  docid(row: number): string {
    return this.chunks.docid(row);
  }

  tieRank(row: number): number {
    return this.ranks.get(row);
  }

  rowOf(docid: string): number | undefined {
    let lo = 0, hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareBytes(this.docid(this.sorted.get(mid)), docid) < 0) lo = mid + 1;
      else hi = mid;
    }
    if (lo === this.count) return undefined;
    const row = this.sorted.get(lo);
    return this.docid(row) === docid ? row : undefined;
  }

  close(): void {
    this.chunks.close();
    this.ranks.close();
    this.sorted.close();
  }
}

/** Every docid in memory, tie ranks sorted on first use: indexes written before the docid index. */
export class DocidList implements RowDocids {
  private ranks: Uint32Array | undefined;
  private rows: Map<string, number> | undefined;

  constructor(readonly ids: readonly string[]) {}

  get count(): number {
    return this.ids.length;
  }

  docid(row: number): string {
    const id = this.ids[row];
    if (id === undefined) throw new Error(`docids: row ${row} is outside 0..${this.ids.length}`);
    return id;
  }

  tieRank(row: number): number {
    return (this.ranks ??= docidTieRanks(this.ids))[row]!;
  }

  rowOf(docid: string): number | undefined {
    if (!this.rows) {
      const map = new Map<string, number>();
      this.ids.forEach((id, row) => {
        if (!map.has(id)) map.set(id, row);
      });
      this.rows = map;
    }
    return this.rows.get(docid);
  }

  close(): void {}
}

/** Every docid of the shards, in row order, each .ids file checked against its shard's count. */
export function readAllDocids(dir: string, shards: readonly ManifestShard[]): string[] {
  const docids: string[] = [];
  for (const s of shards) {
    const path = join(dir, s.docids.file);
    const ids = readIdList(path);
    if (ids.length !== s.count) throw new Error(`index file ${path} holds ${ids.length} docids, the manifest says ${s.count}`);
    for (const id of ids) docids.push(id);
  }
  return docids;
}

/** The docids of an index: from its docid index when the manifest records one, else loaded whole. */
export function openRowDocids(dir: string, manifest: { readonly shards: readonly ManifestShard[]; readonly count: number; readonly docidIndex?: DocidIndexRecord | undefined }): RowDocids {
  if (manifest.docidIndex) return DocidFiles.open(dir, manifest.docidIndex, manifest.shards, manifest.count);
  return new DocidList(readAllDocids(dir, manifest.shards));
}
