// Checks an index's files against what the manifest (or progress record) says about them.
import { closeSync, fstatSync, openSync } from 'node:fs';
import { sha256OfFd } from '../../files/sha256.js';
import { join } from 'node:path';
import { VectorShardReader } from './shard-reader.js';
import { SHARD_VERSION_BLOCKED, SHARD_VERSION_ROWS } from './shard-format.js';
import type { ManifestFile, ManifestShard } from './manifest.js';
import type { VectorDType } from './vector-types.js';

/** Refuses a file that is missing, of the wrong size, or (with `hash`) of the wrong sha256, naming it. */
export function verifyFile(dir: string, f: ManifestFile, hash = true): void {
  const path = join(dir, f.file);
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    throw new Error(`index file ${path} is missing or unreadable (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  try {
    verifyOpenFile(fd, path, f, hash);
  } finally {
    closeSync(fd);
  }
}

/** verifyFile on a file already open as `fd`. */
export function verifyOpenFile(fd: number, path: string, f: ManifestFile, hash = true): void {
  const size = fstatSync(fd).size;
  if (size !== f.bytes) throw new Error(`index file ${path} is ${size} bytes, the manifest says ${f.bytes} (truncated or replaced)`);
  if (!hash) return;
  const actual = sha256OfFd(fd, `index file ${path}`, size);
  if (actual !== f.sha256) throw new Error(`index file ${path} is corrupt: sha256 ${actual}, the manifest says ${f.sha256}`);
}

/**
 * Verifies every file of one shard (vectors through the shard reader, which also checks its layout).
 * With `hash`: version 1 vector files are hashed whole; version 2 (blocked) ones only with blocks
 * 'now' (sha256 of the file plus every block's crc32), since with 'lazy' (opening for search) each
 * block is checked against its crc32 the first time it is read, which keeps opening free of reads.
 */
export function verifyShard(
  dir: string, shard: ManifestShard, expect: { dims: number; dtype: VectorDType }, hash = true, blocks: 'lazy' | 'now' = 'lazy',
): void {
  verifyVectorFile(dir, shard, expect, hash, blocks);
  for (const f of shardTextFiles(shard)) verifyFile(dir, f, hash);
}

/** A shard's files other than its vectors: docids, and the doc store when it has one. */
export function shardTextFiles(shard: ManifestShard): ManifestFile[] {
  return [shard.docids, ...(shard.docs ? [shard.docs] : []), ...(shard.offsets ? [shard.offsets] : [])];
}

/** The vector file part of verifyShard. */
export function verifyVectorFile(
  dir: string, shard: ManifestShard, expect: { dims: number; dtype: VectorDType }, hash: boolean, blocks: 'lazy' | 'now',
): void {
  const reader = VectorShardReader.open(join(dir, shard.vectors.file), { count: shard.count, dim: expect.dims, dtype: expect.dtype });
  try {
    if (reader.bytes !== shard.vectors.bytes) {
      throw new Error(`index file ${reader.path} is ${reader.bytes} bytes, the manifest says ${shard.vectors.bytes} (truncated or replaced)`);
    }
    if (hash && (reader.version === SHARD_VERSION_ROWS || blocks === 'now')) {
      const actual = reader.sha256();
      if (actual !== shard.vectors.sha256) throw new Error(`vector shard ${reader.path}: checksum mismatch: sha256 is ${actual}, expected ${shard.vectors.sha256} (file corrupt)`);
    }
    if (hash && reader.version === SHARD_VERSION_BLOCKED && blocks === 'now') reader.checkAllBlocks();
  } finally {
    reader.close();
  }
}
