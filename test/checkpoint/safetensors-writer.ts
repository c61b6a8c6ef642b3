// Test helper: writes safetensors bytes (the format is simple enough that tests build their own files).
export interface RawTensor {
  readonly dtype: string;
  readonly shape: readonly number[];
  readonly data: Uint8Array;
}

/** Serialises tensors back to back in the given order, header padded to 8 bytes as the reference writer does. */
export function encodeSafetensors(tensors: ReadonlyMap<string, RawTensor>, metadata?: Record<string, string>): Uint8Array {
  const header: Record<string, unknown> = {};
  if (metadata) header.__metadata__ = metadata;
  let offset = 0;
  for (const [name, t] of tensors) {
    header[name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + t.data.length] };
    offset += t.data.length;
  }
  const datas = [...tensors.values()].map((t) => t.data);
  return assemble(JSON.stringify(header), datas);
}

/** Joins a header JSON string (padded with spaces to a multiple of 8) and data blobs. */
export function assemble(headerJson: string, datas: readonly Uint8Array[]): Uint8Array {
  let json = Buffer.from(headerJson, 'utf8');
  const pad = (8 - (json.length % 8)) % 8;
  json = Buffer.concat([json, Buffer.alloc(pad, 0x20)]);
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(json.length));
  return Buffer.concat([len, json, ...datas]);
}

export function f32Bytes(values: ArrayLike<number>): Uint8Array {
  return new Uint8Array(Float32Array.from(values).buffer);
}
