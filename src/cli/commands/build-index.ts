import { CORPUS_FORMATS, type CorpusFormat } from '../../corpus/index.js';
import { parseSliceSpec } from '../../index/build/slice.js';
import { DEFAULT_BUILD_BATCH_SIZE, DEFAULT_SHARD_SIZE } from '../../index/build/build.js';
import { Index } from '../../index/dense-index.js';
import { VECTOR_DTYPES } from '../../index/formats/manifest.js';
import type { VectorDType } from '../../index/formats/vector-types.js';
import { positiveInt } from '../arguments.js';
import { UsageError } from '../errors.js';
import { flag } from '../help.js';
import { buildProgressReporter } from '../build-progress-bar.js';
import { addEncoderOptions, loadEncoderPairFromFlags, QUERY_MODEL_HELP, type EncoderFlagValues } from '../encoder-options.js';
import { addEngineOptions, engineChoiceFromFlags, type EngineFlagValues } from '../engine-options.js';
import { buildBm25FromCorpus } from '../../sparse/build-bm25-from-corpus.js';
import type { Bm25FieldMode } from '../../sparse/index.js';
import type { RegisterCommand } from './registry.js';

async function buildBm25Command(flags: IndexFlags): Promise<void> {
  const started = Date.now();
  const { index, skipped } = await buildBm25FromCorpus({
    corpusPath: flags.corpus,
    outDir: flags.out,
    fields: flags.fields,
    ...(flags.format ? { format: flags.format } : {}),
    skipBad: flags.skipBad ?? false,
  });
  process.stderr.write(`densekit: indexed ${index.size} passages into ${flags.out} (BM25, ${flags.fields}) in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  if (skipped.skipped > 0) {
    process.stderr.write(`densekit: skipped ${skipped.skipped} malformed line(s) (--skip-bad), e.g.:\n`);
    for (const ex of skipped.skippedExamples.slice(0, 5)) process.stderr.write(`  ${ex}\n`);
  }
}

interface IndexFlags extends EncoderFlagValues, EngineFlagValues {
  model?: string;
  queryModel?: string;
  bm25?: boolean;
  fields: Bm25FieldMode;
  corpus: string;
  out: string;
  dtype: VectorDType;
  shard?: string;
  shardSize?: number;
  skipBad?: boolean;
  format?: CorpusFormat;
}

/** `densekit index`: encode a corpus into an index directory (resumable: rerun the same command). */
export const registerIndex: RegisterCommand = (program) => {
  const cmd = program
    .command('index')
    .description('encode a corpus into a searchable index directory; rerun the same command to resume an interrupted build')
    .option('--model <model>', 'the passage model: hub id[@revision] or local model directory (required unless --bm25); it encodes queries too unless --query-model')
    .option('--query-model <model>', QUERY_MODEL_HELP)
    .option('--bm25', 'build a BM25 index (Lucene/Anserini-compatible) instead of encoding with a model')
    .addOption(flag('--fields <mode>', 'BM25 only: title and text as one field, or as separate fields', { choices: ['flat', 'multifield'], default: 'flat' }))
    .requiredOption('--corpus <file>', 'corpus file (plain or .gz)')
    .requiredOption('--out <dir>', 'index directory to create (or resume)')
    .addOption(flag('--dtype <dtype>', 'stored vector type', { choices: VECTOR_DTYPES, default: 'f32' }))
    .option('--shard <i/n>', 'encode only slice i of n (0-based): whole --shard-size windows are dealt out in order, slice sizes differ by at most one window; fewer windows than slices leave some slices empty (warned; use a smaller --shard-size); join the slices with `densekit merge`')
    .addOption(flag('--shard-size <n>', 'records per shard file, the unit of resume', { parse: positiveInt, shownDefault: DEFAULT_SHARD_SIZE }))
    .option('--skip-bad', 'skip malformed corpus lines (counted and reported) instead of stopping')
    .addOption(flag('--format <format>', 'corpus format', { choices: CORPUS_FORMATS, shownDefault: 'detected from the first line' }));
  addEncoderOptions(addEngineOptions(cmd), 'index').action(async (flags: IndexFlags) => {
    if (flags.bm25) return buildBm25Command(flags);
    if (!flags.model) throw new UsageError("required option '--model <model>' not specified (or give --bm25 for a BM25 index)");
    const engine = engineChoiceFromFlags(flags);
    const slice = flags.shard !== undefined ? parseSliceSpec(flags.shard) : undefined;
    const encoder = await loadEncoderPairFromFlags({ ...flags, model: flags.model });
    const progress = buildProgressReporter();
    const started = Date.now();
    try {
      const result = await Index.build({
        encoder,
        corpusPath: flags.corpus,
        ...(flags.format ? { format: flags.format } : {}),
        outDir: flags.out,
        index: engine,
        dtype: flags.dtype,
        ...(slice ? { shard: slice } : {}),
        batchSize: flags.batchSize ?? DEFAULT_BUILD_BATCH_SIZE,
        ...(flags.shardSize ? { shardSize: flags.shardSize } : {}),
        skipBad: flags.skipBad ?? false,
        ...(flags.hnswThreads ? { engineThreads: flags.hnswThreads } : {}),
        onEvent: (e) => progress.onEvent(e),
        log: (m) => process.stderr.write(`densekit: ${m}\n`),
      });
      progress.stop();
      const seconds = (Date.now() - started) / 1000;
      const m = result.manifest;
      if (result.alreadyComplete) process.stderr.write(`densekit: ${result.dir} already holds this finished index (${m.count} passages); nothing to do\n`);
      else {
        process.stderr.write(
          `densekit: indexed ${m.count} passages${m.slice ? ` (slice ${m.slice.i}/${m.slice.n} of ${m.slice.totalCount})` : ''} into ${result.dir}: ` +
            `${m.dims} dims, ${m.dtype}, ${m.similarity}; encoded ${result.encoded} in ${seconds.toFixed(1)} s` +
            `${result.encoded ? ` (${(result.encoded / seconds).toFixed(1)} passages/s)` : ''}` +
            `${result.resumedAt ? `, ${result.resumedAt} resumed from an earlier run` : ''}\n`,
        );
      }
      if (result.skipped.skipped > 0) {
        process.stderr.write(`densekit: skipped ${result.skipped.skipped} malformed line(s) (--skip-bad), e.g.:\n`);
        for (const ex of result.skipped.skippedExamples.slice(0, 5)) process.stderr.write(`  ${ex}\n`);
      }
    } finally {
      progress.stop();
      await encoder.dispose();
    }
  });
};
