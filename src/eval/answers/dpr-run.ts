import { readTextFile } from '../../corpus/text-lines.js';
import { jsonErrorPosition } from './json-error-position.js';

/** One retrieved passage in a DPR retrieval output. */
export interface DprContext {
  readonly id: string;
  readonly title?: string | undefined;
  readonly text: string;
  readonly score?: number | undefined;
}

/** One question of a DPR retrieval output (DPR's dense_retriever.py / Pyserini's conversion). */
export interface DprRunEntry {
  readonly question: string;
  readonly answers: readonly string[];
  /** In retrieval order. */
  readonly ctxs: readonly DprContext[];
}

function lineOf(text: string, position: number): number {
  let line = 1;
  for (let i = 0; i < position && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

function field(o: Record<string, unknown>, key: string, where: string, required: boolean): string | undefined {
  const v = o[key];
  if (v === undefined || v === null) {
    if (required) throw new Error(`${where}: missing "${key}"`);
    return undefined;
  }
  if (typeof v === 'number') return String(v);
  if (typeof v !== 'string') throw new Error(`${where}: "${key}" must be a string`);
  return v;
}

/**
 * Parses a DPR-style JSON retrieval output: a list of `{question, answers, ctxs: [{id, title, text,
 * score}]}`. Errors name the entry and field (or the line for malformed JSON).
 */
export function parseDprRun(text: string, source = 'run'): DprRunEntry[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new Error(`${source}:${lineOf(text, jsonErrorPosition(text))}: not valid JSON (${(e as Error).message})`);
  }
  if (!Array.isArray(doc)) throw new Error(`${source}: a DPR retrieval file must be a JSON list of {question, answers, ctxs}`);
  return doc.map((entry: unknown, i) => {
    const where = `${source}: entry ${i}`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) throw new Error(`${where}: expected an object`);
    const o = entry as Record<string, unknown>;
    const question = field(o, 'question', where, true)!;
    const answers = o.answers;
    if (!Array.isArray(answers) || !answers.every((a) => typeof a === 'string')) throw new Error(`${where}: "answers" must be a list of strings`);
    if (!Array.isArray(o.ctxs)) throw new Error(`${where}: "ctxs" must be a list`);
    const ctxs = o.ctxs.map((c: unknown, j): DprContext => {
      const cw = `${where} ctxs[${j}]`;
      if (typeof c !== 'object' || c === null || Array.isArray(c)) throw new Error(`${cw}: expected an object`);
      const co = c as Record<string, unknown>;
      const score = co.score === undefined || co.score === null ? undefined : Number(co.score);
      if (score !== undefined && !Number.isFinite(score)) throw new Error(`${cw}: "score" must be a number`);
      return { id: field(co, 'id', cw, true)!, title: field(co, 'title', cw, false), text: field(co, 'text', cw, true)!, score };
    });
    return { question, answers: answers as string[], ctxs };
  });
}

/** Reads a DPR-style JSON retrieval output. */
export async function readDprRun(path: string): Promise<DprRunEntry[]> {
  return parseDprRun(await readTextFile(path), path);
}
