// The build's first pass over the corpus: counts the records (slices and the ETA need the total),
// and stops on bad ids and duplicate ids before any encoding time is spent.
import { readCorpus, readCorpusLines, type CorpusReadStats } from '../../corpus/corpus-reader.js';
import type { CorpusFormat, CorpusRecord } from '../../corpus/types.js';
import { docidProblem } from '../formats/docstore-format.js';

/** Where build records come from: a corpus file, or records already in memory. */
export type RecordSource =
  | { readonly kind: 'file'; readonly path: string; readonly format?: CorpusFormat; readonly skipBad: boolean }
  | { readonly kind: 'records'; readonly records: readonly CorpusRecord[] };

export async function* recordsOf(source: RecordSource, stats?: CorpusReadStats): AsyncGenerator<CorpusRecord> {
  if (source.kind === 'records') {
    yield* source.records;
    return;
  }
  yield* readCorpus(source.path, {
    ...(source.format ? { format: source.format } : {}),
    skipBad: source.skipBad,
    ...(stats ? { stats } : {}),
  });
}

/**
 * Counts the records and checks every docid. Holds one Map entry per record (id → ordinal): the only
 * part of a build whose memory grows with the corpus, and freed before encoding starts.
 */
export async function scanRecords(source: RecordSource, stats: CorpusReadStats, onProgress?: (records: number) => void): Promise<number> {
  // id → where it was first seen: its line in a corpus file, or its 1-based record number.
  const seen = new Map<string, number>();
  let ordinal = 0;
  // `at` names a place for the error's prefix; `firstAt` names the earlier place inside the message.
  const check = (id: string, where: number, at: (n: number) => string, firstAt: (n: number) => string) => {
    const problem = docidProblem(id);
    if (problem) throw new Error(`${at(where)}: document id ${JSON.stringify(id)} ${problem}`);
    const first = seen.get(id);
    if (first !== undefined) {
      throw new Error(`${at(where)}: duplicate document id ${JSON.stringify(id)} (first seen at ${firstAt(first)})`);
    }
    seen.set(id, where);
    ordinal++;
    if (onProgress && ordinal % 100_000 === 0) onProgress(ordinal);
  };
  if (source.kind === 'file') {
    const at = (line: number) => `${source.path}:${line}`;
    const lines = readCorpusLines(source.path, {
      ...(source.format ? { format: source.format } : {}),
      skipBad: source.skipBad,
      stats,
    });
    for await (const { record, line } of lines) check(record.id, line, at, (n) => `line ${n}`);
  } else {
    for (const r of source.records) check(r.id, ordinal + 1, (n) => `the given records: record ${n}`, (n) => `record ${n}`);
  }
  return ordinal;
}
