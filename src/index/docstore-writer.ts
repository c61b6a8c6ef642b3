// Writes one shard's document store (see docstore-format.ts). A shard's records are already in memory
// (one build window), so each file is assembled whole and published atomically.
import { join } from 'node:path';
import { writeFileAtomic } from './build-atomic-write.js';
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

/** Writes `<dir>/<name>.ids`, `.docs.jsonl` and `.docs.offsets` for `docs` in row order. */
export function writeShardDocstore(dir: string, name: string, docs: readonly StoredDoc[]): DocstoreFiles {
  const ids = Buffer.from(docs.map((d) => `${d.id}\n`).join(''), 'utf8');
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
  const put = (suffix: string, data: Buffer): StoredFile => {
    const file = name + suffix;
    return { file, sha256: writeFileAtomic(join(dir, file), data), bytes: data.length };
  };
  // No order is needed for safety: the files count only once the progress record names them.
  const docsFile = put(DOCS_SUFFIX, body);
  const offsetsFile = put(OFFSETS_SUFFIX, offsets);
  const docidsFile = put(IDS_SUFFIX, ids);
  return { docids: docidsFile, docs: docsFile, offsets: offsetsFile };
}
