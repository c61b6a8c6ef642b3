import { exportIndex } from '../../index/build/export.js';
import { addEngineOptions, engineChoiceFromFlags, type EngineFlagValues } from '../engine-options.js';
import type { RegisterCommand } from './registry.js';

interface ExportFlags extends EngineFlagValues {
  from: string;
  out: string;
}

/** `densekit export`: an existing index under another engine, without re-encoding. */
export const registerExport: RegisterCommand = (program) => {
  const cmd = program
    .command('export')
    .description('copy a finished index to another engine (e.g. flat → hnsw) without re-encoding: stored vectors and passages go to the engine as they are')
    .requiredOption('--from <dir>', 'the finished index to read')
    .requiredOption('--out <dir>', 'index directory to create');
  addEngineOptions(cmd).action(async (flags: ExportFlags) => {
    const engine = engineChoiceFromFlags(flags);
    const started = Date.now();
    const m = await exportIndex({
      fromDir: flags.from,
      outDir: flags.out,
      index: engine,
      ...(flags.hnswThreads ? { engineThreads: flags.hnswThreads } : {}),
      log: (message) => process.stderr.write(`densekit: ${message}\n`),
    });
    process.stderr.write(`densekit: exported ${m.count} passages from ${flags.from} to ${flags.out} (${m.engine.kind}) in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  });
};
