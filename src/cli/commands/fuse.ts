import { positiveInt } from '../arguments.js';
import { InvalidArgumentError } from 'commander';
import { readTrecRun, type Run } from '../../eval/run.js';
import { writeTrecRun } from '../../results/trec-run.js';
import { DEFAULT_ALPHA, DEFAULT_FUSED_HITS, DEFAULT_RRF_K, fuseRuns, type FusionMethod } from '../../fusion/fuse-runs.js';
import type { QueryHits } from '../../results/hits.js';
import { withOutputFile } from '../output-file.js';
import type { RegisterCommand } from './registry.js';

function finiteNumber(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new InvalidArgumentError('expected a number');
  return n;
}

function fusionMethod(value: string): FusionMethod {
  if (value !== 'rrf' && value !== 'interpolate') throw new InvalidArgumentError('expected "rrf" or "interpolate"');
  return value;
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
    .option('--method <name>', 'rrf or interpolate', fusionMethod, 'rrf' as FusionMethod)
    .option('--alpha <x>', 'interpolate: score = run1 + alpha * run2 (Pyserini HybridSearcher)', finiteNumber, DEFAULT_ALPHA)
    .option('--no-normalize', 'interpolate: use raw scores instead of per-query (s - mid) / (max - min)')
    .option('--rrf-k <n>', 'rrf: the rank constant in 1 / (k + rank)', finiteNumber, DEFAULT_RRF_K)
    .option('--depth <n>', 'use only the top n hits of each run per query', positiveInt)
    .option('--k <n>', 'fused hits to keep per query', positiveInt, DEFAULT_FUSED_HITS)
    .option('--output <file>', 'output TREC run file (default: stdout)')
    .option('--tag <name>', 'run tag written in the last column', 'densekit-fusion')
    .action(async (flags: FuseFlags) => {
      if (flags.runs.length < 2) throw new Error(`--runs needs at least two files, got ${flags.runs.length}`);
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
