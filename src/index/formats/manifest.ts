// The manifest of a dense index directory (manifest.json): what was encoded with what, and every file
// with its checksum. Written last and atomically, so a directory with a manifest holds a whole index.
// Its bytes depend only on the build's parameters and the data, never on time, host or resumes, so an
// interrupted-and-resumed build or a merge of slices gives the same manifest as one uninterrupted run.
import { existsSync, statSync } from 'node:fs';
import { readJsonFileSync } from '../../files/json-file.js';
import { join } from 'node:path';
import type { EncoderSettings } from '../../encoder/types.js';
import type { VectorDType } from './vector-types.js';
import { writeFileAtomic } from '../../files/atomic-write.js';
import type { EngineParams, EngineRecord } from '../engines/engine.js';

export const MANIFEST_FILE = 'manifest.json';
export const DENSE_KIND = 'dense';
/** 2: the `engine` record. 1 (still read): `index` ("flat" | "hnsw") and an optional `hnsw` field. */
export const DENSE_FORMAT_VERSION = 2;
const LEGACY_FORMAT_VERSION = 1;

export const VECTOR_DTYPES: readonly VectorDType[] = ['f32', 'f16', 'int8'];

/** A file of the index, relative to the index directory. */
export interface ManifestFile {
  readonly file: string;
  readonly sha256: string;
  readonly bytes: number;
}

/** One shard: `count` consecutive corpus records, their vectors and their stored documents. */
export interface ManifestShard {
  readonly count: number;
  readonly vectors: ManifestFile;
  readonly docids: ManifestFile;
  /** Absent for imported vectors, which come with ids but no passage text. */
  readonly docs?: ManifestFile;
  readonly offsets?: ManifestFile;
}

/**
 * Files derived from the docid list of a whole index (see docid-index.ts), so opening loads no docids
 * and sorts nothing. Absent in slices, remote indexes and indexes written before it (those load every
 * docid at open; `densekit upgrade` adds it).
 */
export interface DocidIndexRecord {
  readonly chunks: ManifestFile;
  readonly ranks: ManifestFile;
  readonly sorted: ManifestFile;
}

/** Which model encoded the passages; search reloads it from here to encode queries. */
export interface ModelRecord {
  /** What the user named: a hub id or a directory. */
  readonly id: string;
  readonly revision?: string;
  /** The local directory the weights were read from. */
  readonly dir: string;
  readonly preset?: string;
  /** 'int8' when the passages were encoded with int8 linear layers; queries are then encoded the same way. */
  readonly quantize?: 'int8';
}

/** Everything that decides the bytes of a build; a resumed build or a slice must match it exactly. */
export interface BuildParams {
  readonly model: ModelRecord;
  /**
   * The model that encodes queries, when it is not `model` (two-encoder retrievers: DPR, RDR). Its
   * settings are `encoder.query`; the passage model's are `encoder.passage`.
   */
  readonly queryModel?: ModelRecord;
  readonly encoder: EncoderSettings;
  readonly dims: number;
  readonly dtype: VectorDType;
  /** The engine and its build parameters (defaults filled in). */
  readonly engine: EngineChoice;
  /** Records per shard (the last shard may hold fewer); also the length-sorting window. */
  readonly shardSize: number;
  readonly batchSize: number;
  /** Where the vectors came from: a corpus file (as given), in-memory records, or an import. */
  readonly source: string;
}

/** A slice (`--shard i/n`) covers shards [firstShard, firstShard + shardCount) of a corpus of totalCount records. */
export interface SliceRecord {
  readonly i: number;
  readonly n: number;
  readonly firstShard: number;
  readonly shardCount: number;
  readonly totalCount: number;
}

/** Which engine a build uses, with its checked parameters. */
export interface EngineChoice {
  readonly kind: string;
  readonly params: EngineParams;
}

export interface IndexManifest {
  readonly kind: typeof DENSE_KIND;
  readonly formatVersion: number;
  readonly model: ModelRecord;
  /** Absent in single-model indexes (and every index built before two-encoder support): `model` encodes queries. */
  readonly queryModel?: ModelRecord;
  readonly encoder: EncoderSettings;
  readonly similarity: EncoderSettings['similarity'];
  readonly dims: number;
  readonly dtype: VectorDType;
  /** The engine, its parameters and its own files (none in a slice: merge builds them). */
  readonly engine: EngineRecord;
  /** Vectors in this directory. */
  readonly count: number;
  readonly build: { readonly shardSize: number; readonly batchSize: number; readonly source: string };
  readonly slice?: SliceRecord;
  /** Empty for an engine that keeps the vectors elsewhere (storage "remote"). */
  readonly shards: readonly ManifestShard[];
  readonly docidIndex?: DocidIndexRecord;
}

