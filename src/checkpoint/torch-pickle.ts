import { DTYPE_SIZE } from './dtype.js';
import { isPickleTuple, type PickleCallable, type UnpickleHooks } from './pickle.js';
import { elementCount, StoredTensor, viewExtent } from './stored-tensor.js';
import type { DType, StateDict } from './tensor.js';

/** torch storage classes a state dict may name, and the element type each holds. */
/** Most bytes a strided view that repeats its storage may expand to when loaded (64 MiB). */
export const MAX_EXPANDED_BYTES = 64 * 1024 * 1024;

const STORAGE_DTYPES: Readonly<Record<string, DType>> = {
  FloatStorage: 'F32', HalfStorage: 'F16', BFloat16Storage: 'BF16', DoubleStorage: 'F64',
  LongStorage: 'I64', IntStorage: 'I32', ShortStorage: 'I16', CharStorage: 'I8',
  ByteStorage: 'U8', BoolStorage: 'BOOL',
};

/** A storage class named by a GLOBAL (data only; it is never instantiated). */
export interface StorageType {
  readonly kind: 'storage-type';
  readonly name: string;
  readonly dtype: DType;
}

/** One torch storage: its element type and count, with bytes attached once the file section is read. */
export class StorageRef {
  bytes: Uint8Array | undefined;
  constructor(
    readonly key: string,
    readonly dtype: DType,
    readonly numel: number,
  ) {}
}

/** A tensor as the pickle describes it; turned into a StoredTensor once every storage has its bytes. */
export class TensorSpec {
  constructor(
    readonly storage: StorageRef,
    readonly storageOffset: number,
    readonly shape: readonly number[],
    readonly strides: readonly number[],
  ) {}
}

/** More dimensions than any weight has; bounds the work a hostile size tuple can cause. */
const MAX_RANK = 16;

/**
 * A hostile value, described without JSON.stringify (which throws on bigints and on lists that
 * contain themselves) and without walking into it.
 */
function describeItem(v: unknown): string {
  if (typeof v === 'bigint') return `the integer ${v} (too large)`;
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (Array.isArray(v)) return Object.isFrozen(v) ? 'a tuple' : 'a list';
  if (v instanceof Map) return 'a dict';
  return v === null ? 'None' : typeof v;
}

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

function countTuple(v: unknown, what: string, fail: (msg: string) => never): number[] {
  if (!isPickleTuple(v) && !Array.isArray(v)) fail(`${what} is not a tuple`);
  const items = v as unknown[];
  if (items.length > MAX_RANK) fail(`${what} has ${items.length} dimensions (at most ${MAX_RANK})`);
  const badItem = items.find((x) => !isCount(x));
  if (badItem !== undefined) fail(`${what} holds ${describeItem(badItem)}, not a non-negative integer`);
  return items as number[];
}

/**
 * The pickle hooks for a torch state dict: the allow-list of globals (what PyTorch's own
 * `weights_only` loader needs for tensors) and BUILD limited to attributes on dicts.
 * `persistentLoad` is format specific (zip vs legacy) and supplied by the caller.
 */
