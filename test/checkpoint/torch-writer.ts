// Test helper: writes torch.save-style checkpoints (zip and legacy) from typed arrays, mirroring the
// byte layout torch produces, so tests can build sharded, strided and hostile files without Python.
import { PickleWriter } from './pickle-writer.js';

export interface TorchTensorSpec {
  /** Storage key; tensors sharing a key share the storage. */
  readonly storage: string;
  readonly storageType: string; // e.g. 'FloatStorage'
  readonly offset: number;
  readonly shape: readonly number[];
  readonly stride: readonly number[];
  /** Legacy format only: the storage is a view (key, element offset, size) of the root storage. */
  readonly view?: { readonly key: string; readonly offset: number; readonly size: number };
}

export interface TorchStorage {
  readonly type: string;
  readonly numel: number;
  readonly data: Uint8Array;
}

export function contiguous(shape: readonly number[]): number[] {
  const s: number[] = [];
  let step = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = step;
    step *= shape[i]!;
  }
  return s;
}

/** The pickle of an OrderedDict of tensors; `legacyPid` adds the 6th view_metadata field (None). */
export function stateDictPickle(
  tensors: ReadonlyMap<string, TorchTensorSpec>,
  numel: (key: string) => number,
  legacyPid: boolean,
): Uint8Array {
  const w = new PickleWriter().proto().global('collections', 'OrderedDict').emptyTuple().reduce().mark();
  for (const [name, t] of tensors) {
    w.str(name).global('torch._utils', '_rebuild_tensor_v2').mark();
    w.mark().str('storage').global('torch', t.storageType).str(t.storage).str('cpu').int(numel(t.storage));
    if (legacyPid && t.view) w.mark().str(t.view.key).int(t.view.offset).int(t.view.size).tuple();
    else if (legacyPid) w.op(0x4e); // view_metadata = None
    w.tuple().op(0x51); // BINPERSID
    w.int(t.offset);
    w.mark();
    for (const d of t.shape) w.int(d);
    w.tuple().mark();
    for (const d of t.stride) w.int(d);
    w.tuple().op(0x89); // requires_grad False
    w.global('collections', 'OrderedDict').emptyTuple().reduce(); // backward hooks
    w.tuple().reduce();
  }
  return w.op(0x75).stop().bytes(); // SETITEMS
}

interface ZipEntry {
  readonly name: string;
  readonly data: Uint8Array;
}

/** A zip of stored entries with data on 64-byte boundaries (as torch writes); `zip64` forces ZIP64 fields. */
export function encodeZip(entries: readonly ZipEntry[], zip64 = false): Uint8Array {
  const chunks: Buffer[] = [];
  let pos = 0;
  const central: Buffer[] = [];
  const push = (b: Buffer) => {
    chunks.push(b);
    pos += b.length;
  };
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const localOffset = pos;
    const base = pos + 30 + name.length + 4; // 4: header of the padding extra field
    const pad = (64 - (base % 64)) % 64;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(zip64 ? 45 : 20, 4);
    local.writeUInt32LE(e.data.length, 18);
    local.writeUInt32LE(e.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(4 + pad, 28);
    const extra = Buffer.alloc(4 + pad);
    extra.writeUInt16LE(0x4246, 0); // torch's "FB" padding field
    extra.writeUInt16LE(pad, 2);
    push(Buffer.concat([local, name, extra]));
    push(Buffer.from(e.data.buffer, e.data.byteOffset, e.data.byteLength));

    const z64 = Buffer.alloc(zip64 ? 28 : 0);
    if (zip64) {
      z64.writeUInt16LE(0x0001, 0);
      z64.writeUInt16LE(24, 2);
      z64.writeBigUInt64LE(BigInt(e.data.length), 4);
      z64.writeBigUInt64LE(BigInt(e.data.length), 12);
      z64.writeBigUInt64LE(BigInt(localOffset), 20);
    }
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0);
    c.writeUInt16LE(zip64 ? 45 : 20, 4);
    c.writeUInt16LE(zip64 ? 45 : 20, 6);
    c.writeUInt32LE(zip64 ? 0xffffffff : e.data.length, 20);
    c.writeUInt32LE(zip64 ? 0xffffffff : e.data.length, 24);
    c.writeUInt16LE(name.length, 28);
    c.writeUInt16LE(z64.length, 30);
    c.writeUInt32LE(zip64 ? 0xffffffff : localOffset, 42);
    central.push(Buffer.concat([c, name, z64]));
  }
  const cd = Buffer.concat(central);
  const cdOffset = pos;
  push(cd);
  if (zip64) {
    const rec = Buffer.alloc(56);
    rec.writeUInt32LE(0x06064b50, 0);
    rec.writeBigUInt64LE(44n, 4);
    rec.writeUInt16LE(45, 12);
    rec.writeUInt16LE(45, 14);
    rec.writeBigUInt64LE(BigInt(entries.length), 24);
    rec.writeBigUInt64LE(BigInt(entries.length), 32);
    rec.writeBigUInt64LE(BigInt(cd.length), 40);
    rec.writeBigUInt64LE(BigInt(cdOffset), 48);
    const recOffset = pos;
    push(rec);
    const loc = Buffer.alloc(20);
    loc.writeUInt32LE(0x07064b50, 0);
    loc.writeBigUInt64LE(BigInt(recOffset), 8);
    loc.writeUInt32LE(1, 16);
    push(loc);
  }
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(zip64 ? 0xffff : entries.length, 8);
  end.writeUInt16LE(zip64 ? 0xffff : entries.length, 10);
  end.writeUInt32LE(zip64 ? 0xffffffff : cd.length, 12);
  end.writeUInt32LE(zip64 ? 0xffffffff : cdOffset, 16);
  push(end);
  return Buffer.concat(chunks);
}

