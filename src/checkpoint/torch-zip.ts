import { unpickle } from './pickle.js';
import { readZipEntries } from './zip-reader.js';
import { StorageRef, parseStoragePid, toStateDict, torchPickleHooks } from './torch-pickle.js';
import type { StateDict } from './tensor.js';

/**
 * Parses a torch ≥ 1.6 zip checkpoint: `<stem>/data.pkl` describes the tensors, and each storage is
 * the raw entry `<stem>/data/<key>`. Storages start on 64-byte boundaries, so F32 tensors are views.
 */
export function parseTorchZip(bytes: Uint8Array, source: string): StateDict {
  const entries = readZipEntries(bytes, source);
  const pickles = [...entries.keys()].filter((n) => /^[^/]+\/data\.pkl$/.test(n));
  if (pickles.length !== 1) {
    throw new Error(`${source}: expected one <name>/data.pkl in the zip archive, found ${pickles.length} (is this a torch checkpoint?)`);
  }
  const pklName = pickles[0]!;
  const stem = pklName.slice(0, -'data.pkl'.length);
  const byteorder = entries.get(`${stem}byteorder`);
  if (byteorder && new TextDecoder().decode(byteorder) !== 'little') {
    throw new Error(`${source}: big-endian checkpoints are not supported`);
  }

  const where = `${source} (${pklName})`;
  const storages = new Map<string, StorageRef>();
  const hooks = torchPickleHooks(where, (pid, offset) => {
    const { type, key, numel } = parseStoragePid(pid, offset, where);
    const known = storages.get(key);
    if (known) return known;
    const data = entries.get(`${stem}data/${key}`);
    if (!data) throw new Error(`${source}: storage '${key}' named in ${pklName} has no entry ${stem}data/${key}`);
    const storage = new StorageRef(key, type.dtype, numel);
    storage.bytes = data;
    storages.set(key, storage);
    return storage;
  });
  const pkl = entries.get(pklName)!;
  const { value, end } = unpickle(pkl, 0, hooks);
  if (end !== pkl.length) throw new Error(`${where}: ${pkl.length - end} unexpected bytes after the pickle`);
  return toStateDict(value, source);
}
