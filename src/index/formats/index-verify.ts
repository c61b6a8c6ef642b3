// `densekit verify`: every file of a dense index checked at once against its manifest — sizes, shard
// headers, trailers and block tables, whole-file sha256, and every vector block's crc32 — reporting
// every problem found rather than stopping at the first.
import { shardTextFiles, verifyFile, verifyVectorFile } from './verify.js';
import { readManifest } from './manifest.js';
import { checkDocidIndexRecord, docidIndexFiles } from './docid-index.js';

export interface VerifyReport {
  /** Files checked (vector shards, docid lists, doc stores, engine files). */
  readonly files: number;
  /** One line per damaged or missing file, naming it; empty when the index is sound. */
  readonly problems: readonly string[];
}

export function verifyIndexDir(dir: string): VerifyReport {
  const manifest = readManifest(dir);
  const problems: string[] = [];
  let files = 0;
  const check = (what: () => void): void => {
    files++;
    try {
      what();
    } catch (err) {
      problems.push((err as Error).message);
    }
  };
  for (const shard of manifest.shards) {
    check(() => verifyVectorFile(dir, shard, manifest, true, 'now'));
    for (const f of shardTextFiles(shard)) check(() => verifyFile(dir, f));
  }
  for (const f of manifest.engine.files) check(() => verifyFile(dir, f));
  if (manifest.docidIndex) {
    const record = manifest.docidIndex;
    try {
      checkDocidIndexRecord(dir, record, manifest.count);
    } catch (err) {
      problems.push((err as Error).message);
    }
    for (const f of docidIndexFiles(record)) check(() => verifyFile(dir, f));
  }
  return { files, problems };
}