/** A torch ≥ 1.6 zip checkpoint (`archive/data.pkl` + `archive/data/<key>`). */
export function encodeTorchZip(
  tensors: ReadonlyMap<string, TorchTensorSpec>,
  storages: ReadonlyMap<string, TorchStorage>,
  options: { zip64?: boolean; pickle?: Uint8Array } = {},
): Uint8Array {
  const pkl = options.pickle ?? stateDictPickle(tensors, (k) => storages.get(k)!.numel, false);
  const entries: ZipEntry[] = [{ name: 'archive/data.pkl', data: pkl }];
  entries.push({ name: 'archive/byteorder', data: Buffer.from('little') });
  for (const [key, s] of storages) entries.push({ name: `archive/data/${key}`, data: s.data });
  entries.push({ name: 'archive/version', data: Buffer.from('3\n') });
  return encodeZip(entries, options.zip64);
}

/** A legacy (torch < 1.6) checkpoint: magic, protocol, sys_info, state dict, key list, then raw storages. */
export function encodeTorchLegacy(
  tensors: ReadonlyMap<string, TorchTensorSpec>,
  storages: ReadonlyMap<string, TorchStorage>,
  options: { stateDictPickle?: Uint8Array } = {},
): Uint8Array {
  const magic = new PickleWriter().proto().long1(0x1950a86a20f9469cfc6cn, 10).stop().bytes();
  const protocol = new PickleWriter().proto().int(1001).stop().bytes();
  const sysInfo = new PickleWriter()
    .proto().op(0x7d).mark().str('protocol_version').int(1001).str('little_endian').op(0x88).op(0x75).stop().bytes();
  const sd = options.stateDictPickle ?? stateDictPickle(tensors, (k) => storages.get(k)!.numel, true);
  const keys = new PickleWriter().proto().op(0x5d).mark();
  for (const key of storages.keys()) keys.str(key);
  const keyList = keys.op(0x65).stop().bytes();
  const parts: Uint8Array[] = [magic, protocol, sysInfo, sd, keyList];
  for (const s of storages.values()) {
    const n = Buffer.alloc(8);
    n.writeBigInt64LE(BigInt(s.numel));
    parts.push(n, s.data);
  }
  return Buffer.concat(parts);
}

/** Contiguous float32 tensors, one storage each, from plain arrays. */
export function floatTensors(values: ReadonlyMap<string, { shape: number[]; data: Float32Array }>): {
  tensors: Map<string, TorchTensorSpec>;
  storages: Map<string, TorchStorage>;
} {
  const tensors = new Map<string, TorchTensorSpec>();
  const storages = new Map<string, TorchStorage>();
  let i = 0;
  for (const [name, v] of values) {
    const key = String(i++);
    tensors.set(name, { storage: key, storageType: 'FloatStorage', offset: 0, shape: v.shape, stride: contiguous(v.shape) });
    storages.set(key, { type: 'FloatStorage', numel: v.data.length, data: new Uint8Array(v.data.buffer, v.data.byteOffset, v.data.byteLength) });
  }
  return { tensors, storages };
}
