import { join } from 'node:path';
import { resolveModel } from '../../hub/index.js';
import { readSentenceTransformersPipeline } from '../../encoder/sentence-transformers.js';
import { positiveInt } from '../arguments.js';
import { Tokenizer } from '../../tokenizer/tokenizer.js';
import { tokenizeJsonl } from '../../corpus/tokenize-jsonl.js';
import { flag } from '../help.js';
import { withOutputFile } from '../output-file.js';
import type { RegisterCommand } from './registry.js';

/**
 * Turns `--model` (a local directory, or a hub id fetched into the Hugging Face cache) into a tokenizer.
 * A sentence-transformers repo keeps its tokenizer in the Transformer module's folder (e.g. 0_BERT/ in
 * older repos), which is where sentence-transformers itself reads it from.
 */
export async function loadTokenizerForCli(model: string): Promise<Tokenizer> {
  const dir = await resolveModel(model, { progress: process.stderr.isTTY === true });
  let transformerPath = '';
  try {
    transformerPath = (await readSentenceTransformersPipeline(dir))?.transformerPath ?? '';
  } catch {
    // A module embed cannot run (say, an unsupported pooling) does not change tokenization: read the root.
  }
  return Tokenizer.fromDir(join(dir, transformerPath));
}

export const registerTokenize: RegisterCommand = (program) => {
  program
    .command('tokenize')
    .description('tokenize JSON lines ({"text"} or {"text","text_pair"}) into {"input_ids","token_type_ids","tokens"} lines')
    .requiredOption('--model <dir>', 'hub id[@revision], or a directory holding vocab.txt or tokenizer.json (and tokenizer_config.json)')
    .requiredOption('--input <file>', 'input JSONL file ("-" for stdin)')
    .requiredOption('--output <file>', 'output JSONL file ("-" for stdout)')
    .addOption(flag('--max-length <n>', 'truncate to n tokens, special tokens included (longest_first)', { parse: positiveInt, shownDefault: 'no truncation' }))
    .action(async (flags: { model: string; input: string; output: string; maxLength?: number }) => {
      const tokenizer = await loadTokenizerForCli(flags.model);
      const opts = flags.maxLength !== undefined ? { maxLength: flags.maxLength } : {};
      await withOutputFile(flags.output, (out) => tokenizeJsonl(tokenizer, flags.input, (text) => out.write(text), opts));
    });
};
