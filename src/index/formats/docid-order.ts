/**
 * The docid order of an index's rows, written once when its docid list is final (see docid-index.ts),
 * so that opening sorts nothing:
 *   docids.ranks   count × u32 LE: rank[row] = the row's docid's position in ascending UTF-8 byte order
 *                  (equal docids share a rank): search breaks score ties by it, descending (trec_eval).
 *   docids.sorted  count × u32 LE: the rows ordered by (docid bytes, row), binary-searched (by pread)
 *                  to find a docid's row without loading the docids.
 * Both are raw fixed-width arrays: their sizes are checked at open, their sha256 by `densekit verify`.
 *
 * Writing sorts the docids externally: runs of RUN_IDS ids are sorted in memory and spilled to temp
 * files in the index directory, then merged. Memory: one run (~100 MB of strings for 1M ids) plus the
 * 4-byte rank of every row (35 MB for MS MARCO's 8.8M rows), whatever the corpus size otherwise.
 */
import { closeSync, openSync, rmSync, writeSync } from 'node:fs';
import { readFullyAt } from '../../files/read-at.js';
import { createHash } from 'node:crypto';
import { basename, join } from 'node:path';
import { publishFile, tempPathFor } from '../../files/atomic-write.js';
import { IdLineReader } from '../../files/id-list.js';
import { openForReading } from '../../files/open-file.js';
import { compareBytes } from '../../results/hit-order.js';
import type { ManifestFile, ManifestShard } from './manifest.js';

export const TIE_RANKS_FILE = 'docids.ranks';
export const ROWS_BY_DOCID_FILE = 'docids.sorted';

/** Ids sorted in memory per run of the external sort (exported for tests, which make it small). */
export const RUN_IDS = { value: 1 << 20 };

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** Writes a file through a temp name, buffered, hashing as it goes. */
class HashedFileWriter {
  private readonly temp: string;
  private readonly fd: number;
  private readonly hash = createHash('sha256');
  private readonly buf = Buffer.alloc(1 << 20);
  private used = 0;
  bytes = 0;

  constructor(private readonly path: string) {
    this.temp = tempPathFor(path);
    this.fd = openSync(this.temp, 'wx');
  }

  u32(v: number): void {
    if (this.used + 4 > this.buf.length) this.flush();
    this.buf.writeUInt32LE(v, this.used);
    this.used += 4;
  }

  write(data: Uint8Array): void {
    this.flush();
    this.hash.update(data);
    for (let off = 0; off < data.length; ) off += writeSync(this.fd, data, off, data.length - off);
    this.bytes += data.length;
  }

  private flush(): void {
    if (this.used === 0) return;
    const data = this.buf.subarray(0, this.used);
    this.used = 0;
    this.write(Buffer.from(data));
  }

  finish(): ManifestFile {
    this.flush();
    closeSync(this.fd);
    publishFile(this.temp, this.path);
    return { file: basename(this.path), sha256: this.hash.digest('hex'), bytes: this.bytes };
  }

  abort(): void {
    try {
      closeSync(this.fd);
    } catch {
      // already closed
    }
    rmSync(this.temp, { force: true });
  }
}

/** Positions 0..n-1 of a run ordered by (id bytes, position). */
function sortRun(ids: readonly string[]): Uint32Array {
  const order = Uint32Array.from({ length: ids.length }, (_, i) => i);
  return order.sort((a, b) => compareBytes(ids[a]!, ids[b]!) || a - b);
}

/** A spilled run, read back line by line ("row\tid"). */
class RunReader {
  private lines: string[] = [];
  private at = 0;
  id = '';
  row = 0;
  private readonly reader: IdLineReader;

  constructor(path: string) {
    this.reader = new IdLineReader(path, 'sort run');
  }

  /** Moves to the next entry; false at the end. */
  advance(): boolean {
    if (this.at === this.lines.length) {
      this.lines = this.reader.next(4096);
      this.at = 0;
      if (this.lines.length === 0) return false;
    }
    const line = this.lines[this.at++]!;
    const tab = line.indexOf('\t');
    this.row = Number(line.slice(0, tab));
    this.id = line.slice(tab + 1);
    return true;
  }

  close(): void {
    this.reader.close();
  }
}

function before(a: RunReader, b: RunReader): boolean {
  const c = compareBytes(a.id, b.id);
  return c < 0 || (c === 0 && a.row < b.row);
}

/**
 * Writes docids.ranks and docids.sorted for the shards' .ids files (in row order; `count` rows).
 * Spilled runs are temp files in `dir`, removed before returning.
 */
