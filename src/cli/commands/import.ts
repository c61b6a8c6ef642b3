import { importVectors } from '../../index/import/import-vectors.js';
import { VECTOR_DTYPES } from '../../index/formats/manifest.js';
import type { VectorDType } from '../../index/formats/vector-types.js';
import { buildProgressReporter } from '../build-progress-bar.js';
import { positiveInt } from '../arguments.js';
import { flag } from '../help.js';
import { DEFAULT_SHARD_SIZE } from '../../index/build/build.js';
import { addEncoderOptions, loadEncoderPairFromFlags, QUERY_MODEL_HELP, type EncoderFlagValues } from '../encoder-options.js';
import { addEngineOptions, engineChoiceFromFlags, type EngineFlagValues } from '../engine-options.js';
import type { RegisterCommand } from './registry.js';

interface ImportFlags extends EncoderFlagValues, EngineFlagValues {
  model: string;
  queryModel?: string;
  vectors: string;
  docids: string;
  out: string;
  dtype: VectorDType;
  shardSize?: number;
}

/** `densekit import`: make a searchable index from a FAISS flat index or .npy vectors plus their docids. */
export const registerImport: RegisterCommand = (program) => {
  const cmd = program
    .command('import')
    .description('make an index directory from vectors encoded elsewhere (FAISS IndexFlatIP or .npy, plus a docid file)')
    .requiredOption(
      '--model <model>',
      'the model (hub id or directory) that encoded the vectors, with its settings flags; it encodes queries too unless --query-model. ' +
        'A DPR question encoder given alone is taken as the query model (an alias kept for imports made before --query-model)',
    )
    .option('--query-model <model>', QUERY_MODEL_HELP)
    .requiredOption('--vectors <file>', 'FAISS flat index (e.g. Pyserini\'s index file) or 2-D float32/float16 .npy')
    .requiredOption('--docids <file>', 'one docid per line, in row order')
    .requiredOption('--out <dir>', 'index directory to create')
    .addOption(flag('--dtype <dtype>', 'stored vector type', { choices: VECTOR_DTYPES, default: 'f32' }))
    .addOption(flag('--shard-size <n>', 'rows per shard file; import holds one shard of float32 rows in memory', { parse: positiveInt, shownDefault: DEFAULT_SHARD_SIZE }));
  addEncoderOptions(addEngineOptions(cmd), 'import').action(async (flags: ImportFlags) => {
    const engine = engineChoiceFromFlags(flags);
    const encoder = await loadEncoderPairFromFlags(flags, { passagesEncodedElsewhere: true });
    const progress = buildProgressReporter();
    try {
      const m = await importVectors({
        onEvent: (e) => progress.onEvent(e),
        encoder,
        vectorsPath: flags.vectors,
        docidsPath: flags.docids,
        outDir: flags.out,
        index: engine,
        ...(flags.hnswThreads ? { engineThreads: flags.hnswThreads } : {}),
        dtype: flags.dtype,
        ...(flags.shardSize ? { shardSize: flags.shardSize } : {}),
      });
      process.stderr.write(`densekit: imported ${m.count} vectors of ${m.dims} dims into ${flags.out} (${m.dtype}, ${m.engine.kind}, queries by ${(m.queryModel ?? m.model).id})\n`);
    } finally {
      progress.stop();
      await encoder.dispose();
    }
  });
};
