import { parsePythonStringList } from './python-literal.js';
import { unquoteTsvField } from './tsv-field.js';
import { firstNonBlankLine, readTextLines } from './text-lines.js';
import type { QueryRecord } from './types.js';

export type QueryFormat = 'tsv' | 'beir' | 'dpr-qa' | 'dpr-qa-jsonl' | 'jsonl';

export const QUERY_FORMATS: readonly QueryFormat[] = ['tsv', 'beir', 'dpr-qa', 'dpr-qa-jsonl', 'jsonl'];

const FORMAT_HELP =
  'tsv (qid<TAB>query), beir (queries.jsonl with "_id"/"text"), dpr-qa (question<TAB>[\'answer\', ...]), ' +
  'dpr-qa-jsonl ({"question","answer"|"answers"}), jsonl ({"id","text"})';

function detectFromLine(text: string): QueryFormat | undefined {
  const t = text.trim();
  if (t.startsWith('{')) {
    let o: Record<string, unknown>;
    try {
      o = JSON.parse(t) as Record<string, unknown>;
    } catch {
      return undefined;
    }
    if ('_id' in o && 'text' in o) return 'beir';
    if ('question' in o && ('answer' in o || 'answers' in o)) return 'dpr-qa-jsonl';
    if ('id' in o && 'text' in o) return 'jsonl';
    return undefined;
  }
  const cols = text.split('\t');
  if (cols.length !== 2) return undefined;
  if (unquoteTsvField(cols[1]!).trim().startsWith('[')) {
    try {
      parsePythonStringList(unquoteTsvField(cols[1]!));
      return 'dpr-qa';
    } catch {
      /* not an answer list: a plain query that starts with '[' */
    }
  }
  return 'tsv';
}

export async function detectQueryFormat(path: string): Promise<QueryFormat> {
  const first = await firstNonBlankLine(path);
  if (!first) throw new Error(`${path}: the query file is empty`);
  const format = detectFromLine(first.text);
  if (!format) throw new Error(`${path}:${first.line}: unknown query file format; tried ${FORMAT_HELP}`);
  return format;
}

function asString(o: Record<string, unknown>, key: string): string | undefined {
  const v = o[key];
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
}

/**
 * Parses one non-blank line; `position` is its 0-based number among the file's questions. DPR QA files
 * have no ids, so a question's id is that number, as Pyserini numbers its DPR topics (a TREC run needs
 * whitespace-free ids, and `eval --answers` joins on them); a JSONL line's own "id" or "qid" wins.
 */
function parseQueryLine(text: string, format: QueryFormat, position: number): QueryRecord {
  if (format === 'tsv' || format === 'dpr-qa') {
    const cols = text.split('\t');
    if (cols.length !== 2) throw new Error(`expected 2 tab-separated columns, found ${cols.length}`);
    if (format === 'tsv') return { id: cols[0]!, text: cols[1]! };
    const question = unquoteTsvField(cols[0]!);
    return { id: String(position), text: question, answers: parsePythonStringList(unquoteTsvField(cols[1]!)) };
  }
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(text) as Record<string, unknown>;
  } catch (e) {
    throw new Error(`not valid JSON (${(e as Error).message})`);
  }
  if (typeof o !== 'object' || o === null || Array.isArray(o)) throw new Error('expected a JSON object');
  if (format === 'dpr-qa-jsonl') {
    const question = asString(o, 'question');
    if (question === undefined) throw new Error('missing "question"');
    const answers = o.answers ?? o.answer;
    if (!Array.isArray(answers) || !answers.every((a) => typeof a === 'string')) throw new Error('"answer(s)" must be a list of strings');
    const id = asString(o, 'id') ?? asString(o, 'qid') ?? String(position);
    return { id, text: question, answers: answers as string[] };
  }
  const id = asString(o, format === 'beir' ? '_id' : 'id');
  const body = asString(o, 'text');
  if (id === undefined) throw new Error(format === 'beir' ? 'missing "_id"' : 'missing "id"');
  if (body === undefined) throw new Error('missing "text"');
  return { id, text: body };
}

/** A query with the 1-based line it was read from. */
export interface NumberedQueryRecord {
  readonly record: QueryRecord;
  readonly line: number;
}

/** Streams the queries of a topics/queries file (plain or gzip) with their line numbers, detecting the format unless given. */
export async function* readQueryLines(path: string, options: { format?: QueryFormat } = {}): AsyncGenerator<NumberedQueryRecord> {
  const format = options.format ?? (await detectQueryFormat(path));
  if (!QUERY_FORMATS.includes(format)) throw new Error(`unknown query format '${format}'; known: ${FORMAT_HELP}`);
  let position = 0; // DPR QA questions are numbered from 0, as Pyserini numbers them
  for await (const { line, text } of readTextLines(path)) {
    if (text.trim() === '') continue;
    let record: QueryRecord;
    try {
      record = parseQueryLine(text, format, position);
    } catch (e) {
      throw new Error(`${path}:${line}: ${(e as Error).message} (reading as ${format})`);
    }
    position++;
    yield { record, line };
  }
}

/** Reads every query of a topics/queries file (plain or gzip), detecting its format unless given. */
export async function readQueries(path: string, options: { format?: QueryFormat } = {}): Promise<QueryRecord[]> {
  const out: QueryRecord[] = [];
  for await (const { record } of readQueryLines(path, options)) out.push(record);
  return out;
}

/**
 * Reads a query file whose ids must be unique (a run keyed by query id would otherwise repeat
 * (qid, docid) pairs, which trec_eval refuses); a repeated id is an error naming both lines.
 */
export async function readUniqueQueries(path: string, options: { format?: QueryFormat } = {}): Promise<QueryRecord[]> {
  const out: QueryRecord[] = [];
  const firstLine = new Map<string, number>();
  for await (const { record, line } of readQueryLines(path, options)) {
    const earlier = firstLine.get(record.id);
    if (earlier !== undefined) throw new Error(`${path}:${line}: query id ${JSON.stringify(record.id)} already appears on line ${earlier}; query ids must be unique`);
    firstLine.set(record.id, line);
    out.push(record);
  }
  return out;
}
