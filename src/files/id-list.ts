// Id lists: one id per line, "\n" or "\r\n" after each (Pyserini's `docid` file beside a FAISS
// index, an index shard's .ids file).
import { closeSync, readFileSync, readSync } from 'node:fs';
import { openForReading } from './open-file.js';

/** The ids of `text` (read from `path`); a last line without "\n" counts, an empty line is an error. */
export function parseIdList(text: string, path: string): string[] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.map((line, i) => {
    const id = line.endsWith('\r') ? line.slice(0, -1) : line;
    if (id.trim() === '') throw new Error(`${path}: line ${i + 1} is empty`);
    return id;
  });
}

/** Reads an id list; errors name the file. */
export function readIdList(path: string): string[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(`${path}: cannot read (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  return parseIdList(text, path);
}

/** Reads an id list and checks it against the vector count, so rows and ids cannot silently drift apart. */
export function readDocidList(path: string, expectedCount?: number): string[] {
  let ids: string[];
  try {
    ids = readIdList(path);
  } catch (err) {
    throw new Error(`docid file ${(err as Error).message}`);
  }
  if (expectedCount !== undefined && ids.length !== expectedCount) {
    throw new Error(`docid file ${path}: has ${ids.length} ids, but the vectors hold ${expectedCount} rows`);
  }
  return ids;
}

/**
 * parseIdList's ids, read a 1 MiB chunk at a time, so a list of millions of ids need not sit in memory
 * as one string (errors name the file and line the same way).
 */
export class IdLineReader {
  readonly path: string;
  private fd: number | undefined;
  private readonly chunk = Buffer.alloc(1 << 20);
  private pending: Buffer = Buffer.alloc(0);
  private lines: string[] = [];
  private at = 0;
  private eof = false;
  /** Lines handed out so far. */
  line = 0;

  /** `label` starts every error (e.g. "docid file"). */
  constructor(path: string, private readonly label = 'id list') {
    this.path = path;
    this.fd = openForReading(path, label);
  }

  /** Up to n further ids (fewer only at the end of the file); each empty line is refused by number. */
  next(n: number): string[] {
    const out: string[] = [];
    while (out.length < n) {
      if (this.at === this.lines.length && !this.fill()) break;
      const raw = this.lines[this.at++]!;
      const id = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
      this.line++;
      if (id.trim() === '') throw new Error(`${this.label} ${this.path}: line ${this.line} is empty`);
      out.push(id);
    }
    return out;
  }

  /** Splits the next chunk into whole lines ('\n' never occurs inside a UTF-8 sequence). */
  private fill(): boolean {
    this.lines = [];
    this.at = 0;
    while (this.lines.length === 0 && !this.eof) {
      const got = readSync(this.fd!, this.chunk, 0, this.chunk.length, null);
      if (got === 0) {
        this.eof = true;
        if (this.pending.length > 0) this.lines.push(this.pending.toString('utf8'));
        this.pending = Buffer.alloc(0);
        break;
      }
      const data = Buffer.concat([this.pending, this.chunk.subarray(0, got)]);
      const last = data.lastIndexOf(0x0a);
      if (last < 0) {
        this.pending = data;
        continue;
      }
      this.lines = data.toString('utf8', 0, last).split('\n');
      this.pending = Buffer.from(data.subarray(last + 1));
    }
    return this.lines.length > 0;
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}
