import { positiveInt } from '../arguments.js';
import { InvalidArgumentError } from 'commander';
import { readTrecRun, type Run } from '../../eval/run.js';
import { writeTrecRun } from '../../results/trec-run.js';
import { DEFAULT_ALPHA, DEFAULT_FUSED_HITS, DEFAULT_RRF_K, fuseRuns, type FusionMethod } from '../../fusion/fuse-runs.js';
import type { QueryHits } from '../../results/hits.js';
import { UsageError } from '../errors.js';
import { flag } from '../help.js';
import { withOutputFile } from '../output-file.js';
import type { RegisterCommand } from './registry.js';

function finiteNumber(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new InvalidArgumentError('expected a number');
  return n;
}

function runToHits(run: Run): QueryHits[] {
  return [...run].map(([qid, list]) => ({
    qid,
    hits: list.docids.map((docid, i) => ({ docid, score: list.scores[i]! })),
  }));
}

interface FuseFlags {
  runs: string[];
  method: FusionMethod;
  alpha: number;
  normalize: boolean;
  rrfK: number;
  depth?: number;
  k: number;
  output?: string;
  tag: string;
}

export const registerFuse: RegisterCommand = (program) => {
  program
    .command('fuse')
    .description('fuse TREC runs (e.g. dense + BM25) by reciprocal rank fusion or score interpolation')
    .requiredOption('--runs <files...>', 'two or more TREC run files (interpolate: exactly two, the second weighted by --alpha)')
    .addOption(flag('--method <name>', 'reciprocal rank fusion, or score interpolation', { choices: ['rrf', 'interpolate'], default: 'rrf' }))
    .addOption(flag('--alpha <x>', 'interpolate: score = run1 + alpha * run2 (Pyserini HybridSearcher)', { parse: finiteNumber, default: DEFAULT_ALPHA }))
    .option('--no-normalize', 'interpolate: use raw scores instead of per-query (s - mid) / (max - min)')
    .addOption(flag('--rrf-k <n>', 'rrf: the rank constant in 1 / (k + rank)', { parse: finiteNumber, default: DEFAULT_RRF_K }))
    .addOption(flag('--depth <n>', 'use only the top n hits of each run per query', { parse: positiveInt, shownDefault: 'all' }))
    .addOption(flag('--k <n>', 'fused hits to keep per query', { parse: positiveInt, default: DEFAULT_FUSED_HITS }))
    .addOption(flag('--output <file>', 'output TREC run file', { shownDefault: 'stdout' }))
    .addOption(flag('--tag <name>', 'run tag written in the last column', { default: 'densekit-fusion' }))
    .action(async (flags: FuseFlags) => {
      if (flags.runs.length < 2) throw new UsageError(`--runs needs at least two files, got ${flags.runs.length}`);
      const runs = await Promise.all(flags.runs.map(async (path) => runToHits(await readTrecRun(path))));
      const fused = fuseRuns(runs, {
        method: flags.method,
        k: flags.rrfK,
        alpha: flags.alpha,
        normalize: flags.normalize,
        ...(flags.depth !== undefined ? { depth: flags.depth } : {}),
        hits: flags.k,
      });
      await withOutputFile(flags.output, (out) => out.write(writeTrecRun(fused, flags.tag)));
    });
};
