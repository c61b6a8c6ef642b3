// Reads an id list (Pyserini's `docid` file beside a FAISS index: one id per line) and checks it
// against the vector count, so rows and ids cannot silently drift apart.
import { readFileSync } from 'node:fs';

export function readDocidList(path: string, expectedCount?: number): string[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(`docid file ${path}: cannot read (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const ids = lines.map((line, i) => {
    const id = line.endsWith('\r') ? line.slice(0, -1) : line;
    if (id.trim() === '') throw new Error(`docid file ${path}: line ${i + 1} is empty`);
    return id;
  });
  if (expectedCount !== undefined && ids.length !== expectedCount) {
    throw new Error(`docid file ${path}: has ${ids.length} ids, but the vectors hold ${expectedCount} rows`);
  }
  return ids;
}
