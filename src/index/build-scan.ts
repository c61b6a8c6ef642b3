// The build's first pass over the corpus: counts the records (slices and the ETA need the total),
// and stops on bad ids and duplicate ids before any encoding time is spent.
import { detectCorpusFormat, readCorpus, readTextLines, type CorpusFormat, type CorpusReadStats, type CorpusRecord } from '../corpus/index.js';
import { docidProblem } from './docstore-format.js';

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

function describe(source: RecordSource): string {
  return source.kind === 'file' ? source.path : 'the given records';
}

/**
 * 1-based line numbers of the records with the given 0-based ordinals. Exact when no line was skipped
 * as bad: record k is then the k-th non-blank line (after a DPR TSV header).
 */
async function lineNumbersOf(path: string, format: CorpusFormat, ordinals: readonly number[]): Promise<number[]> {
  const wanted = new Map(ordinals.map((o, i) => [o, i]));
  const out: number[] = new Array(ordinals.length).fill(0);
  let ordinal = -1;
  let headerPending = format === 'dpr-tsv';
  for await (const { line, text } of readTextLines(path)) {
    if (text.trim() === '') continue;
    if (headerPending) {
      headerPending = false;
      if (text.startsWith('id\t')) continue;
    }
    ordinal++;
    const i = wanted.get(ordinal);
    if (i !== undefined) out[i] = line;
    if (ordinal >= Math.max(...ordinals)) break;
  }
  return out;
}

/**
 * Counts the records and checks every docid. Holds one Map entry per record (id → ordinal): the only
 * part of a build whose memory grows with the corpus, and freed before encoding starts.
 */
export async function scanRecords(source: RecordSource, stats: CorpusReadStats, onProgress?: (records: number) => void): Promise<number> {
  const seen = new Map<string, number>();
  let ordinal = 0;
  for await (const r of recordsOf(source, stats)) {
    const problem = docidProblem(r.id);
    if (problem) throw new Error(`${describe(source)}: record ${ordinal + 1}: document id ${JSON.stringify(r.id)} ${problem}`);
    const first = seen.get(r.id);
    if (first !== undefined) {
      if (source.kind === 'file' && !source.skipBad) {
        const format = source.format ?? (await detectCorpusFormat(source.path));
        const [a, b] = await lineNumbersOf(source.path, format, [first, ordinal]);
        throw new Error(`${source.path}:${b}: duplicate document id ${JSON.stringify(r.id)} (first seen at line ${a})`);
      }
      throw new Error(`${describe(source)}: duplicate document id ${JSON.stringify(r.id)} (records ${first + 1} and ${ordinal + 1})`);
    }
    seen.set(r.id, ordinal);
    ordinal++;
    if (onProgress && ordinal % 100_000 === 0) onProgress(ordinal);
  }
  return ordinal;
}
