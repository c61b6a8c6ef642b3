// Every file densekit publishes goes through here: written to a temp name, fsynced, then renamed,
// so a reader (or a resumed build) sees either the whole file or none of it, even after SIGKILL.
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { sha256Hex } from './sha256.js';

/** Prefix of every temp file a build writes; a resumed build deletes leftovers with it. */
export const TEMP_PREFIX = '.';
export const TEMP_MARKER = '.tmp-';

export function tempPathFor(path: string): string {
  return join(dirname(path), `${TEMP_PREFIX}${basename(path)}${TEMP_MARKER}${process.pid}-${randomBytes(4).toString('hex')}`);
}

/** True for names tempPathFor (or the vector shard writer, which uses the same scheme) produces. */
export function isTempFileName(name: string): boolean {
  return name.startsWith(TEMP_PREFIX) && name.includes(TEMP_MARKER);
}

/** Opens `path` (a file or a directory), fsyncs it and closes it again. */
function fsyncPath(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** fsyncs a directory so a rename inside it survives a crash; skipped where the OS refuses. */
export function syncDir(dir: string): void {
  try {
    fsyncPath(dir);
  } catch {
    // Some filesystems do not fsync directories; the rename itself still stands.
  }
}

/**
 * Puts a finished temp file (from tempPathFor, closed or not yet fsynced) in place: fsync, rename,
 * directory fsync. On failure the temp file is removed and `path` is untouched.
 */
export function publishFile(temp: string, path: string): void {
  try {
    fsyncPath(temp);
    renameSync(temp, path);
  } catch (err) {
    rmSync(temp, { force: true });
    throw err;
  }
  syncDir(dirname(path));
}

/** Writes `data` to `path` atomically (temp file + fsync + rename + directory fsync); returns its sha256. */
export function writeFileAtomic(path: string, data: Uint8Array | string): string {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const temp = tempPathFor(path);
  const fd = openSync(temp, 'wx');
  try {
    let off = 0;
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
  } catch (err) {
    closeSync(fd);
    rmSync(temp, { force: true });
    throw err;
  }
  closeSync(fd);
  publishFile(temp, path);
  return sha256Hex(bytes);
}
