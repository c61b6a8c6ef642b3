import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { readSafetensors } from './safetensors.js';
import { readShardedCheckpoint } from './sharded.js';
import type { StateDict } from './tensor.js';
import { readTorchCheckpoint } from './torch-file.js';

export type { DType, Tensor, StateDict } from './tensor.js';
export { readSafetensors } from './safetensors.js';
export { readTorchCheckpoint } from './torch-file.js';
export { normalizeWeightNames } from './normalize-names.js';
export type { NormalizedWeights } from './normalize-names.js';

/** Weight files of a model directory, in order of preference (safetensors first: no pickle, zero-copy). */
const WEIGHT_FILES: ReadonlyArray<{ name: string; read: (path: string) => Promise<StateDict> }> = [
  { name: 'model.safetensors', read: readSafetensors },
  { name: 'model.safetensors.index.json', read: (p) => readShardedCheckpoint(p, readSafetensors) },
  { name: 'pytorch_model.bin', read: readTorchCheckpoint },
  { name: 'pytorch_model.bin.index.json', read: (p) => readShardedCheckpoint(p, readTorchCheckpoint) },
];

async function isFile(path: string): Promise<boolean> {
  return stat(path).then((s) => s.isFile(), () => false);
}

/** Which weight file `loadCheckpoint` would read in `dir` (undefined if none). */
export async function findWeightFile(dir: string): Promise<string | undefined> {
  for (const { name } of WEIGHT_FILES) {
    if (await isFile(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

/** Loads the weights of a Hugging Face model directory, keys as stored in the file. */
export async function loadCheckpoint(dir: string): Promise<StateDict> {
  for (const { name, read } of WEIGHT_FILES) {
    const path = join(dir, name);
    if (await isFile(path)) return read(path);
  }
  throw new Error(`${dir}: no weight file found (looked for ${WEIGHT_FILES.map((f) => f.name).join(', ')})`);
}
