import { stat } from 'node:fs/promises';
import { readJsonLines, stringField } from './jsonl.js';
import type { Tokenizer } from '../tokenizer/tokenizer.js';
import type { TruncationStrategy } from '../tokenizer/types.js';

export interface TokenizeJsonlOptions {
  maxLength?: number;
  truncation?: TruncationStrategy;
}

/** Receives output text in order; resolves when it may be given more. */
export type TextSink = (text: string) => Promise<void>;

/**
 * Streams JSON lines of `{"text"}` or `{"text","text_pair"}` from `inputPath` ("-" = stdin) and writes
 * `{"input_ids","token_type_ids","tokens"}` lines (special tokens added) to `output`. Blank lines are
 * skipped; a line that is not a JSON object with a string "text" throws an error naming file:line.
 * Returns the number of records written.
 */
export async function tokenizeJsonl(
  tokenizer: Tokenizer,
  inputPath: string,
  output: TextSink,
  options: TokenizeJsonlOptions = {},
): Promise<number> {
  if (inputPath !== '-') {
    const info = await stat(inputPath).catch(() => undefined);
    if (!info) throw new Error(`input file ${inputPath} does not exist`);
    if (info.isDirectory()) throw new Error(`input ${inputPath} is a directory, not a JSONL file`);
  }
  const encodeOptions = { maxLength: options.maxLength, truncation: options.truncation ?? 'longest_first' } as const;
  let written = 0;
  let buffer = '';
  for await (const { line, value } of readJsonLines(inputPath)) {
    const where = `${inputPath === '-' ? '<stdin>' : inputPath}:${line}`;
    const text = stringField(value, 'text', where, true);
    const pair = stringField(value, 'text_pair', where, false);
    const e = tokenizer.encode(text, pair, encodeOptions);
    buffer += `{"input_ids":${JSON.stringify(e.ids)},"token_type_ids":${JSON.stringify(e.typeIds)},"tokens":${JSON.stringify(e.tokens)}}\n`;
    written++;
    // Write in chunks, so memory stays flat on large inputs.
    if (buffer.length >= 1 << 16) {
      await output(buffer);
      buffer = '';
    }
  }
  if (buffer) await output(buffer);
  return written;
}
