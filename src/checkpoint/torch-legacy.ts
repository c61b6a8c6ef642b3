import { DTYPE_SIZE } from './dtype.js';
import { isPickleTuple, unpickle, type UnpickleHooks } from './pickle.js';
import { StorageRef, parseStoragePid, toStateDict, torchPickleHooks } from './torch-pickle.js';
import type { StateDict } from './tensor.js';

const LEGACY_MAGIC = 0x1950a86a20f9469cfc6cn;
const LEGACY_PROTOCOL = 1001;

/** Hooks for the header pickles (magic, protocol, sys_info, key list): plain data, no globals at all. */
const plainHooks = (source: string): UnpickleHooks => ({
  source,
  findGlobal(module, name, offset) {
    const shown = JSON.stringify(`${module}.${name}`).slice(1, -1);
    throw new Error(`${source}: restricted unpickler refuses global '${shown}' at byte offset ${offset} (only state-dict globals are allowed)`);
  },
});

/**
 * Parses a legacy (torch < 1.6) checkpoint: pickles of the magic number, protocol version, sys_info,
 * the state dict, and the storage key list; then each storage in key order as an int64 element count
 * and raw bytes. Those bytes are not aligned, so tensors over them are copied when read.
 */
export function parseTorchLegacy(bytes: Uint8Array, source: string): StateDict {
  const header = plainHooks(source);
  const magic = unpickle(bytes, 0, header);
  if (magic.value !== LEGACY_MAGIC) throw new Error(`${source}: not a torch checkpoint (bad magic number)`);
  const protocol = unpickle(bytes, magic.end, header);
  if (protocol.value !== LEGACY_PROTOCOL) {
    throw new Error(`${source}: unsupported legacy torch protocol version ${String(protocol.value)} (expected ${LEGACY_PROTOCOL})`);
  }
  const sysInfo = unpickle(bytes, protocol.end, header);
  const info = sysInfo.value;
  if (info instanceof Map && info.get('little_endian') === false) {
    throw new Error(`${source}: big-endian checkpoints are not supported`);
  }

  // Root storages by key; view storages (6th pid field) are aliases onto a root at an element offset.
  const roots = new Map<string, StorageRef>();
  const views: Array<{ view: StorageRef; root: StorageRef; offset: number }> = [];
  const viewsByKey = new Map<string, StorageRef>();
  const hooks = torchPickleHooks(source, (pid, offset) => {
    const { type, key, numel, rest } = parseStoragePid(pid, offset, source);
    let root = roots.get(key);
    if (!root) {
      root = new StorageRef(key, type.dtype, numel);
      roots.set(key, root);
    }
    const viewMetadata = rest[0] ?? null;
    if (viewMetadata === null) return root;
    if (!isPickleTuple(viewMetadata) || viewMetadata.length !== 3) {
      throw new Error(`${source}: storage view metadata is not (key, offset, size) at byte offset ${offset}`);
    }
    const [viewKey, viewOffset, viewSize] = viewMetadata;
    if (typeof viewKey !== 'string' || typeof viewOffset !== 'number' || typeof viewSize !== 'number' || viewOffset < 0 || viewSize < 0 || viewOffset + viewSize > numel) {
      throw new Error(`${source}: storage view ${JSON.stringify(viewMetadata)} does not fit storage '${key}' at byte offset ${offset}`);
    }
    let view = viewsByKey.get(viewKey);
    if (!view) {
      view = new StorageRef(viewKey, type.dtype, viewSize);
      viewsByKey.set(viewKey, view);
      views.push({ view, root, offset: viewOffset });
    }
    return view;
  });
  const stateDict = unpickle(bytes, sysInfo.end, hooks);
  const keyList = unpickle(bytes, stateDict.end, header);
  const keys = keyList.value;
  if (!Array.isArray(keys) || !keys.every((k) => typeof k === 'string')) {
    throw new Error(`${source}: storage key list is not a list of strings at byte offset ${stateDict.end}`);
  }

  let pos = keyList.end;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (const key of keys as string[]) {
    const storage = roots.get(key);
    if (!storage) throw new Error(`${source}: storage key '${key}' is not used by any tensor`);
    if (pos + 8 > bytes.length) throw new Error(`${source}: file ends before storage '${key}' at byte offset ${pos} (truncated?)`);
    const numel = view.getBigInt64(pos, true);
    if (numel !== BigInt(storage.numel)) {
      throw new Error(`${source}: storage '${key}' at byte offset ${pos} holds ${numel} elements, the pickle says ${storage.numel}`);
    }
    pos += 8;
    const size = storage.numel * DTYPE_SIZE[storage.dtype];
    if (pos + size > bytes.length) {
      throw new Error(`${source}: storage '${key}' needs ${size} bytes from byte offset ${pos} but the file ends at ${bytes.length} (truncated?)`);
    }
    storage.bytes = bytes.subarray(pos, pos + size);
    pos += size;
  }
  if (pos !== bytes.length) throw new Error(`${source}: ${bytes.length - pos} unexpected bytes after the last storage`);
  for (const { view: v, root, offset } of views) {
    const size = DTYPE_SIZE[root.dtype];
    v.bytes = root.bytes?.subarray(offset * size, (offset + v.numel) * size);
  }
  return toStateDict(stateDict.value, source);
}
