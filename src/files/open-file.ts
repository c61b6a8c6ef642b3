import { openSync } from 'node:fs';

/** Opens `path` for reading; a failure names what the file was meant to be and the OS error code. */
export function openForReading(path: string, what: string): number {
  try {
    return openSync(path, 'r');
  } catch (err) {
    throw new Error(`${what} ${path}: cannot open (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
}
