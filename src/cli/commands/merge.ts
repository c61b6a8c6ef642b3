import { mergeSlices } from '../../index/build/merge.js';
import type { RegisterCommand } from './registry.js';

/** `densekit merge`: join `index --shard i/n` slices into the index a single run would have built. */
export const registerMerge: RegisterCommand = (program) => {
  program
    .command('merge')
    .description('join the slice directories of `densekit index --shard i/n` into one index')
    .requiredOption('--out <dir>', 'index directory to create')
    .argument('<slices...>', 'slice directories (any order)')
    .action(async (slices: string[], flags: { out: string }) => {
      const m = await mergeSlices({ outDir: flags.out, sliceDirs: slices });
      process.stderr.write(`densekit: merged ${slices.length} slices into ${flags.out}: ${m.count} passages in ${m.shards.length} shards\n`);
    });
};
