import type { Command } from 'commander';
import { positiveInt } from './arguments.js';
import { flag } from './help.js';
import { DEFAULT_BUILD_BATCH_SIZE } from '../index/build/build.js';
import type { EncoderLoadOptions } from '../encoder/encoder.js';
import { EncoderPair } from '../encoder/encoder-pair.js';
import type { SideSettings } from '../encoder/types.js';


/** What a command does with its encoder, which decides the flags that apply to it. */
export type EncoderUse = 'embed' | 'index' | 'import';

/**
 * Adds the encoder knobs of `embed`, `index` and `import`, each only where it applies: `embed` has no
 * index to record a query length or similarity in; `import` encodes nothing now (the vectors exist)
 * and only records how queries will be encoded, so it has no passage or batching flags. A preset
 * sets them all; each flag overrides one.
 */
export function addEncoderOptions(cmd: Command, use: EncoderUse): Command {
  const encodes = use !== 'import';
  const maxLength =
    use === 'index' ? 'max tokens per passage, [CLS]/[SEP] included' : use === 'import' ? 'max tokens per query, [CLS]/[SEP] included' : 'max tokens per input, [CLS]/[SEP] included';
  const options = [
    flag('--preset <name>', "named preset (see `densekit models`); 'none' turns automatic selection off", { shownDefault: "picked from the model's hub id or type" }),
    flag('--pooling <mode>', 'pooling of the last layer', { choices: ['cls', 'mean', 'max', 'pooler'], shownDefault: 'the preset\'s or the model\'s' }),
    flag('--normalize', 'L2-normalise the vectors'),
    flag('--no-normalize', 'do not L2-normalise the vectors'),
    flag('--max-length <n>', maxLength, { parse: positiveInt, shownDefault: "the preset's or the model's" }),
    use === 'index' && flag('--query-max-length <n>', 'max tokens per query, recorded in the index for searching', { parse: positiveInt, shownDefault: "the preset's or the model's" }),
    use !== 'import' && flag('--passage-format <format>', 'how title and text form a passage input', { choices: ['pair', 'join', 'text'], shownDefault: "the preset's or the model's" }),
    flag('--token-types <mode>', "'zero' feeds all-zero token types, as DPR does", { choices: ['keep', 'zero'], shownDefault: "the preset's or keep" }),
    use !== 'embed' && flag('--similarity <kind>', 'how a query and a passage are scored, recorded in the index: dot product or cosine', { choices: ['dot', 'cosine'], shownDefault: "the preset's or the model's" }),
    encodes && flag('--batch-size <n>', 'max sequences per forward pass', { parse: positiveInt, shownDefault: use === 'index' ? DEFAULT_BUILD_BATCH_SIZE : 64 }),
    encodes && flag('--threads <n>', 'inference threads', { parse: positiveInt, shownDefault: 'all cores' }),
    flag('--quantize <mode>', use === 'import' ? "'int8': encode queries at search time with dynamic int8 linear layers (faster; small accuracy cost)" : "'int8': dynamic int8 linear layers (faster; small accuracy cost)", { choices: ['none', 'int8'], shownDefault: 'none' }),
  ];
  for (const option of options) if (option) cmd.addOption(option);
  return cmd;
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
