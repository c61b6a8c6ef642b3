import { readJsonFile } from '../files/json-file.js';
import { access } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { StateDict } from './tensor.js';

/** Reads one shard file of a sharded checkpoint (safetensors or torch .bin). */
export type ShardReader = (path: string) => Promise<StateDict>;

/**
 * Loads a sharded checkpoint from its `*.index.json` (`{"weight_map": {tensor: shard file}}`).
 * Every listed shard must exist; every tensor the map names must be in its shard.
 * Tensors a shard holds beyond the map are kept too (nothing is dropped silently).
 */
export async function readShardedCheckpoint(indexPath: string, readShard: ShardReader): Promise<StateDict> {
  const index = await readJsonFile(indexPath);
  const weightMap = (index as { weight_map?: unknown } | null)?.weight_map;
  if (typeof weightMap !== 'object' || weightMap === null || Array.isArray(weightMap)) {
    throw new Error(`${indexPath}: shard index has no "weight_map" object`);
  }
  const byShard = new Map<string, string[]>();
  for (const [tensor, shard] of Object.entries(weightMap as Record<string, unknown>)) {
    if (typeof shard !== 'string' || shard === '' || shard.includes('/') || shard.includes('\\')) {
      throw new Error(`${indexPath}: weight_map entry for '${tensor}' is not a plain file name: ${JSON.stringify(shard)}`);
    }
    const list = byShard.get(shard) ?? [];
    list.push(tensor);
    byShard.set(shard, list);
  }
  if (byShard.size === 0) throw new Error(`${indexPath}: weight_map is empty`);

  const dir = dirname(indexPath);
  const missing: string[] = [];
  for (const shard of byShard.keys()) {
    await access(join(dir, shard)).catch(() => missing.push(shard));
  }
  if (missing.length > 0) {
    throw new Error(`${indexPath}: shard file(s) listed in weight_map are missing from ${dir}: ${missing.join(', ')}`);
  }

  const merged: StateDict = new Map();
  for (const [shard, tensors] of byShard) {
    const path = join(dir, shard);
    const part = await readShard(path);
    for (const name of tensors) {
      if (!part.has(name)) throw new Error(`${path}: tensor '${name}' listed in ${indexPath} is not in this shard`);
    }
    for (const [name, tensor] of part) {
      if (merged.has(name)) throw new Error(`${path}: tensor '${name}' also appears in another shard`);
      merged.set(name, tensor);
    }
  }
  return merged;
}
