import { readSync } from 'node:fs';

/** Fills `target` from byte `position` of an open file (pread, looping over short reads); `what` names the file in errors. */
export function readFullyAt(fd: number, target: Uint8Array, position: number, what: string): void {
  for (let done = 0; done < target.length; ) {
    const n = readSync(fd, target, done, Math.min(1 << 30, target.length - done), position + done);
    if (n === 0) throw new Error(`${what}: unexpected end of file at byte ${position + done}`);
    done += n;
  }
}
