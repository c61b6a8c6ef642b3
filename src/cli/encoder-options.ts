import { Option, type Command } from 'commander';
import { positiveInt } from './arguments.js';
import type { EncoderLoadOptions } from '../encoder/encoder.js';
import { EncoderPair } from '../encoder/encoder-pair.js';
import type { SideSettings } from '../encoder/types.js';

/** Adds the encoder knobs shared by `embed`, `index` and `serve`. A preset sets them all; each flag overrides one. */
export function addEncoderOptions(cmd: Command): Command {
  return cmd
    .option('--preset <name>', "named preset (see `densekit models`); 'none' turns automatic selection off")
    .addOption(new Option('--pooling <mode>', 'pooling of the last layer').choices(['cls', 'mean', 'max', 'pooler']))
    .option('--normalize', 'L2-normalise the vectors')
    .option('--no-normalize', 'do not L2-normalise the vectors')
    .option('--max-length <n>', 'max tokens per input, [CLS]/[SEP] included', positiveInt)
    .option('--query-max-length <n>', 'max tokens per query when building an index', positiveInt)
    .addOption(new Option('--passage-format <format>', 'how title and text form the input').choices(['pair', 'join', 'text']))
    .addOption(new Option('--token-types <mode>', "'zero' feeds all-zero token types, as DPR does").choices(['keep', 'zero']))
    .addOption(new Option('--similarity <kind>').choices(['dot', 'cosine']))
    .option('--batch-size <n>', 'max sequences per forward pass', positiveInt)
    .option('--threads <n>', 'inference threads (default: all cores)', positiveInt)
    .addOption(new Option('--quantize <mode>', "'int8': dynamic int8 linear layers (faster; small accuracy cost)").choices(['none', 'int8']));
}

export interface EncoderFlagValues {
  preset?: string;
  pooling?: SideSettings['pooling'];
  normalize?: boolean;
  maxLength?: number;
  queryMaxLength?: number;
  passageFormat?: SideSettings['passageFormat'];
  tokenTypes?: SideSettings['tokenTypes'];
  similarity?: 'dot' | 'cosine';
  batchSize?: number;
  threads?: number;
  quantize?: 'none' | 'int8';
}

/**
 * Turns flag values into encoder load options. `--max-length` applies to `lengthSide` (the side
 * the command encodes: passages for `index`); pooling, normalisation and token types to both sides.
 */
export function encoderOptionsFromFlags(flags: EncoderFlagValues, lengthSide: 'query' | 'passage'): EncoderLoadOptions {
  const both: Partial<SideSettings> = {
    ...(flags.pooling ? { pooling: flags.pooling } : {}),
    ...(flags.normalize !== undefined ? { normalize: flags.normalize } : {}),
    ...(flags.tokenTypes ? { tokenTypes: flags.tokenTypes } : {}),
  };
  const query: Partial<SideSettings> = {
    ...(lengthSide === 'query' && flags.maxLength !== undefined ? { maxLength: flags.maxLength } : {}),
    ...(flags.queryMaxLength !== undefined ? { maxLength: flags.queryMaxLength } : {}),
  };
  const passage: Partial<SideSettings> = {
    ...(lengthSide === 'passage' && flags.maxLength !== undefined ? { maxLength: flags.maxLength } : {}),
    ...(flags.passageFormat ? { passageFormat: flags.passageFormat } : {}),
  };
  return {
    ...(flags.preset ? { preset: flags.preset } : {}),
    both,
    query,
    passage,
    ...(flags.similarity ? { similarity: flags.similarity } : {}),
    ...(flags.batchSize ? { batchSize: flags.batchSize } : {}),
    ...(flags.threads ? { threads: flags.threads } : {}),
    ...(flags.quantize ? { quantize: flags.quantize } : {}),
  };
}

/** `--query-model` of `index` and `import`: the second checkpoint of a two-encoder retriever (DPR, RDR). */
export const QUERY_MODEL_HELP =
  'the model that encodes queries, when it is not --model (DPR/RDR question encoder; known DPR/RDR context encoders pick theirs); the encoder flags apply to it too, --query-max-length to its queries';

/**
 * Loads the passage model `--model` and the query model `--query-model` (or the known pair of a DPR/RDR
 * context encoder, said in one line on stderr), each with the same flag-given settings.
 */
export function loadEncoderPairFromFlags(
  flags: EncoderFlagValues & { model: string; queryModel?: string },
  options: { passagesEncodedElsewhere?: boolean } = {},
): Promise<EncoderPair> {
  // An import encodes only queries, so there --max-length is theirs.
  const lengthSide = options.passagesEncodedElsewhere ? 'query' : 'passage';
  return EncoderPair.load(flags.model, flags.queryModel, {
    passage: encoderOptionsFromFlags(flags, lengthSide),
    log: (message) => process.stderr.write(`densekit: ${message}\n`),
    ...options,
  });
}
