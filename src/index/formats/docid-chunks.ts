/**
 * docids.chunks: where each row's docid lives in the shards' .ids files, so that a hit's docid is read
 * on demand (a few kB by pread) instead of every docid being loaded when an index opens. Written once,
 * when the index's docid list is final (build, merge, import, export; see docid-index.ts).
 *
 * The shards' .ids files, concatenated in manifest order, are cut into chunks of CHUNK_ROWS lines.
 * Layout (little-endian):
 *    0  8 bytes  magic "DKIDCHK1"
 *    8  u32      rows per chunk (CHUNK_ROWS)
 *   12  u32      0 (reserved)
 *   16  u64 × (chunks + 1)  byte offset of each chunk's first line in the concatenation (the last
 *                           entry is the total size of the .ids files)
 *   ..  u32 × chunks        crc32 of each chunk's bytes (its lines, "\n" included)
 * chunks = ceil(count / CHUNK_ROWS). A chunk is read whole and checked against its crc32 every time it
 * is read from disk, so a flipped byte in an .ids file (or in this file) is refused, naming the file,
 * before a wrong docid reaches a result; only `densekit verify` hashes whole files.
 */
import { closeSync } from 'node:fs';
import { readFullyAt } from '../../files/read-at.js';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { openForReading } from '../../files/open-file.js';
import type { ManifestShard } from './manifest.js';

export const DOCID_CHUNKS_FILE = 'docids.chunks';
const MAGIC = 'DKIDCHK1';
const HEADER_BYTES = 16;
/** Lines per chunk: ~2.5 kB of MS MARCO-style ids, one small read per hit. */
export const CHUNK_ROWS = 256;

export function chunkCount(count: number): number {
  return Math.ceil(count / CHUNK_ROWS);
}

export function docidChunksBytes(count: number): number {
  const chunks = chunkCount(count);
  return HEADER_BYTES + 8 * (chunks + 1) + 4 * chunks;
}

function readFully(fd: number, buf: Uint8Array, pos: number, path: string): void {
  readFullyAt(fd, buf, pos, `index file ${path}`);
}

/** The shards' .ids files as one byte sequence (files opened on first use, kept open until close). */
export class ConcatenatedIds {
  private readonly starts: number[] = [];
  private readonly fds: (number | undefined)[];
  readonly paths: string[];
  readonly bytes: number;

  constructor(dir: string, shards: readonly ManifestShard[]) {
    this.paths = shards.map((s) => join(dir, s.docids.file));
    let at = 0;
    for (const s of shards) {
      this.starts.push(at);
      at += s.docids.bytes;
    }
    this.bytes = at;
    this.fds = shards.map(() => undefined);
  }

  /** The index of the file holding byte `pos` of the concatenation. */
  fileAt(pos: number): number {
    let lo = 0, hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= pos) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Bytes [from, to) of the concatenation. */
  read(from: number, to: number): Buffer {
    const out = Buffer.allocUnsafe(to - from);
    let pos = from;
    while (pos < to) {
      const f = this.fileAt(pos);
      const end = Math.min(to, f + 1 < this.starts.length ? this.starts[f + 1]! : this.bytes);
      const fd = (this.fds[f] ??= openForReading(this.paths[f]!, 'index file'));
      readFully(fd, out.subarray(pos - from, end - from), pos - this.starts[f]!, this.paths[f]!);
      pos = end;
    }
    return out;
  }

  close(): void {
    this.fds.forEach((fd, i) => {
      if (fd !== undefined) closeSync(fd);
      this.fds[i] = undefined;
    });
  }
}

/**
 * The bytes of docids.chunks for the given shards, streamed over their .ids files once (memory: one
 * 1 MiB read buffer plus 12 bytes per chunk, i.e. 0.05 bytes per row).
 */
export function docidChunksOf(dir: string, shards: readonly ManifestShard[], count: number): Buffer {
  const chunks = chunkCount(count);
  const out = Buffer.alloc(docidChunksBytes(count));
  out.write(MAGIC, 0, 'latin1');
  out.writeUInt32LE(CHUNK_ROWS, 8);
  const crcAt = HEADER_BYTES + 8 * (chunks + 1);
  const ids = new ConcatenatedIds(dir, shards);
  try {
    const piece = 1 << 20;
    let line = 0, chunk = 0, crc = 0, chunkStart = 0;
    for (let pos = 0; pos < ids.bytes; pos += piece) {
      const data = ids.read(pos, Math.min(ids.bytes, pos + piece));
      let from = 0;
      for (let i = data.indexOf(0x0a); i >= 0; i = data.indexOf(0x0a, i + 1)) {
        line++;
        if (line % CHUNK_ROWS === 0 || line === count) {
          crc = crc32(data.subarray(from, i + 1), crc);
          if (chunk >= chunks) throw new Error(`index file ${ids.paths[ids.fileAt(pos + i)]}: more than ${count} docid lines`);
          out.writeBigUInt64LE(BigInt(chunkStart), HEADER_BYTES + 8 * chunk);
          out.writeUInt32LE(crc, crcAt + 4 * chunk);
          chunk++;
          chunkStart = pos + i + 1;
          from = i + 1;
          crc = 0;
        }
      }
      crc = crc32(data.subarray(from), crc);
    }
    if (line !== count || chunkStart !== ids.bytes) {
      throw new Error(`index files ${ids.paths.join(', ')}: hold ${line} complete docid lines${chunkStart !== ids.bytes ? ' and a last line without "\\n"' : ''}, the manifest says ${count}`);
    }
    out.writeBigUInt64LE(BigInt(ids.bytes), HEADER_BYTES + 8 * chunks);
  } finally {
    ids.close();
  }
  return out;
}

