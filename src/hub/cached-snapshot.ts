import { readJsonFile } from '../files/json-file.js';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { RepoListing } from './file-selection.js';
import { isCommitSha } from './hub-spec.js';
import type { RepoCache } from './repo-cache.js';

/** Every file reachable in a snapshot folder, as repo paths; dangling links (blob deleted) are left out. */
async function listSnapshot(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    const repoPath = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    const info = await stat(full).catch(() => undefined);
    if (info?.isDirectory()) out.push(...(await listSnapshot(full, repoPath)));
    else if (info?.isFile()) out.push(repoPath);
  }
  return out;
}

/** The commit a revision points at in the cache: itself when it is a sha with a snapshot, else `refs/<revision>`. */
export async function cachedCommit(cache: RepoCache, revision: string): Promise<string | undefined> {
  if (isCommitSha(revision)) {
    const exists = await stat(cache.snapshotDir(revision)).then((s) => s.isDirectory(), () => false);
    if (exists) return revision;
  }
  return cache.readRef(revision);
}

/** A cached snapshot seen as a repo listing, so the same file selection decides whether it is complete. */
export async function snapshotListing(cache: RepoCache, commit: string): Promise<RepoListing | undefined> {
  const dir = cache.snapshotDir(commit);
  const files = await listSnapshot(dir).catch(() => undefined);
  if (files === undefined) return undefined;
  return {
    files,
    async readJson(repoPath) {
      return readJsonFile(cache.snapshotFile(commit, repoPath));
    },
  };
}