export function writeDocidOrder(dir: string, shards: readonly ManifestShard[], count: number): { ranks: ManifestFile; sorted: ManifestFile } {
  const runs: string[] = [];
  const ranks = new Uint32Array(count);
  const sorted = new HashedFileWriter(join(dir, ROWS_BY_DOCID_FILE));
  let ranksWriter: HashedFileWriter | undefined;
  let prev: string | undefined;
  let rank = -1, emitted = 0;
  const emit = (id: string, row: number): void => {
    if (prev === undefined || id !== prev) rank++;
    prev = id;
    ranks[row] = rank;
    sorted.u32(row);
    emitted++;
  };
  try {
    let ids: string[] = [];
    let firstRow = 0, row = 0;
    const spill = (): void => {
      const order = sortRun(ids);
      const path = tempPathFor(join(dir, 'docids.run'));
      runs.push(path);
      const fd = openSync(path, 'wx');
      try {
        for (let i = 0; i < order.length; i += 65536) {
          const part = Array.from(order.subarray(i, i + 65536), (j) => `${firstRow + j}\t${ids[j]!}\n`).join('');
          const data = Buffer.from(part, 'utf8');
          for (let off = 0; off < data.length; ) off += writeSync(fd, data, off, data.length - off);
        }
      } finally {
        closeSync(fd);
      }
      firstRow += ids.length;
      ids = [];
    };
    for (const s of shards) {
      const reader = new IdLineReader(join(dir, s.docids.file), 'index file');
      try {
        for (let got = reader.next(65536); got.length > 0; got = reader.next(65536)) {
          for (const id of got) {
            ids.push(id);
            row++;
            if (ids.length === RUN_IDS.value) spill();
          }
        }
      } finally {
        reader.close();
      }
    }
    if (row !== count) throw new Error(`index files of ${dir}: hold ${row} docids, the manifest says ${count}`);
    if (runs.length === 0) {
      // One run: no temp files.
      sortRun(ids).forEach((j) => emit(ids[j]!, j));
    } else {
      if (ids.length) spill();
      const heads = runs.map((p) => new RunReader(p));
      try {
        // A binary min-heap of the runs' current entries.
        const heap = heads.filter((r) => r.advance());
        const down = (i: number): void => {
          for (;;) {
            const l = 2 * i + 1, r = l + 1;
            let m = i;
            if (l < heap.length && before(heap[l]!, heap[m]!)) m = l;
            if (r < heap.length && before(heap[r]!, heap[m]!)) m = r;
            if (m === i) return;
            [heap[i], heap[m]] = [heap[m]!, heap[i]!];
            i = m;
          }
        };
        for (let i = (heap.length >> 1) - 1; i >= 0; i--) down(i);
        while (heap.length > 0) {
          const top = heap[0]!;
          emit(top.id, top.row);
          if (!top.advance()) {
            heap[0] = heap[heap.length - 1]!;
            heap.pop();
          }
          if (heap.length > 0) down(0);
        }
      } finally {
        heads.forEach((r) => r.close());
      }
    }
    if (emitted !== count) throw new Error(`docid sort: ${emitted} rows came out of ${count}`);
    ranksWriter = new HashedFileWriter(join(dir, TIE_RANKS_FILE));
    const bytes = Buffer.from(ranks.buffer, ranks.byteOffset, ranks.byteLength);
    if (!LITTLE_ENDIAN) bytes.swap32();
    ranksWriter.write(bytes);
    return { ranks: ranksWriter.finish(), sorted: sorted.finish() };
  } catch (err) {
    sorted.abort();
    ranksWriter?.abort();
    throw err;
  } finally {
    for (const p of runs) rmSync(p, { force: true });
  }
}

/**
 * A u32 array file read by pread in 4 KiB pages, the most recently used `maxPages` of them kept
 * (bounded memory; for indexes up to maxPages × 1024 rows the whole file ends up cached).
 */
export class U32File {
  private readonly fd: number;
  private readonly pages = new Map<number, Uint32Array>();

  constructor(readonly path: string, readonly count: number, private readonly maxPages: number) {
    this.fd = openForReading(path, 'index file');
  }

  get(i: number): number {
    if (!Number.isInteger(i) || i < 0 || i >= this.count) throw new Error(`index file ${this.path}: entry ${i} is outside 0..${this.count}`);
    const p = i >>> 10;
    let page = this.pages.get(p);
    if (page) {
      this.pages.delete(p);
    } else {
      const n = Math.min(1024, this.count - p * 1024);
      const buf = Buffer.alloc(4 * n);
      readFullyAt(this.fd, buf, p * 4096, `index file ${this.path}`);
      if (!LITTLE_ENDIAN) buf.swap32();
      page = new Uint32Array(buf.buffer, buf.byteOffset, n);
      if (this.pages.size >= this.maxPages) this.pages.delete(this.pages.keys().next().value!);
    }
    this.pages.set(p, page);
    return page[i & 1023]!;
  }

  close(): void {
    closeSync(this.fd);
  }
}
