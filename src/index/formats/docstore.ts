// Reads the document stores of an index's shards (see docstore-format.ts): passage text on demand by
// row number, through each shard's offsets file (16 bytes read per passage, nothing loaded at open).
// Opening reads no text: with `checkOnFirstRead`, a shard's two files are hashed against the manifest
// the first time one of its passages is read (a few MB per shard), so a store of MS MARCO's ~3 GB of
// text opens at once and a damaged file is still refused, by name, before its text is served.
import { closeSync, fstatSync, openSync } from 'node:fs';
import { readFullyAt } from '../../files/read-at.js';
import { join } from 'node:path';
import type { ManifestFile, ManifestShard } from './manifest.js';
import type { StoredDoc } from './docstore-format.js';
import { verifyOpenFile } from './verify.js';

interface ShardDocs {
  readonly start: number;
  readonly count: number;
  readonly docsPath?: string;
  readonly fd?: number;
  readonly offsetsPath?: string;
  readonly offsetsFd?: number;
  /** The manifest's record of the docs and offsets files, still to be hashed before the first read. */
  unchecked?: readonly { file: ManifestFile; fd: number; path: string }[];
}

function readAt(fd: number, buf: Buffer, pos: number, path: string): void {
  readFullyAt(fd, buf, pos, `index file ${path}`);
}

export class DocStore {
  /** True when every shard stores passage text (imported vectors have ids only). */
  readonly hasText: boolean;
  private readonly shards: ShardDocs[];
  private readonly count: number;
  private readonly span = Buffer.alloc(16);

  private constructor(shards: ShardDocs[], private readonly docidOf: (row: number) => string) {
    this.shards = shards;
    this.count = shards.reduce((n, s) => n + s.count, 0);
    this.hasText = shards.every((s) => s.fd !== undefined || s.count === 0);
  }

  /**
   * `docidOf` gives a row's docid (from the index's docids), checked against each passage read;
   * `checkOnFirstRead` hashes each shard's files against the manifest before its first passage is read.
   */
  static open(dir: string, shards: readonly ManifestShard[], docidOf: (row: number) => string, checkOnFirstRead = false): DocStore {
    const out: ShardDocs[] = [];
    const fds: number[] = [];
    try {
      let start = 0;
      for (const s of shards) {
        if (s.docs && s.offsets) {
          const offsetsPath = join(dir, s.offsets.file);
          const offsetsFd = openSync(offsetsPath, 'r');
          fds.push(offsetsFd);
          const size = fstatSync(offsetsFd).size;
          if (size !== 8 * (s.count + 1)) throw new Error(`index file ${offsetsPath} is ${size} bytes, expected ${8 * (s.count + 1)}`);
          const docsPath = join(dir, s.docs.file);
          const fd = openSync(docsPath, 'r');
          fds.push(fd);
          const unchecked = checkOnFirstRead
            ? [{ file: s.docs, fd, path: docsPath }, { file: s.offsets, fd: offsetsFd, path: offsetsPath }]
            : undefined;
          out.push({ start, count: s.count, docsPath, fd, offsetsPath, offsetsFd, ...(unchecked ? { unchecked } : {}) });
        } else {
          out.push({ start, count: s.count });
        }
        start += s.count;
      }
    } catch (err) {
      for (const fd of fds) closeSync(fd);
      throw err;
    }
    return new DocStore(out, docidOf);
  }

  /** The stored passage at `row`; undefined when its shard stores ids only. */
  document(row: number): StoredDoc | undefined {
    if (!Number.isInteger(row) || row < 0 || row >= this.count) throw new Error(`doc store: row ${row} is outside 0..${this.count}`);
    let lo = 0;
    let hi = this.shards.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.shards[mid]!.start <= row) lo = mid;
      else hi = mid - 1;
    }
    while (this.shards[lo]!.count === 0 || row >= this.shards[lo]!.start + this.shards[lo]!.count) lo++;
    const s = this.shards[lo]!;
    if (s.fd === undefined || s.offsetsFd === undefined) return undefined;
    if (s.unchecked) {
      for (const f of s.unchecked) verifyOpenFile(f.fd, f.path, f.file);
      delete s.unchecked;
    }
    const local = row - s.start;
    readAt(s.offsetsFd, this.span, 8 * local, s.offsetsPath!);
    const from = Number(this.span.readBigUInt64LE(0));
    const to = Number(this.span.readBigUInt64LE(8));
    if (!(from <= to && to - from < 2 ** 31)) throw new Error(`index file ${s.offsetsPath}: row ${local} spans bytes ${from}..${to} (file corrupt)`);
    const buf = Buffer.alloc(to - from);
    readAt(s.fd, buf, from, s.docsPath!);
    let doc: StoredDoc;
    try {
      doc = JSON.parse(buf.toString('utf8')) as StoredDoc;
    } catch (err) {
      throw new Error(`index file ${s.docsPath}: row ${local} is not valid JSON (${(err as Error).message}); the file is corrupt`);
    }
    const id = this.docidOf(row);
    if (doc.id !== id) throw new Error(`index file ${s.docsPath}: row ${local} holds id ${JSON.stringify(doc.id)}, the ids file says ${JSON.stringify(id)}`);
    return doc;
  }

  close(): void {
    for (const s of this.shards) {
      if (s.fd !== undefined) closeSync(s.fd);
      if (s.offsetsFd !== undefined) closeSync(s.offsetsFd);
    }
  }
}
