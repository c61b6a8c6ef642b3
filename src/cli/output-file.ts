// Where a command writes its result (`--output FILE`, or '-' / nothing for stdout). A file is written
// under a temporary name and renamed over the target only when the command succeeds, so a command
// that fails half-way (a bad input line, a crash) never truncates or half-writes an existing file.
import { closeSync, existsSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { publishFile, tempPathFor } from '../files/atomic-write.js';

export interface OutputFile {
  write(text: string): Promise<void>;
  /** Publishes the file (rename over the target); stdout needs nothing. */
  commit(): void;
  /** Removes the temporary file; the target is left as it was. */
  abort(): void;
}

/** Checks that `path`'s directory exists, so the error names the user's path rather than a temp file. */
function checkOutputDirectory(path: string): void {
  const dir = dirname(resolve(path));
  if (!existsSync(dir)) throw new Error(`cannot write ${path}: directory ${dirname(path)} does not exist`);
  if (!statSync(dir).isDirectory()) throw new Error(`cannot write ${path}: ${dirname(path)} is not a directory`);
  if (existsSync(path) && statSync(path).isDirectory()) throw new Error(`cannot write ${path}: it is a directory`);
}

function stdoutOutput(): OutputFile {
  return {
    // stdout may be a non-blocking pipe, where writeSync can fail with EAGAIN: wait for drain instead.
    async write(text) {
      if (text !== '' && !process.stdout.write(text)) await new Promise<void>((r) => process.stdout.once('drain', () => r()));
    },
    commit() {},
    abort() {},
  };
}

/** Opens `path` for a command's output ('-' or undefined: stdout). Call commit() on success, abort() on failure. */
export function openOutputFile(path: string | undefined): OutputFile {
  if (path === undefined || path === '-') return stdoutOutput();
  checkOutputDirectory(path);
  const temp = tempPathFor(path);
  let fd: number;
  try {
    fd = openSync(temp, 'wx');
  } catch (err) {
    throw new Error(`cannot write ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  let open = true;
  const close = () => {
    if (open) closeSync(fd);
    open = false;
  };
  return {
    async write(text) {
      const b = Buffer.from(text, 'utf8');
      for (let off = 0; off < b.length; ) off += writeSync(fd, b, off, b.length - off);
    },
    commit() {
      close();
      publishFile(temp, path);
    },
    abort() {
      try {
        close();
      } finally {
        rmSync(temp, { force: true });
      }
    },
  };
}

/** Runs `body` with an output; the file appears only if `body` succeeds. */
export async function withOutputFile<T>(path: string | undefined, body: (out: OutputFile) => Promise<T>): Promise<T> {
  const out = openOutputFile(path);
  try {
    const result = await body(out);
    out.commit();
    return result;
  } catch (err) {
    out.abort();
    throw err;
  }
}
