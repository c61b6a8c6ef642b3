import { unquoteTsvField } from './tsv-field.js';
import { firstNonBlankLine, readTextLines } from './text-lines.js';
import type { CorpusFormat, CorpusRecord } from './types.js';

export const CORPUS_FORMATS: readonly CorpusFormat[] = ['beir', 'pyserini', 'dpr-tsv', 'msmarco-tsv'];

export interface ReadCorpusOptions {
  /** Skip auto-detection. */
  readonly format?: CorpusFormat;
  /** Skip malformed lines instead of stopping; they are counted in `stats`, never dropped silently. */
  readonly skipBad?: boolean;
  /** Filled while reading: how many records were read and which lines were skipped. */
  readonly stats?: CorpusReadStats;
}

export interface CorpusReadStats {
  records: number;
  skipped: number;
  /** The first few skipped lines' messages (file:line: why). */
  skippedExamples: string[];
}

export function newCorpusReadStats(): CorpusReadStats {
  return { records: 0, skipped: 0, skippedExamples: [] };
}

/** Detects a corpus file's format from its first non-blank line. */
export async function detectCorpusFormat(path: string): Promise<CorpusFormat> {
  const first = await firstNonBlankLine(path);
  if (!first) throw new Error(`${path}: the corpus is empty`);
  const t = first.text.trimStart();
  if (t.startsWith('{')) {
    let obj: Record<string, unknown>;
    try {
      obj = JSON.parse(t) as Record<string, unknown>;
    } catch (e) {
      throw new Error(`${path}:${first.line}: looks like JSONL but is not valid JSON (${(e as Error).message})`);
    }
    return '_id' in obj ? 'beir' : 'pyserini';
  }
  const cols = t.split('\t');
  if (cols.length === 3 && cols[0] === 'id' && cols[1] === 'text' && cols[2] === 'title') return 'dpr-tsv';
  if (cols.length === 2) return 'msmarco-tsv';
  throw new Error(
    `${path}:${first.line}: unknown corpus format; tried ${CORPUS_FORMATS.join(', ')} ` +
      '(BEIR/Pyserini JSONL, DPR TSV with header id/text/title, MS MARCO pid<TAB>passage)',
  );
}

function field(obj: Record<string, unknown>, names: readonly string[]): string | undefined {
  for (const n of names) {
    const v = obj[n];
    if (typeof v === 'string') return v;
    if (typeof v === 'number') return String(v);
  }
  return undefined;
}

function parseJsonRecord(text: string, format: 'beir' | 'pyserini'): CorpusRecord {
  let obj: unknown;
  try {
    obj = JSON.parse(text);
  } catch (e) {
    throw new Error(`not valid JSON (${(e as Error).message})`);
  }
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) throw new Error('expected a JSON object');
  const o = obj as Record<string, unknown>;
  const id = field(o, format === 'beir' ? ['_id'] : ['id', 'docid', '_id']);
  if (id === undefined) throw new Error(format === 'beir' ? 'missing "_id"' : 'missing "id" (or "docid")');
  const title = field(o, ['title']);
  const body = field(o, format === 'beir' ? ['text'] : ['contents', 'text']);
  if (body === undefined) throw new Error(format === 'beir' ? 'missing "text"' : 'missing "contents" (or "text")');
  return title !== undefined ? { id, title, text: body } : { id, text: body };
}

function parseTsvRecord(text: string, format: 'dpr-tsv' | 'msmarco-tsv'): CorpusRecord {
  const cols = text.split('\t');
  if (format === 'dpr-tsv') {
    if (cols.length !== 3) throw new Error(`expected 3 tab-separated columns (id, text, title), found ${cols.length}`);
    // DPR's TSV quotes text fields that contain quotes, csv-style.
    return { id: cols[0]!, text: unquoteTsvField(cols[1]!), title: unquoteTsvField(cols[2]!) };
  }
  if (cols.length !== 2) throw new Error(`expected 2 tab-separated columns (pid, passage), found ${cols.length}`);
  return { id: cols[0]!, text: cols[1]! };
}


/** A corpus record with the 1-based line it was read from. */
export interface NumberedCorpusRecord {
  readonly record: CorpusRecord;
  readonly line: number;
}

/** Streams the records of a corpus file (plain or gzip), with `file:line` in every error. */
export async function* readCorpus(path: string, options: ReadCorpusOptions = {}): AsyncGenerator<CorpusRecord> {
  for await (const { record } of readCorpusLines(path, options)) yield record;
}

/** As readCorpus, with each record's line number (for messages about records that parsed but are wrong, e.g. duplicate ids). */
export async function* readCorpusLines(path: string, options: ReadCorpusOptions = {}): AsyncGenerator<NumberedCorpusRecord> {
  const format = options.format ?? (await detectCorpusFormat(path));
  if (!CORPUS_FORMATS.includes(format)) throw new Error(`unknown corpus format '${format}'; known: ${CORPUS_FORMATS.join(', ')}`);
  const stats = options.stats;
  const skip = (message: string): void => {
    if (stats) {
      stats.skipped++;
      if (stats.skippedExamples.length < 10) stats.skippedExamples.push(message);
    } else {
      process.stderr.write(`densekit: skipped ${message}\n`);
    }
  };
  let headerPending = format === 'dpr-tsv';
  for await (const { line, text } of readTextLines(path, options.skipBad ? { onInvalidLine: skip } : {})) {
    if (text.trim() === '') continue;
    if (headerPending) {
      headerPending = false;
      if (text.startsWith('id\t')) continue;
    }
    let record: CorpusRecord;
    try {
      record = format === 'beir' || format === 'pyserini' ? parseJsonRecord(text, format) : parseTsvRecord(text, format);
      if (record.id === '') throw new Error('empty document id');
    } catch (e) {
      const message = `${path}:${line}: ${(e as Error).message}`;
      if (!options.skipBad) throw new Error(message);
      skip(message);
      continue;
    }
    if (stats) stats.records++;
    yield { record, line };
  }
}
