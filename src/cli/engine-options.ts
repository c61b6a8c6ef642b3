// `--index NAME[:params]` for `index` and `import`, with the older `--hnsw-*` flags as aliases for
// the hnsw engine's parameters.
import type { Command } from 'commander';
import { chooseEngine, registeredEngines } from '../index/engines/registry.js';
import { parseEngineSpec } from '../index/engines/params.js';
import type { EngineChoice } from '../index/formats/manifest.js';
import { positiveInt } from './arguments.js';
import { UsageError } from './errors.js';
import { flag } from './help.js';

export interface EngineFlagValues {
  index: string;
  hnswM?: number;
  hnswEfConstruction?: number;
  hnswThreads?: number;
}

export function addEngineOptions(cmd: Command): Command {
  const engines = registeredEngines().map((e) => e.summary).join('; ');
  return cmd
    .addOption(flag('--index <engine>', `search engine, NAME or NAME:param=value,...; engines: ${engines}`, { default: 'flat' }))
    .addOption(flag('--hnsw-m <n>', 'same as --index hnsw:M=N', { parse: positiveInt }))
    .addOption(flag('--hnsw-ef-construction <n>', 'same as --index hnsw:efConstruction=N', { parse: positiveInt }))
    .addOption(flag('--hnsw-threads <n>', 'HNSW insertion threads; 1 gives reproducible bytes, more is faster but not reproducible', { parse: positiveInt, shownDefault: 1 }));
}

/** The engine and its checked parameters; the alias flags only go with --index hnsw. */
export function engineChoiceFromFlags(flags: EngineFlagValues): EngineChoice {
  const spec = parseEngineSpec(flags.index);
  const params: Record<string, string | number> = { ...spec.params } as Record<string, string | number>;
  const alias = (flag: string, name: string, value: number | undefined) => {
    if (value === undefined) return;
    if (spec.kind !== 'hnsw') throw new UsageError(`${flag} applies to --index hnsw, not ${spec.kind}`);
    if (name in params) throw new UsageError(`${flag} and --index ${flags.index} both set ${name}`);
    params[name] = value;
  };
  alias('--hnsw-m', 'M', flags.hnswM);
  alias('--hnsw-ef-construction', 'efConstruction', flags.hnswEfConstruction);
  if (flags.hnswThreads !== undefined && spec.kind !== 'hnsw') throw new UsageError(`--hnsw-threads applies to --index hnsw, not ${spec.kind}`);
  return chooseEngine({ kind: spec.kind, params }).choice;
}
