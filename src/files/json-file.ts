// JSON files read with their path in every error, so a bad config, manifest or sidecar is named.
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';

export interface JsonReadOptions {
  /** Return undefined when the file does not exist (instead of an error). */
  readonly optional?: boolean;
  /** Require a JSON object (not an array or a scalar). */
  readonly object?: boolean;
}

/** Parses `text` that was read from `path`. */
export function parseJsonText(text: string, path: string, options: Pick<JsonReadOptions, 'object'> = {}): unknown {
  let value: unknown;
  try {
    // A UTF-8 byte order mark is not JSON, but editors write one.
    value = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (err) {
    throw new Error(`${path}: not valid JSON (${(err as Error).message})`);
  }
  if (options.object && (typeof value !== 'object' || value === null || Array.isArray(value))) throw new Error(`${path}: expected a JSON object`);
  return value;
}

function readError(path: string, err: unknown): Error {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new Error(`${path}: file not found`);
  return new Error(`${path}: cannot read (${code ?? (err as Error).message})`);
}

export function readJsonFileSync(path: string, options: JsonReadOptions & { optional: true }): unknown;
export function readJsonFileSync(path: string, options?: JsonReadOptions): unknown;
export function readJsonFileSync(path: string, options: JsonReadOptions = {}): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if (options.optional && (err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw readError(path, err);
  }
  return parseJsonText(text, path, options);
}

export async function readJsonFile(path: string, options: JsonReadOptions = {}): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if (options.optional && (err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw readError(path, err);
  }
  return parseJsonText(text, path, options);
}