export function torchPickleHooks(
  source: string,
  persistentLoad: (pid: unknown, offset: number) => unknown,
): UnpickleHooks {
  const fail = (msg: string, offset: number): never => {
    throw new Error(`${source}: ${msg} at byte offset ${offset}`);
  };

  const rebuildTensor = (qualname: string, minArgs: number): PickleCallable => ({
    kind: 'callable',
    qualname,
    call(args, offset) {
      const bad = (msg: string): never => fail(`${qualname}: ${msg}`, offset);
      if (args.length < minArgs) bad(`expected at least ${minArgs} arguments, got ${args.length}`);
      const [storage, storageOffset, size, stride] = args;
      if (!(storage instanceof StorageRef)) return bad('first argument is not a storage');
      if (!isCount(storageOffset)) return bad(`storage offset ${describeItem(storageOffset)} is not a non-negative integer`);
      const shape = countTuple(size, 'size', bad);
      const strides = countTuple(stride, 'stride', bad);
      if (strides.length !== shape.length) bad(`size has ${shape.length} dims but stride has ${strides.length}`);
      const extent = viewExtent(shape, strides);
      if (extent > 0 && storageOffset + extent > storage.numel) {
        bad(`tensor of size [${shape.join(', ')}] at offset ${storageOffset} reads past its storage '${storage.key}' of ${storage.numel} elements`);
      }
      // A view with zero (or overlapping) strides repeats stored elements; loading materialises it at
      // full size. Allow that only up to a bound, so a tiny file cannot claim gigabytes.
      const count = elementCount(shape);
      const bytes = count * DTYPE_SIZE[storage.dtype];
      if (count > extent && bytes > MAX_EXPANDED_BYTES) {
        bad(
          `tensor of size [${shape.join(', ')}] with stride (${strides.join(', ')}) would expand ${extent} stored elements ` +
            `to ${bytes} bytes; a view may repeat its storage up to ${MAX_EXPANDED_BYTES} bytes (real checkpoints store their weights)`,
        );
      }
      return new TensorSpec(storage, storageOffset, shape, strides);
    },
  });
  const rebuildParameter = (qualname: string, argCount: number): PickleCallable => ({
    kind: 'callable',
    qualname,
    call(args, offset) {
      if (args.length !== argCount || !(args[0] instanceof TensorSpec)) {
        fail(`${qualname}: expected (tensor, requires_grad, hooks${argCount === 4 ? ', state' : ''})`, offset);
      }
      return args[0]; // a Parameter is its data for inference
    },
  });
  const orderedDict: PickleCallable = {
    kind: 'callable',
    qualname: 'collections.OrderedDict',
    call(args, offset) {
      const dict = new Map<unknown, unknown>();
      if (args.length === 0) return dict;
      // OrderedDict([(k, v), ...]) from older picklers.
      const pairs = args[0];
      if (args.length !== 1 || !Array.isArray(pairs)) return fail('collections.OrderedDict: unexpected arguments', offset);
      for (const p of pairs as unknown[]) {
        if (!Array.isArray(p) || p.length !== 2) fail('collections.OrderedDict: item is not a (key, value) pair', offset);
        dict.set((p as unknown[])[0], (p as unknown[])[1]);
      }
      return dict;
    },
  };

  const allowed = new Map<string, unknown>([
    ['collections.OrderedDict', orderedDict],
    ['torch._utils._rebuild_tensor_v2', rebuildTensor('torch._utils._rebuild_tensor_v2', 4)],
    ['torch._utils._rebuild_tensor', rebuildTensor('torch._utils._rebuild_tensor', 4)],
    ['torch._utils._rebuild_parameter', rebuildParameter('torch._utils._rebuild_parameter', 3)],
    ['torch._utils._rebuild_parameter_with_state', rebuildParameter('torch._utils._rebuild_parameter_with_state', 4)],
  ]);
  for (const [name, dtype] of Object.entries(STORAGE_DTYPES)) {
    const type: StorageType = { kind: 'storage-type', name: `torch.${name}`, dtype };
    allowed.set(`torch.${name}`, type);
  }

  return {
    source,
    findGlobal(module, name, offset) {
      const qualname = `${module}.${name}`;
      const value = allowed.get(qualname);
      if (value === undefined) {
        // Quote the name as JSON so control characters in a hostile file cannot garble the message.
        const shown = JSON.stringify(qualname).slice(1, -1);
        throw new Error(`${source}: restricted unpickler refuses global '${shown}' at byte offset ${offset} (only state-dict globals are allowed)`);
      }
      return value;
    },
    persistentLoad,
    build(target, state, offset) {
      // torch pickles a state dict's `_metadata` attribute (per-module versions) with BUILD; it is not a weight.
      if (target instanceof Map && (state === null || state instanceof Map)) return;
      if (target instanceof TensorSpec && (state === null || (state instanceof Map && state.size === 0))) return;
      fail('BUILD on something other than a dict or tensor', offset);
    },
  };
}

/** Checks a storage persistent id's common fields: ('storage', StorageType, key, location, numel, ...). */
export function parseStoragePid(
  pid: unknown,
  offset: number,
  source: string,
): { type: StorageType; key: string; numel: number; rest: readonly unknown[] } {
  const fail = (msg: string): never => {
    throw new Error(`${source}: ${msg} at byte offset ${offset}`);
  };
  if (!isPickleTuple(pid) || pid.length < 5 || pid[0] !== 'storage') {
    return fail(`persistent id is not a ('storage', type, key, location, size) tuple`);
  }
  const [, type, key, , numel, ...rest] = pid;
  const t = type as StorageType | undefined;
  if (typeof t !== 'object' || t === null || t.kind !== 'storage-type') fail('persistent id does not name a torch storage type');
  if (typeof key !== 'string') fail('storage key is not a string');
  if (!isCount(numel)) fail(`storage size ${describeItem(numel)} is not a non-negative integer`);
  return { type: t!, key: key as string, numel: numel as number, rest };
}

/**
 * Turns the unpickled top-level object into a StateDict, once every storage has bytes.
 * Only a flat {name: tensor} dict is a Hugging Face weight file; anything else is refused by name.
 */
export function toStateDict(root: unknown, source: string): StateDict {
  if (!(root instanceof Map)) throw new Error(`${source}: the pickle does not hold a state dict (top-level object is not a dict)`);
  const dict: StateDict = new Map();
  for (const [key, value] of root) {
    if (typeof key !== 'string') throw new Error(`${source}: state dict has a non-string key ${String(key)}`);
    if (!(value instanceof TensorSpec)) {
      throw new Error(`${source}: state dict entry '${key}' is not a tensor (not a plain weights file?)`);
    }
    const { storage } = value;
    if (storage.bytes === undefined) throw new Error(`${source}: storage '${storage.key}' of '${key}' has no data in the file`);
    const needBytes = storage.numel * DTYPE_SIZE[storage.dtype];
    if (storage.bytes.length < needBytes) {
      throw new Error(`${source}: storage '${storage.key}' of '${key}' holds ${storage.bytes.length} bytes, expected ${needBytes}`);
    }
    dict.set(key, new StoredTensor(storage.dtype, value.shape, storage.bytes, value.storageOffset, value.strides));
  }
  return dict;
}

