import { readFile } from 'node:fs/promises';
import { DTYPE_SIZE, isDType } from './dtype.js';
import { StoredTensor, elementCount } from './stored-tensor.js';
import type { DType, StateDict } from './tensor.js';

/** Reads a `.safetensors` file; tensors view the file's bytes (F32 without a copy when aligned). */
export async function readSafetensors(path: string): Promise<StateDict> {
  return parseSafetensors(await readFile(path), path);
}

interface HeaderEntry {
  readonly name: string;
  readonly dtype: DType;
  readonly shape: number[];
  readonly begin: number;
  readonly end: number;
}

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/**
 * Parses safetensors bytes: u64 LE header length, JSON header, data. `source` names the file in errors.
 * Validates everything the header claims before any tensor is made, so a bad file never yields
 * tensors that read outside their bytes.
 */
export function parseSafetensors(bytes: Uint8Array, source: string): StateDict {
  const fail = (msg: string): never => {
    throw new Error(`${source}: invalid safetensors file: ${msg}`);
  };
  if (bytes.length < 8) fail(`file is ${bytes.length} bytes, too short for the 8-byte header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getBigUint64(0, true);
  if (headerLength > BigInt(bytes.length - 8)) {
    fail(`header length ${headerLength} runs past the end of the file (${bytes.length} bytes)`);
  }
  const dataStart = 8 + Number(headerLength);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, dataStart)));
  } catch (e) {
    fail(`header is not valid UTF-8 JSON (${(e as Error).message})`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) fail('header is not a JSON object');

  const entries: HeaderEntry[] = [];
  for (const [name, raw] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') {
      checkMetadata(raw, fail);
      continue;
    }
    entries.push(checkEntry(name, raw, fail));
  }

  const dataSize = bytes.length - dataStart;
  checkTiling(entries, dataSize, fail);

  const data = bytes.subarray(dataStart);
  const dict: StateDict = new Map();
  for (const e of entries) {
    dict.set(e.name, new StoredTensor(e.dtype, e.shape, data.subarray(e.begin, e.end)));
  }
  return dict;
}

function checkMetadata(raw: unknown, fail: (msg: string) => never): void {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail('__metadata__ is not an object');
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
    if (typeof v !== 'string') fail(`__metadata__ value for '${k}' is not a string`);
  }
}

function checkEntry(name: string, raw: unknown, fail: (msg: string) => never): HeaderEntry {
  const bad = (msg: string): never => fail(`tensor '${name}': ${msg}`);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) bad('header entry is not an object');
  const { dtype, shape, data_offsets: offsets } = raw as Record<string, unknown>;
  if (typeof dtype !== 'string') bad('missing dtype');
  if (!isDType(dtype as string)) bad(`unsupported dtype '${String(dtype)}'`);
  if (!Array.isArray(shape) || !shape.every(isCount)) bad(`shape ${JSON.stringify(shape)} is not a list of non-negative integers`);
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isCount)) {
    bad(`data_offsets ${JSON.stringify(offsets)} is not [begin, end]`);
  }
  const [begin, end] = offsets as [number, number];
  if (end < begin) bad(`data_offsets [${begin}, ${end}] end before they begin`);
  const typed = dtype as DType;
  const expectBytes = elementCount(shape as number[]) * DTYPE_SIZE[typed];
  if (expectBytes !== end - begin) {
    bad(`shape [${(shape as number[]).join(', ')}] of ${typed} needs ${expectBytes} bytes but data_offsets [${begin}, ${end}] span ${end - begin}`);
  }
  return { name, dtype: typed, shape: shape as number[], begin, end };
}

/** The tensors' byte ranges must cover the data region exactly once: no gaps, no overlaps, nothing after. */
function checkTiling(entries: readonly HeaderEntry[], dataSize: number, fail: (msg: string) => never): void {
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let cursor = 0;
  let previous: HeaderEntry | undefined;
  for (const e of sorted) {
    if (e.begin < cursor) {
      fail(`tensor '${e.name}' (bytes ${e.begin}..${e.end}) overlaps tensor '${previous!.name}' (bytes ${previous!.begin}..${previous!.end})`);
    }
    if (e.begin > cursor) {
      fail(`gap of ${e.begin - cursor} bytes in the data before tensor '${e.name}' (bytes ${e.begin}..${e.end})`);
    }
    cursor = e.end;
    previous = e;
  }
  if (cursor > dataSize) {
    fail(`tensor '${previous!.name}' ends at data byte ${cursor} but the file holds only ${dataSize} data bytes (truncated?)`);
  }
  if (cursor < dataSize) fail(`${dataSize - cursor} bytes after the last tensor are not covered by the header`);
}