/** Chunks kept decoded in memory: 1024 × 256 ids (~15 MB of strings for MS MARCO ids) at most. */
const CACHED_CHUNKS = 1024;

/** Reads docids by row through docids.chunks, each chunk crc-checked when read from disk. */
export class DocidChunks {
  private readonly fd: number;
  private readonly cache = new Map<number, string[]>();
  private readonly head = Buffer.alloc(16);
  private readonly crcBuf = Buffer.alloc(4);

  private constructor(readonly path: string, private readonly ids: ConcatenatedIds, readonly count: number, fd: number) {
    this.fd = fd;
  }

  /** Opens the file (its size already checked against the manifest) and checks its header. */
  static open(dir: string, file: string, shards: readonly ManifestShard[], count: number): DocidChunks {
    const path = join(dir, file);
    const fd = openForReading(path, 'index file');
    try {
      const head = Buffer.alloc(HEADER_BYTES);
      readFully(fd, head, 0, path);
      if (head.toString('latin1', 0, 8) !== MAGIC) throw new Error(`index file ${path}: not a docid chunk table (magic ${JSON.stringify(head.toString('latin1', 0, 8))})`);
      if (head.readUInt32LE(8) !== CHUNK_ROWS) throw new Error(`index file ${path}: ${head.readUInt32LE(8)} rows per chunk, this densekit reads ${CHUNK_ROWS}`);
      return new DocidChunks(path, new ConcatenatedIds(dir, shards), count, fd);
    } catch (err) {
      closeSync(fd);
      throw err;
    }
  }

  docid(row: number): string {
    if (!Number.isInteger(row) || row < 0 || row >= this.count) throw new Error(`docids: row ${row} is outside 0..${this.count}`);
    return this.chunk(Math.floor(row / CHUNK_ROWS))[row % CHUNK_ROWS]!;
  }

  private chunk(c: number): string[] {
    const hit = this.cache.get(c);
    if (hit) {
      this.cache.delete(c); // re-inserted: Map order is recency order
      this.cache.set(c, hit);
      return hit;
    }
    const chunks = chunkCount(this.count);
    readFully(this.fd, this.head, HEADER_BYTES + 8 * c, this.path);
    readFully(this.fd, this.crcBuf, HEADER_BYTES + 8 * (chunks + 1) + 4 * c, this.path);
    const from = Number(this.head.readBigUInt64LE(0)), to = Number(this.head.readBigUInt64LE(8));
    const rows = Math.min(CHUNK_ROWS, this.count - c * CHUNK_ROWS);
    if (!(from < to && to <= this.ids.bytes)) throw new Error(`index file ${this.path}: chunk ${c} spans bytes ${from}..${to} of ${this.ids.bytes} (corrupt)`);
    const data = this.ids.read(from, to);
    if (crc32(data) !== this.crcBuf.readUInt32LE(0)) {
      const files = this.ids.paths.slice(this.ids.fileAt(from), this.ids.fileAt(to - 1) + 1).join(', ');
      throw new Error(`index file ${files}: docids of rows ${c * CHUNK_ROWS}..${c * CHUNK_ROWS + rows - 1} fail their crc32 check in ${this.path} (file corrupt; run densekit verify)`);
    }
    const lines = data.toString('utf8', 0, data.length - 1).split('\n');
    if (lines.length !== rows) throw new Error(`index file ${this.path}: chunk ${c} holds ${lines.length} docids, expected ${rows} (corrupt)`);
    for (let i = 0; i < lines.length; i++) if (lines[i]!.endsWith('\r')) lines[i] = lines[i]!.slice(0, -1);
    if (this.cache.size >= CACHED_CHUNKS) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(c, lines);
    return lines;
  }

  close(): void {
    closeSync(this.fd);
    this.ids.close();
  }
}
