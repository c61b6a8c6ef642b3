import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Tokenizer } from './tokenizer.js';
import type { TruncationStrategy } from './types.js';

export interface TokenizeJsonlOptions {
  maxLength?: number;
  truncation?: TruncationStrategy;
}

/**
 * Streams JSON lines of `{"text"}` or `{"text","text_pair"}` from `inputPath` ("-" = stdin) and writes
 * `{"input_ids","token_type_ids","tokens"}` lines (special tokens added) to `outputPath` ("-" = stdout).
 * Blank lines are skipped; a line that is not a JSON object with a string "text" throws an error
 * naming file:line. Returns the number of records written.
 */
export async function tokenizeJsonl(
  tokenizer: Tokenizer,
  inputPath: string,
  outputPath: string,
  options: TokenizeJsonlOptions = {},
): Promise<number> {
  if (inputPath !== '-') {
    const info = await stat(inputPath).catch(() => undefined);
    if (!info) throw new Error(`input file ${inputPath} does not exist`);
    if (info.isDirectory()) throw new Error(`input ${inputPath} is a directory, not a JSONL file`);
  }
  const input: Readable = inputPath === '-' ? process.stdin : createReadStream(inputPath, { encoding: 'utf8' });
  const output: Writable = outputPath === '-' ? process.stdout : createWriteStream(outputPath);
  const inputName = inputPath === '-' ? '<stdin>' : inputPath;
  let outputError: Error | undefined;
  output.on('error', (err) => (outputError ??= err));
  const lines = createInterface({ input, crlfDelay: Infinity });
  // readline's iterator does not reject on an input error: record it and stop reading.
  let inputError: Error | undefined;
  input.on('error', (err) => {
    inputError ??= err;
    lines.close();
  });
  const encodeOptions = { maxLength: options.maxLength, truncation: options.truncation ?? 'longest_first' } as const;
  let lineNo = 0;
  let written = 0;
  let buffer = '';
  try {
    for await (const line of lines) {
      lineNo++;
      if (line.trim() === '') continue;
      const { text, pair } = parseRecord(line, `${inputName}:${lineNo}`);
      const e = tokenizer.encode(text, pair, encodeOptions);
      buffer += `{"input_ids":${JSON.stringify(e.ids)},"token_type_ids":${JSON.stringify(e.typeIds)},"tokens":${JSON.stringify(e.tokens)}}\n`;
      written++;
      // Write in chunks, waiting when the output falls behind, so memory stays flat on large inputs.
      if (buffer.length >= 1 << 16) {
        if (outputError) throw outputError;
        const ok = output.write(buffer);
        buffer = '';
        if (!ok) await once(output, 'drain');
      }
    }
    if (inputError) throw new Error(`cannot read ${inputName}: ${inputError.message}`);
    if (buffer) output.write(buffer);
  } finally {
    lines.close();
    if (input !== process.stdin) input.destroy();
  }
  if (output !== process.stdout) {
    await new Promise<void>((resolve, reject) => output.end((err?: Error | null) => (err ? reject(err) : resolve())));
  }
  if (outputError) throw new Error(`cannot write ${outputPath}: ${outputError.message}`);
  return written;
}

function parseRecord(line: string, where: string): { text: string; pair?: string } {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (err) {
    throw new Error(`${where}: not valid JSON (${(err as Error).message})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${where}: expected a JSON object`);
  const rec = value as Record<string, unknown>;
  if (typeof rec['text'] !== 'string') {
    throw new Error(`${where}: ${'text' in rec ? '"text" must be a string' : 'missing "text"'}`);
  }
  const pair = rec['text_pair'];
  if (pair === undefined || pair === null) return { text: rec['text'] };
  if (typeof pair !== 'string') throw new Error(`${where}: "text_pair" must be a string`);
  return { text: rec['text'], pair };
}
