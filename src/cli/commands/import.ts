import { Option } from 'commander';
import { Encoder } from '../../encoder/encoder.js';
import { importVectors } from '../../index/import/import-vectors.js';
import { VECTOR_DTYPES } from '../../index/formats/manifest.js';
import type { VectorDType } from '../../index/formats/vector-types.js';
import { positiveInt } from '../arguments.js';
import { addEncoderOptions, encoderOptionsFromFlags, type EncoderFlagValues } from '../encoder-options.js';
import { addEngineOptions, engineChoiceFromFlags, type EngineFlagValues } from '../engine-options.js';
import type { RegisterCommand } from './registry.js';

interface ImportFlags extends EncoderFlagValues, EngineFlagValues {
  model: string;
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
    .requiredOption('--model <model>', 'the query encoder (hub id or directory) matching the vectors, with its settings flags')
    .requiredOption('--vectors <file>', 'FAISS flat index (e.g. Pyserini\'s index file) or 2-D float32/float16 .npy')
    .requiredOption('--docids <file>', 'one docid per line, in row order')
    .requiredOption('--out <dir>', 'index directory to create')
    .addOption(new Option('--dtype <dtype>', 'stored vector type').choices(VECTOR_DTYPES).default('f32'))
    .option('--shard-size <n>', 'rows per shard file', positiveInt);
  addEncoderOptions(addEngineOptions(cmd)).action(async (flags: ImportFlags) => {
    const engine = engineChoiceFromFlags(flags);
    const encoder = await Encoder.load(flags.model, encoderOptionsFromFlags(flags, 'query'));
    try {
      const m = await importVectors({
        encoder,
        vectorsPath: flags.vectors,
        docidsPath: flags.docids,
        outDir: flags.out,
        index: engine,
        ...(flags.hnswThreads ? { engineThreads: flags.hnswThreads } : {}),
        dtype: flags.dtype,
        ...(flags.shardSize ? { shardSize: flags.shardSize } : {}),
      });
      process.stderr.write(`densekit: imported ${m.count} vectors of ${m.dims} dims into ${flags.out} (${m.dtype}, ${m.engine.kind}, queries by ${m.model.id})\n`);
    } finally {
      await encoder.dispose();
    }
  });
};
