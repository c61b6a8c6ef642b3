import { copyFile, mkdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';

/** huggingface_hub's folder name for a model repo: `models--org--name`. */
export function repoFolderName(repoId: string): string {
  return ['models', ...repoId.split('/')].join('--');
}

/** Refuses repo paths that would escape the snapshot folder (a hostile listing could send `../x`). */
function checkRepoPath(repoPath: string): void {
  const parts = repoPath.split('/');
  if (repoPath === '' || repoPath.startsWith('/') || repoPath.includes('\\') || parts.some((p) => p === '' || p === '.' || p === '..')) {
    throw new Error(`unsafe file path in repository listing: "${repoPath}"`);
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path); // follows symlinks: a dangling snapshot link counts as missing
    return true;
  } catch {
    return false;
  }
}

/**
 * One repo's folder in the hub cache, laid out exactly as huggingface_hub does so either tool reuses
 * the other's downloads: `blobs/<etag>`, `snapshots/<commit>/<path>` (relative symlinks into blobs),
 * `refs/<revision>` (the commit sha, no newline).
 */
export class RepoCache {
  readonly root: string;

  constructor(cacheDir: string, readonly repoId: string) {
    this.root = join(cacheDir, repoFolderName(repoId));
  }

  blobPath(etag: string): string {
    return join(this.root, 'blobs', etag);
  }

  incompletePath(etag: string): string {
    return `${this.blobPath(etag)}.incomplete`;
  }

  snapshotDir(commit: string): string {
    return join(this.root, 'snapshots', commit);
  }

  snapshotFile(commit: string, repoPath: string): string {
    checkRepoPath(repoPath);
    return join(this.snapshotDir(commit), ...repoPath.split('/'));
  }

  async readRef(revision: string): Promise<string | undefined> {
    try {
      const sha = (await readFile(join(this.root, 'refs', ...revision.split('/')), 'utf8')).trim();
      return sha === '' ? undefined : sha;
    } catch {
      return undefined;
    }
  }

  async writeRef(revision: string, commit: string): Promise<void> {
    const path = join(this.root, 'refs', ...revision.split('/'));
    if ((await this.readRef(revision)) === commit) return;
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, commit);
  }

  hasBlob(etag: string): Promise<boolean> {
    return exists(this.blobPath(etag));
  }

  hasSnapshotFile(commit: string, repoPath: string): Promise<boolean> {
    return exists(this.snapshotFile(commit, repoPath));
  }

  /** Points `snapshots/<commit>/<path>` at `blobs/<etag>` with a relative symlink (a copy where symlinks are not allowed). */
  async linkSnapshotFile(commit: string, repoPath: string, etag: string): Promise<string> {
    const pointer = this.snapshotFile(commit, repoPath);
    const blob = this.blobPath(etag);
    await mkdir(dirname(pointer), { recursive: true });
    await rm(pointer, { force: true });
    try {
      await symlink(relative(dirname(pointer), blob).split(sep).join('/'), pointer);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EACCES') throw err;
      await copyFile(blob, pointer);
    }
    return pointer;
  }
}
