import { Encoder } from '../../encoder/encoder.js';
import type { PassageInput } from '../../encoder/types.js';
import { idField, readJsonLines, stringField } from '../../corpus/jsonl.js';
import { addEncoderOptions, encoderOptionsFromFlags, type EncoderFlagValues } from '../encoder-options.js';
import { flag } from '../help.js';
import { withOutputFile } from '../output-file.js';
import type { RegisterCommand } from './registry.js';

interface EmbedFlags extends EncoderFlagValues {
  model: string;
  kind: 'query' | 'passage';
  input: string;
  output: string;
}

/** Inputs are encoded in blocks this size, so memory stays bounded on long files while batches still sort by length. */
const BLOCK = 2048;

export const registerEmbed: RegisterCommand = (program) => {
  const cmd = program
    .command('embed')
    .description('encode texts from a JSONL file ({"id"?, "text", "title"?} per line) into {"id", "embedding"} lines, in input order')
    .requiredOption('--model <dirOrHubId>', 'model directory or hub id[@revision]')
    .addOption(flag('--kind <kind>', 'encode as queries or passages', { choices: ['query', 'passage'], default: 'query' }))
    .requiredOption('--input <file>', "JSONL input ('-' for stdin)")
    .requiredOption('--output <file>', "JSONL output ('-' for stdout)");
  addEncoderOptions(cmd, 'embed').action(async (flags: EmbedFlags) => {
    const encoder = await Encoder.load(flags.model, encoderOptionsFromFlags(flags, flags.kind));
    try {
      await withOutputFile(flags.output, async (out) => {
        let block: { id: string; input: PassageInput }[] = [];
        let count = 0;
        const flush = async () => {
          const vectors =
            flags.kind === 'query'
              ? await encoder.encodeQueries(block.map((b) => b.input.text))
              : await encoder.encodePassages(block.map((b) => b.input));
          let text = '';
          block.forEach((b, i) => (text += `${JSON.stringify({ id: b.id, embedding: Array.from(vectors[i]!) })}\n`));
          await out.write(text);
          block = [];
        };
        for await (const { line, value } of readJsonLines(flags.input)) {
          const where = `${flags.input}:${line}`;
          const text = stringField(value, 'text', where, true);
          const title = stringField(value, 'title', where, false);
          const id = idField(value, 'id', where) ?? String(count);
          block.push({ id, input: { text, ...(title !== undefined ? { title } : {}) } });
          count++;
          if (block.length >= BLOCK) await flush();
        }
        if (block.length) await flush();
      });
    } finally {
      await encoder.dispose();
    }
  });
};
