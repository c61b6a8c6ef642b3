// Checks a docid file for import in one streamed pass (MS MARCO's 8.8M, Wikipedia's 21M ids): the
// count against the vectors, empty lines, ids the doc store refuses, and duplicates, with 8 bytes of
// memory per id instead of the ids themselves.
import { IdLineReader } from '../../files/id-list.js';
import { docidProblem } from '../formats/docstore-format.js';

/** A 53-bit key of an id (two 32-bit multiplicative hashes), exact as a float64. */
function idKey(id: string): number {
  let a = 0x811c9dc5, b = 0x9e3779b9;
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i);
    a = Math.imul(a ^ c, 16777619);
    b = Math.imul(b + c, 0x85ebca6b) ^ (b >>> 13);
  }
  return (a >>> 0) * 2 ** 21 + (b >>> 11);
}

/**
 * Checks an id file in one streamed pass: expectedCount lines, none empty, none with a problem
 * (docidProblem), none repeated. Duplicates are found by sorting one 53-bit key per id (8 bytes per
 * id, not the ids themselves); ids whose keys collide are then compared exactly in a second pass, so
 * a collision never passes for a duplicate. Errors name the file and line(s).
 */
export function checkDocidList(path: string, expectedCount: number): void {
  const keys = new Float64Array(expectedCount);
  const lines = new IdLineReader(path, 'docid file');
  let count = 0;
  try {
    for (let got = lines.next(65536); got.length > 0; got = lines.next(65536)) {
      for (const id of got) {
        const problem = docidProblem(id);
        if (problem) throw new Error(`${path}:${count + 1}: document id ${JSON.stringify(id)} ${problem}`);
        if (count < expectedCount) keys[count] = idKey(id);
        count++;
      }
    }
  } finally {
    lines.close();
  }
  if (count !== expectedCount) throw new Error(`docid file ${path}: has ${count} ids, but the vectors hold ${expectedCount} rows`);
  const sorted = keys.slice().sort();
  const clashing = new Set<number>();
  for (let i = 1; i < sorted.length; i++) if (sorted[i] === sorted[i - 1]) clashing.add(sorted[i]!);
  if (clashing.size === 0) return;
  const seen = new Map<string, number>();
  const again = new IdLineReader(path, 'docid file');
  try {
    for (let got = again.next(65536), line = 0; got.length > 0; got = again.next(65536)) {
      for (const id of got) {
        line++;
        if (!clashing.has(keys[line - 1]!)) continue;
        const first = seen.get(id);
        if (first !== undefined) throw new Error(`${path}:${line}: duplicate document id ${JSON.stringify(id)} (first seen at line ${first})`);
        seen.set(id, line);
      }
    }
  } finally {
    again.close();
  }
}
