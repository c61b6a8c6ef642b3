// Writes one shard's document store (see docstore-format.ts). A shard's records are already in memory
// (one build window), so each file is assembled whole and published atomically.
import { join } from 'node:path';
import { writeFileAtomic } from '../../files/atomic-write.js';
import { DOCS_SUFFIX, IDS_SUFFIX, OFFSETS_SUFFIX, type StoredDoc } from './docstore-format.js';

export interface StoredFile {
  readonly file: string;
  readonly sha256: string;
  readonly bytes: number;
}

export interface DocstoreFiles {
  readonly docids: StoredFile;
  readonly docs: StoredFile;
  readonly offsets: StoredFile;
}

function putFile(dir: string, file: string, data: Buffer): StoredFile {
  return { file, sha256: writeFileAtomic(join(dir, file), data), bytes: data.length };
}

/** Writes `<dir>/<name>.ids` alone: the doc store of imported vectors, which come without text. */
export function writeShardIds(dir: string, name: string, ids: readonly string[]): { docids: StoredFile } {
  return { docids: putFile(dir, name + IDS_SUFFIX, Buffer.from(ids.map((id) => `${id}\n`).join(''), 'utf8')) };
}

/** Writes `<dir>/<name>.ids`, `.docs.jsonl` and `.docs.offsets` for `docs` in row order. */
export function writeShardDocstore(dir: string, name: string, docs: readonly StoredDoc[]): DocstoreFiles {
  const lines: Buffer[] = [];
  const offsets = Buffer.alloc(8 * (docs.length + 1));
  let pos = 0;
  docs.forEach((d, i) => {
    const line = Buffer.from(`${JSON.stringify(d.title !== undefined ? { id: d.id, title: d.title, text: d.text } : { id: d.id, text: d.text })}\n`, 'utf8');
    offsets.writeBigUInt64LE(BigInt(pos), 8 * i);
    lines.push(line);
    pos += line.length;
  });
  offsets.writeBigUInt64LE(BigInt(pos), 8 * docs.length);
  const body = Buffer.concat(lines);
  // No order is needed for safety: the files count only once the progress record names them.
  const docsFile = putFile(dir, name + DOCS_SUFFIX, body);
  const offsetsFile = putFile(dir, name + OFFSETS_SUFFIX, offsets);
  return { ...writeShardIds(dir, name, docs.map((d) => d.id)), docs: docsFile, offsets: offsetsFile };
}
