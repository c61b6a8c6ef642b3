// `--index NAME[:params]` for `index` and `import`, with the older `--hnsw-*` flags as aliases for
// the hnsw engine's parameters.
import type { Command } from 'commander';
import { collectionNameFor, MILVUS_KIND } from '../index/engines/milvus/milvus-engine.js';
import { chooseEngine, registeredEngines } from '../index/engines/registry.js';
import { parseEngineSpec } from '../index/engines/params.js';
import type { EngineChoice } from '../index/formats/manifest.js';
import { nonNegativeInt, positiveInt } from './arguments.js';
import { UsageError } from './errors.js';
import { flag } from './help.js';

export interface EngineFlagValues {
  index: string;
  hnswM?: number;
  hnswEfConstruction?: number;
  hnswThreads?: number;
  milvusUri?: string;
  collection?: string;
  /** The index directory; a milvus collection is named after it unless --collection says otherwise. */
  out?: string;
}

export function addEngineOptions(cmd: Command): Command {
  const engines = registeredEngines().map((e) => e.summary).join('; ');
  cmd
    .addOption(flag('--index <engine>', `search engine, NAME or NAME:param=value,...; engines: ${engines}`, { default: 'flat' }))
    .addOption(flag('--hnsw-m <n>', 'same as --index hnsw:M=N', { parse: positiveInt }))
    .addOption(flag('--hnsw-ef-construction <n>', 'same as --index hnsw:efConstruction=N', { parse: positiveInt }))
    .addOption(flag('--hnsw-threads <n>', 'HNSW insertion threads; 1 gives reproducible bytes, more is faster but not reproducible', { parse: positiveInt, shownDefault: 1 }));
  return addMilvusOptions(cmd);
}

/** Where a milvus index's collection lives (index, import and export). */
export function addMilvusOptions(cmd: Command): Command {
  return cmd
    .addOption(flag('--milvus-uri <uri>', 'same as --index milvus:uri=URI; the token comes only from $MILVUS_TOKEN', { shownDefault: '$MILVUS_URI, else 127.0.0.1:19530' }))
    .addOption(flag('--collection <name>', 'same as --index milvus:collection=NAME', { shownDefault: "the --out directory's name" }));
}

/** The engine and its checked parameters; the alias flags only go with --index hnsw. */
export function engineChoiceFromFlags(flags: EngineFlagValues): EngineChoice {
  const spec = parseEngineSpec(flags.index);
  const params: Record<string, string | number> = { ...spec.params } as Record<string, string | number>;
  const alias = (kind: string, flag: string, name: string, value: number | string | undefined) => {
    if (value === undefined) return;
    if (spec.kind !== kind) throw new UsageError(`${flag} applies to --index ${kind}, not ${spec.kind}`);
    if (name in params) throw new UsageError(`${flag} and --index ${flags.index} both set ${name}`);
    params[name] = value;
  };
  alias('hnsw', '--hnsw-m', 'M', flags.hnswM);
  alias('hnsw', '--hnsw-ef-construction', 'efConstruction', flags.hnswEfConstruction);
  if (flags.hnswThreads !== undefined && spec.kind !== 'hnsw') throw new UsageError(`--hnsw-threads applies to --index hnsw, not ${spec.kind}`);
  alias(MILVUS_KIND, '--milvus-uri', 'uri', flags.milvusUri);
  alias(MILVUS_KIND, '--collection', 'collection', flags.collection);
  if (spec.kind === MILVUS_KIND && !('collection' in params) && flags.out !== undefined) params.collection = collectionNameFor(flags.out);
  return chooseEngine({ kind: spec.kind, params }).choice;
}

/** Search-time flags that go to the engine as search parameters (none when not given, so other engines see nothing). */
export function engineSearchParams(flags: { nprobe?: number; milvusUri?: string; rescore?: number }): { searchParams?: Record<string, string | number> } {
  const params = {
    ...(flags.nprobe !== undefined ? { nprobe: flags.nprobe } : {}),
    ...(flags.milvusUri !== undefined ? { uri: flags.milvusUri } : {}),
    ...(flags.rescore !== undefined ? { rescore: flags.rescore } : {}),
  };
  return Object.keys(params).length ? { searchParams: params } : {};
}

/** The HNSW search flags `search` and `serve` share. */
export function addHnswSearchOptions(cmd: Command): Command {
  return cmd
    .addOption(flag('--ef-search <n>', 'HNSW candidate list size, raised to k (same as search parameter efSearch)', { parse: positiveInt, shownDefault: 64 }))
    .addOption(flag('--rescore <n>', 'HNSW: score the best N graph candidates again exactly from the stored vectors (0: graph scores)', { parse: nonNegativeInt, shownDefault: 0 }));
}
