import { readTextLines } from './text-lines.js';

/** One parsed JSON line with its 1-based line number, for error messages that name file:line. */
export interface JsonLine {
  readonly line: number;
  readonly value: unknown;
}

/**
 * Streams a JSONL file (plain or gzip, or stdin for '-') line by line, with readTextLines' BOM and UTF-8 rules. Blank lines are skipped; a line that is not
 * valid JSON throws an error naming `file:line`.
 */
export async function* readJsonLines(path: string): AsyncGenerator<JsonLine> {
  for await (const { line, text } of readTextLines(path)) {
    if (text.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      throw new Error(`${path}:${line}: not valid JSON (${(e as Error).message})`);
    }
    yield { line, value };
  }
}

/** Reads a string field of a JSON object line, or throws naming file:line and the field. */
export function stringField(obj: unknown, field: string, where: string, required: true): string;
export function stringField(obj: unknown, field: string, where: string, required: false): string | undefined;
export function stringField(obj: unknown, field: string, where: string, required: boolean): string | undefined {
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) throw new Error(`${where}: expected a JSON object`);
  const v = (obj as Record<string, unknown>)[field];
  if (v === undefined || v === null) {
    if (required) throw new Error(`${where}: missing "${field}"`);
    return undefined;
  }
  if (typeof v !== 'string') throw new Error(`${where}: "${field}" must be a string`);
  return v;
}

/** Reads an optional id field, which JSONL writers often emit as a number. */
export function idField(obj: unknown, field: string, where: string): string | undefined {
  const v = typeof obj === 'object' && obj !== null ? (obj as Record<string, unknown>)[field] : undefined;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return stringField(obj, field, where, false);
}
