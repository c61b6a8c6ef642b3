// Checks an index's files against what the manifest (or progress record) says about them.
import { closeSync, fstatSync, openSync } from 'node:fs';
import { sha256OfFd } from '../../files/sha256.js';
import { join } from 'node:path';
import { VectorShardReader } from './shard-reader.js';
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
    const size = fstatSync(fd).size;
    if (size !== f.bytes) throw new Error(`index file ${path} is ${size} bytes, the manifest says ${f.bytes} (truncated or replaced)`);
    if (!hash) return;
    const actual = sha256OfFd(fd, `index file ${path}`, size);
    if (actual !== f.sha256) throw new Error(`index file ${path} is corrupt: sha256 ${actual}, the manifest says ${f.sha256}`);
  } finally {
    closeSync(fd);
  }
}

/** Verifies every file of one shard (vectors through the shard reader, which also checks its layout). */
export function verifyShard(dir: string, shard: ManifestShard, expect: { dims: number; dtype: VectorDType }, hash = true): void {
  const reader = VectorShardReader.open(join(dir, shard.vectors.file), {
    count: shard.count,
    dim: expect.dims,
    dtype: expect.dtype,
    ...(hash ? { sha256: shard.vectors.sha256 } : {}),
  });
  reader.close();
  verifyFile(dir, shard.docids, hash);
  if (shard.docs) verifyFile(dir, shard.docs, hash);
  if (shard.offsets) verifyFile(dir, shard.offsets, hash);
}
