// Id lists: one id per line, "\n" or "\r\n" after each (Pyserini's `docid` file beside a FAISS
// index, an index shard's .ids file).
import { readFileSync } from 'node:fs';

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
