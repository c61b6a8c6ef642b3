// `densekit upgrade DIR`: adds what this densekit writes at build time to an index written by an
// earlier one, without re-encoding: the docid index (docid-index.ts), so the index opens without
// loading its docids. The docid files are verified first, and the manifest is rewritten atomically
// with only the `docidIndex` field added; searches give the same bytes before and after.
import { join } from 'node:path';
import { writeFileAtomic } from '../../files/atomic-write.js';
import { writeDocidIndex } from '../formats/docid-index.js';
import { MANIFEST_FILE, readManifest, readManifestJson, type DocidIndexRecord } from '../formats/manifest.js';
import { verifyFile } from '../formats/verify.js';

export interface UpgradeResult {
  /** What was added; undefined when the index needed nothing (already upgraded, a slice, or remote). */
  readonly docidIndex?: DocidIndexRecord;
  readonly reason?: string;
}

export function upgradeIndex(dir: string): UpgradeResult {
  const manifest = readManifest(dir);
  if (manifest.docidIndex) return { reason: 'it already has a docid index' };
  if (manifest.slice) return { reason: 'it is a slice (merging the slices writes the docid index)' };
  if (manifest.shards.length === 0) return { reason: `its ${manifest.engine.kind} engine keeps the vectors and docids elsewhere` };
  // Derived data must come from intact docids.
  for (const s of manifest.shards) verifyFile(dir, s.docids, true);
  const docidIndex = writeDocidIndex(dir, manifest.shards)!;
  // The raw JSON, so a format-1 manifest stays format 1 (its other fields untouched).
  const json = { ...readManifestJson(dir), docidIndex };
  writeFileAtomic(join(dir, MANIFEST_FILE), `${JSON.stringify(json, null, 2)}\n`);
  return { docidIndex };
}
