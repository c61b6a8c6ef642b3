// Reads the document stores of an index's shards (see docstore-format.ts): all docids up front, passage
// text on demand by row number.
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { readIdList } from '../../files/id-list.js';
import type { ManifestShard } from './manifest.js';
import type { StoredDoc } from './docstore-format.js';

interface ShardDocs {
  readonly start: number;
  readonly count: number;
  readonly docsPath?: string;
  readonly fd?: number;
  readonly offsets?: Buffer;
}

export class DocStore {
  /** docids[row] for every row of the index, in row order. */
  readonly docids: readonly string[];
  /** True when every shard stores passage text (imported vectors have ids only). */
  readonly hasText: boolean;
  private readonly shards: ShardDocs[];

  private constructor(docids: string[], shards: ShardDocs[]) {
    this.docids = docids;
    this.shards = shards;
    this.hasText = shards.every((s) => s.fd !== undefined || s.count === 0);
  }

  static open(dir: string, shards: readonly ManifestShard[]): DocStore {
    const docids: string[] = [];
    const out: ShardDocs[] = [];
    try {
      for (const s of shards) {
        const idsPath = join(dir, s.docids.file);
        const ids = readIdList(idsPath);
        if (ids.length !== s.count) {
          throw new Error(`index file ${idsPath} holds ${ids.length} docids, the manifest says ${s.count}`);
        }
        const start = docids.length;
        for (const id of ids) docids.push(id);
        if (s.docs && s.offsets) {
          const offsetsPath = join(dir, s.offsets.file);
          const offsets = readFileSync(offsetsPath);
          if (offsets.length !== 8 * (s.count + 1)) throw new Error(`index file ${offsetsPath} is ${offsets.length} bytes, expected ${8 * (s.count + 1)}`);
          const docsPath = join(dir, s.docs.file);
          out.push({ start, count: s.count, docsPath, fd: openSync(docsPath, 'r'), offsets });
        } else {
          out.push({ start, count: s.count });
        }
      }
    } catch (err) {
      for (const s of out) if (s.fd !== undefined) closeSync(s.fd);
      throw err;
    }
    return new DocStore(docids, out);
  }

  /** The stored passage at `row`; undefined when its shard stores ids only. */
  document(row: number): StoredDoc | undefined {
    if (!Number.isInteger(row) || row < 0 || row >= this.docids.length) throw new Error(`doc store: row ${row} is outside 0..${this.docids.length}`);
    let lo = 0;
    let hi = this.shards.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.shards[mid]!.start <= row) lo = mid;
      else hi = mid - 1;
    }
    while (this.shards[lo]!.count === 0 || row >= this.shards[lo]!.start + this.shards[lo]!.count) lo++;
    const s = this.shards[lo]!;
    if (s.fd === undefined || !s.offsets) return undefined;
    const local = row - s.start;
    const from = Number(s.offsets.readBigUInt64LE(8 * local));
    const to = Number(s.offsets.readBigUInt64LE(8 * (local + 1)));
    const buf = Buffer.alloc(to - from);
    let done = 0;
    while (done < buf.length) {
      const n = readSync(s.fd, buf, done, buf.length - done, from + done);
      if (n === 0) throw new Error(`index file ${s.docsPath}: unexpected end of file at byte ${from + done}`);
      done += n;
    }
    let doc: StoredDoc;
    try {
      doc = JSON.parse(buf.toString('utf8')) as StoredDoc;
    } catch (err) {
      throw new Error(`index file ${s.docsPath}: row ${local} is not valid JSON (${(err as Error).message}); the file is corrupt`);
    }
    if (doc.id !== this.docids[row]) throw new Error(`index file ${s.docsPath}: row ${local} holds id ${JSON.stringify(doc.id)}, the ids file says ${JSON.stringify(this.docids[row])}`);
    return doc;
  }

  close(): void {
    for (const s of this.shards) if (s.fd !== undefined) closeSync(s.fd);
  }
}
