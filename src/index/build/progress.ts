// The build's progress record (build-progress.json): the parameters and every shard committed so far.
// It is rewritten atomically after each shard, so after a crash it names exactly the shards whose files
// are complete; anything else in the directory is an uncommitted tail and is deleted on resume.
import { rmSync } from 'node:fs';
import { readJsonFileSync } from '../../files/json-file.js';
import { join } from 'node:path';
import { writeFileAtomic } from '../../files/atomic-write.js';
import type { CommittedWindow } from '../engines/engine.js';
import type { BuildParams, SliceRecord } from '../formats/manifest.js';

export const PROGRESS_FILE = 'build-progress.json';

export interface BuildProgressRecord {
  readonly params: BuildParams;
  /** Records in the whole corpus (after --skip-bad), so a changed corpus is noticed. */
  readonly totalCount: number;
  readonly slice?: SliceRecord;
  /** Every window committed so far, in order (local shards, or a remote sink's records). */
  readonly shards: readonly CommittedWindow[];
}

export function readProgress(dir: string): BuildProgressRecord | undefined {
  const path = join(dir, PROGRESS_FILE);
  try {
    const json = readJsonFileSync(path, { optional: true, object: true }) as BuildProgressRecord | undefined;
    if (json === undefined) return undefined;
    if (!json || typeof json !== 'object' || !Array.isArray(json.shards) || typeof json.params !== 'object') throw new Error('missing "params" or "shards"');
    return json;
  } catch (err) {
    // Written by rename, so it is never half-written by densekit itself.
    throw new Error(`${path}: unreadable progress record (${(err as Error).message}); delete ${dir} to start the build over`);
  }
}

export function writeProgress(dir: string, record: BuildProgressRecord): void {
  writeFileAtomic(join(dir, PROGRESS_FILE), `${JSON.stringify(record, null, 2)}\n`);
}

export function removeProgress(dir: string): void {
  rmSync(join(dir, PROGRESS_FILE), { force: true });
}

/** Human-readable differences between two parameter sets ([] when equal). */
export function paramDifferences(existing: unknown, wanted: unknown, path = ''): string[] {
  if (JSON.stringify(existing) === JSON.stringify(wanted)) return [];
  const isObj = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (isObj(existing) && isObj(wanted)) {
    const a = existing as Record<string, unknown>;
    const b = wanted as Record<string, unknown>;
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    return keys.flatMap((k) => paramDifferences(a[k], b[k], path ? `${path}.${k}` : k));
  }
  return [`${path || 'value'}: existing ${JSON.stringify(existing) ?? 'none'}, this run ${JSON.stringify(wanted) ?? 'none'}`];
}