/** The manifest for `params` and `shards`, with a fixed key order so equal builds give equal bytes. */
export function manifestFor(
  params: BuildParams,
  shards: readonly ManifestShard[],
  extra: { slice?: SliceRecord; engineFiles?: readonly ManifestFile[]; count?: number; docidIndex?: DocidIndexRecord | undefined } = {},
): IndexManifest {
  return {
    kind: DENSE_KIND,
    formatVersion: DENSE_FORMAT_VERSION,
    model: params.model,
    ...(params.queryModel ? { queryModel: params.queryModel } : {}),
    encoder: params.encoder,
    similarity: params.encoder.similarity,
    dims: params.dims,
    dtype: params.dtype,
    engine: { kind: params.engine.kind, params: params.engine.params, files: extra.engineFiles ?? [] },
    count: extra.count ?? shards.reduce((n, s) => n + s.count, 0),
    build: { shardSize: params.shardSize, batchSize: params.batchSize, source: params.source },
    ...(extra.slice ? { slice: extra.slice } : {}),
    shards,
    ...(extra.docidIndex ? { docidIndex: extra.docidIndex } : {}),
  };
}

export function paramsOf(m: IndexManifest): BuildParams {
  return {
    model: m.model,
    ...(m.queryModel ? { queryModel: m.queryModel } : {}),
    encoder: m.encoder,
    dims: m.dims,
    dtype: m.dtype,
    engine: { kind: m.engine.kind, params: m.engine.params },
    shardSize: m.build.shardSize,
    batchSize: m.build.batchSize,
    source: m.build.source,
  };
}

export function serializeManifest(m: IndexManifest): string {
  return `${JSON.stringify(m, null, 2)}\n`;
}

export function writeManifest(dir: string, m: IndexManifest): void {
  writeFileAtomic(join(dir, MANIFEST_FILE), serializeManifest(m));
}

/** Reads manifest.json as untyped JSON; undefined when the directory has none. */
export function readManifestJson(dir: string): Record<string, unknown> | undefined {
  return readJsonFileSync(join(dir, MANIFEST_FILE), { optional: true, object: true }) as Record<string, unknown> | undefined;
}

/** Why `dir` holds no manifest: it does not exist, is a file, or is some other directory. */
export function notAnIndexError(dir: string): Error {
  if (!existsSync(dir)) return new Error(`index directory ${dir} does not exist`);
  if (!statSync(dir).isDirectory()) return new Error(`${dir} is a file, not an index directory`);
  return new Error(`${dir}: not an index directory (no ${MANIFEST_FILE})`);
}

/** Reads and checks a dense index manifest; every complaint names the file and the field. */
export function readManifest(dir: string): IndexManifest {
  const path = join(dir, MANIFEST_FILE);
  const json = readManifestJson(dir);
  if (!json) throw notAnIndexError(dir);
  return checkManifest(json, path);
}

