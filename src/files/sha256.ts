// sha256 of files, streamed in 8 MiB pieces (index files can be tens of GB).
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { createHash } from 'node:crypto';

export function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** sha256 of the first `bytes` bytes of an open file (default: its size); a short file is an error naming `path`. */
export function sha256OfFd(fd: number, path: string, bytes = fstatSync(fd).size): string {
  const hash = createHash('sha256');
  const chunk = Buffer.alloc(Math.min(8 << 20, Math.max(bytes, 1)));
  for (let pos = 0; pos < bytes; ) {
    const n = readSync(fd, chunk, 0, Math.min(chunk.length, bytes - pos), pos);
    if (n === 0) throw new Error(`${path}: unexpected end of file while hashing (at byte ${pos} of ${bytes})`);
    hash.update(chunk.subarray(0, n));
    pos += n;
  }
  return hash.digest('hex');
}

/** sha256 of a whole file, lowercase hex. */
export function sha256OfFile(path: string): string {
  const fd = openSync(path, 'r');
  try {
    return sha256OfFd(fd, path);
  } finally {
    closeSync(fd);
  }
}