export function checkManifest(json: Record<string, unknown>, path: string): IndexManifest {
  const bad = (field: string, why: string): never => {
    throw new Error(`${path}: field "${field}" ${why}`);
  };
  if (json.kind !== DENSE_KIND) bad('kind', `is ${JSON.stringify(json.kind)}, expected "${DENSE_KIND}"`);
  const legacy = json.formatVersion === LEGACY_FORMAT_VERSION;
  if (json.formatVersion !== DENSE_FORMAT_VERSION && !legacy) {
    bad('formatVersion', `is ${JSON.stringify(json.formatVersion)}; this densekit reads ${LEGACY_FORMAT_VERSION} and ${DENSE_FORMAT_VERSION}`);
  }
  const posInt = (v: unknown, field: string, allowZero = false): number =>
    typeof v === 'number' && Number.isInteger(v) && (allowZero ? v >= 0 : v > 0) ? v : bad(field, `must be a ${allowZero ? 'non-negative' : 'positive'} integer`);
  const str = (v: unknown, field: string): string => (typeof v === 'string' ? v : bad(field, 'must be a string'));
  const obj = (v: unknown, field: string): Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : bad(field, 'must be an object');
  const file = (v: unknown, field: string): ManifestFile => {
    const o = obj(v, field);
    str(o.file, `${field}.file`);
    if (!/^[0-9a-f]{64}$/.test(str(o.sha256, `${field}.sha256`))) bad(`${field}.sha256`, 'must be 64 lowercase hex digits');
    posInt(o.bytes, `${field}.bytes`, true);
    if (/[/\\]/.test(o.file as string) || o.file === '..') bad(`${field}.file`, 'must be a plain file name inside the index directory');
    return o as unknown as ManifestFile;
  };
  for (const field of ['model', 'queryModel'] as const) {
    if (field === 'queryModel' && json.queryModel === undefined) continue;
    const model = obj(json[field], field);
    str(model.id, `${field}.id`);
    str(model.dir, `${field}.dir`);
    if (model.quantize !== undefined && model.quantize !== 'int8') bad(`${field}.quantize`, 'must be "int8" when present');
  }
  const encoder = obj(json.encoder, 'encoder');
  obj(encoder.query, 'encoder.query');
  obj(encoder.passage, 'encoder.passage');
  if (json.similarity !== 'dot' && json.similarity !== 'cosine') bad('similarity', 'must be "dot" or "cosine"');
  posInt(json.dims, 'dims');
  if (!VECTOR_DTYPES.includes(json.dtype as VectorDType)) bad('dtype', `must be one of ${VECTOR_DTYPES.join(', ')}`);
  const count = posInt(json.count, 'count', true);
  const build = obj(json.build, 'build');
  posInt(build.shardSize, 'build.shardSize');
  posInt(build.batchSize, 'build.batchSize');
  str(build.source, 'build.source');
  if (!Array.isArray(json.shards)) bad('shards', 'must be an array');
  let total = 0;
  (json.shards as unknown[]).forEach((s, i) => {
    const o = obj(s, `shards[${i}]`);
    total += posInt(o.count, `shards[${i}].count`, true);
    file(o.vectors, `shards[${i}].vectors`);
    file(o.docids, `shards[${i}].docids`);
    if (o.docs !== undefined) file(o.docs, `shards[${i}].docs`);
    if (o.offsets !== undefined) file(o.offsets, `shards[${i}].offsets`);
    if ((o.docs === undefined) !== (o.offsets === undefined)) bad(`shards[${i}]`, 'must have both "docs" and "offsets" or neither');
  });
  if ((json.shards as unknown[]).length > 0 && total !== count) bad('count', `is ${count} but the shards hold ${total} records`);
  if (json.docidIndex !== undefined) {
    const d = obj(json.docidIndex, 'docidIndex');
    for (const name of ['chunks', 'ranks', 'sorted']) file(d[name], `docidIndex.${name}`);
  }
  if (legacy) return { ...json, engine: legacyEngineRecord(json, { obj, file, posInt, bad }) } as unknown as IndexManifest;
  const engine = obj(json.engine, 'engine');
  if (typeof engine.kind !== 'string' || !/^[a-z][a-z0-9_-]*$/.test(engine.kind)) bad('engine.kind', 'must be an engine name (e.g. "flat", "hnsw")');
  const params = obj(engine.params, 'engine.params');
  for (const [name, v] of Object.entries(params)) {
    if (!['number', 'string', 'boolean'].includes(typeof v)) bad(`engine.params.${name}`, 'must be a number, string or boolean');
  }
  if (!Array.isArray(engine.files)) bad('engine.files', 'must be an array');
  (engine.files as unknown[]).forEach((f, i) => file(f, `engine.files[${i}]`));
  return json as unknown as IndexManifest;
}

interface FieldCheckers {
  obj(v: unknown, field: string): Record<string, unknown>;
  file(v: unknown, field: string): ManifestFile;
  posInt(v: unknown, field: string): number;
  bad(field: string, why: string): never;
}

/** A format-1 manifest's `index` and `hnsw` fields as the engine record a format-2 manifest holds. */
function legacyEngineRecord(json: Record<string, unknown>, c: FieldCheckers): EngineRecord {
  if (json.index === 'flat') return { kind: 'flat', params: {}, files: [] };
  if (json.index !== 'hnsw') c.bad('index', 'must be one of flat, hnsw');
  if (json.hnsw === undefined) {
    // A slice: the graph was built at merge time, with the defaults of that version.
    return { kind: 'hnsw', params: { M: 16, efConstruction: 128 }, files: [] };
  }
  const h = c.obj(json.hnsw, 'hnsw');
  const p = c.obj(h.params, 'hnsw.params');
  return {
    kind: 'hnsw',
    params: { M: c.posInt(p.M, 'hnsw.params.M'), efConstruction: c.posInt(p.efConstruction, 'hnsw.params.efConstruction') },
    files: [c.file(h.file, 'hnsw.file'), c.file(h.sidecar, 'hnsw.sidecar')],
  };
}
