// A dense index directory, opened for search: the manifest, the vectors (exact search by default), the
// doc store, and the encoder the manifest names, reloaded with the recorded settings to encode queries.
import { requirePositiveInt } from '../checks/positive-int.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Encoder } from '../encoder/encoder.js';
import type { TextEncoder } from '../encoder/types.js';
import { buildIndex, type BuildOptions, type BuildResult } from './build/build.js';
import { paramDifferences } from './build/progress.js';
import { shardTextFiles, verifyFile, verifyVectorFile } from './formats/verify.js';
import { openRowDocids, type RowDocids } from './formats/docid-index.js';
import { DocStore } from './formats/docstore.js';
import type { StoredDoc } from './formats/docstore-format.js';
import type { EngineParams, EngineParamValue, EngineRecord, IndexEngine, LocalRows, SearchEngine } from './engines/engine.js';
import { readParams } from './engines/params.js';
import { engineByKind, EXACT_ENGINE } from './engines/registry.js';
import { MANIFEST_FILE, readManifest, type IndexManifest, type ModelRecord } from './formats/manifest.js';
import { l2NormalizeRows } from './normalize.js';
import type { Hit, QueryHits, Searcher } from '../results/hits.js';
import { VectorStore } from './formats/vector-store.js';

export interface IndexOpenOptions {
  /**
   * Hash the docid and passage files against the manifest on open (default true; an index with a docid
   * index checks its docids chunk by chunk as they are read instead); sizes and layout are always checked.
   * Vector blocks of blocked shards are checked the first time they are read, whatever this says.
   */
  readonly verify?: boolean;
  /**
   * Encodes queries instead of the model the manifest names (it must give the same dims): an Encoder, or
   * an EncoderPair whose query side is used; a DPR context encoder is refused (it cannot encode queries).
   */
  readonly encoder?: TextEncoder;
  /** Inference and search threads. */
  readonly threads?: number;
  /** Queries per encoder forward pass. */
  readonly batchSize?: number;
  /** Search exactly (the flat engine over the stored vectors) whatever engine the index was built with. */
  readonly exact?: boolean;
  /** Search with this engine over the stored vectors instead of the manifest's (one that writes no files: flat, reference). */
  readonly engine?: string;
  /** The engine's search-time parameters (e.g. { efSearch: 128 } for hnsw); unknown names are refused. */
  readonly searchParams?: Readonly<Record<string, EngineParamValue>>;
  /** HNSW candidate list size at search time (raised to k when smaller); ignored by engines without it. */
  readonly efSearch?: number;
}

/** A hit with its row in the index when the engine searches local rows (the doc store reads by row). */
export interface IndexHit extends Hit {
  readonly row?: number;
}

export interface IndexQueryHits extends QueryHits {
  readonly hits: readonly IndexHit[];
}

/** A hub download lives in the cache as `models--org--name/snapshots/<commit>`: such a model can be fetched again by id. */
const HUB_SNAPSHOT_DIR = /[\\/]models--[^\\/]+[\\/]snapshots[\\/]/;

/**
 * Where to load a recorded model from: its recorded directory, or (for a hub model whose cache was
 * cleared) its hub id. A local model directory that has moved is an error saying so, rather than a
 * hub lookup of the directory's name.
 */
function recordedModelPath(record: ModelRecord, field: 'model' | 'queryModel'): string {
  if (existsSync(record.dir)) return record.dir;
  if (HUB_SNAPSHOT_DIR.test(record.dir)) return record.id;
  throw new Error(
    `the index was encoded with the model directory ${record.dir} (${field}.dir in its manifest.json), which does not exist any more: ` +
      `put the model back there, or set ${field}.dir in manifest.json to where the model is now`,
  );
}

/**
 * Loads the encoder that encodes the index's queries, with exactly the recorded settings (no preset
 * re-resolution): the query model of a two-encoder index, else the one model.
 */
export async function loadManifestEncoder(m: IndexManifest, options: { threads?: number; batchSize?: number } = {}): Promise<Encoder> {
  const record = m.queryModel ?? m.model;
  const model = recordedModelPath(record, m.queryModel ? 'queryModel' : 'model');
  // A query model is only asked for query vectors, so only those settings must be reproduced.
  const recorded = m.queryModel ? { query: m.encoder.query, similarity: m.encoder.similarity } : m.encoder;
  const encoder = await Encoder.load(model, {
    preset: 'none',
    query: m.encoder.query,
    passage: m.queryModel ? m.encoder.query : m.encoder.passage,
    similarity: m.encoder.similarity,
    ...(record.quantize ? { quantize: record.quantize } : {}),
    ...(options.threads !== undefined ? { threads: options.threads } : {}),
    ...(options.batchSize !== undefined ? { batchSize: options.batchSize } : {}),
  });
  const loaded = m.queryModel ? { query: encoder.settings.query, similarity: encoder.settings.similarity } : encoder.settings;
  const diffs = paramDifferences(recorded, loaded, 'encoder');
  if (encoder.dims !== m.dims) diffs.push(`dims: index ${m.dims}, model ${encoder.dims}`);
  if (diffs.length) {
    await encoder.dispose();
    throw new Error(`the model ${model} does not reproduce the index's ${m.queryModel ? 'query ' : ''}encoder:\n  ${diffs.join('\n  ')}`);
  }
  return encoder;
}

/**
 * The engine to search with: the manifest's, or for `exact` the flat engine and for `engine` the named
 * one, over the same stored vectors (only engines that need no files of their own can stand in). A
 * slice searches exactly: its engine's files are written when the slices are merged.
 */
function engineToOpen(dir: string, manifest: IndexManifest, options: IndexOpenOptions): { engine: IndexEngine; record: EngineRecord } {
  let built: IndexEngine;
  try {
    built = engineByKind(manifest.engine.kind);
  } catch (err) {
    throw new Error(`${join(dir, MANIFEST_FILE)}: field "engine.kind": ${(err as Error).message}`);
  }
  const stand = options.engine ?? (options.exact || (manifest.slice && built.storage === 'local') ? EXACT_ENGINE : undefined);
  if (stand === undefined || stand === built.kind) return { engine: built, record: manifest.engine };
  if (built.storage !== 'local') throw new Error(`${dir}: the ${stand} engine reads the stored vectors, and the ${built.kind} engine keeps them elsewhere`);
  const engine = engineByKind(stand);
  if (engine.storage !== 'local' || engine.writesFiles) throw new Error(`${dir}: the ${stand} engine needs files of its own; build the index with --index ${stand} to search with it`);
  return { engine, record: { kind: engine.kind, params: engine.parseParams({}), files: [] } };
}

function searchParamsFor(engine: IndexEngine, options: IndexOpenOptions): EngineParams {
  const raw: Record<string, EngineParamValue> = { ...options.searchParams };
  if (options.efSearch !== undefined && engine.searchParamNames?.includes('efSearch')) raw.efSearch = options.efSearch;
  return engine.parseSearchParams ? engine.parseSearchParams(raw) : readParams(engine.kind, raw, {});
}

export class Index implements Searcher {
  private encoder: TextEncoder | undefined;
  private readonly ownsEncoder: boolean;

  private constructor(
    readonly dir: string,
    readonly manifest: IndexManifest,
    private readonly store: VectorStore | undefined,
    /** The docids of a local index's rows (read on demand when the index has a docid index). */
    readonly docids: RowDocids | undefined,
    /** The doc store of a local index (undefined when the engine keeps vectors and text elsewhere). */
    readonly docs: DocStore | undefined,
    readonly engine: SearchEngine,
    private readonly options: IndexOpenOptions,
  ) {
    this.encoder = options.encoder;
    this.ownsEncoder = options.encoder === undefined;
  }

  /** Encodes a corpus into `outDir` (resumable; see build/build.ts). */
  static build(options: BuildOptions): Promise<BuildResult> {
    return buildIndex(options);
  }

  /** Opens an index directory, refusing any missing or corrupt file by name. */
  static async open(dir: string, options: IndexOpenOptions = {}): Promise<Index> {
    const manifest = readManifest(dir);
    if (manifest.count === 0) throw new Error(`${dir}: the index holds no vectors`);
    if (options.encoder?.trainedFor === 'passage') {
      throw new Error(`${dir}: the query encoder given is a DPR context encoder; queries need the question encoder it was trained with`);
    }
    const verify = options.verify ?? true;
    const { engine, record } = engineToOpen(dir, manifest, options);
    const searchParams = searchParamsFor(engine, options);
    let store: VectorStore | undefined;
    let docids: RowDocids | undefined;
    let docs: DocStore | undefined;
    try {
      let rows: LocalRows | undefined;
      if (engine.storage === 'local') {
        if (manifest.shards.length === 0) throw new Error(`${join(dir, MANIFEST_FILE)}: field "shards" is empty, and the ${engine.kind} engine reads local shards`);
        for (const s of manifest.shards) {
          verifyVectorFile(dir, s, manifest, verify, 'lazy');
          // With a docid index, each chunk of docids is checked against its crc32 when read; the doc
          // store's files are hashed when their shard's first passage is read (DocStore), not here.
          for (const f of shardTextFiles(s)) {
            const lazy = (manifest.docidIndex && f === s.docids) || f === s.docs || f === s.offsets;
            verifyFile(dir, f, verify && !lazy);
          }
        }
        store = VectorStore.open(dir, manifest.shards.map((s) => ({ file: s.vectors.file, count: s.count, dim: manifest.dims, dtype: manifest.dtype })));
        docids = openRowDocids(dir, manifest);
        const ids = docids;
        docs = DocStore.open(dir, manifest.shards, (row) => ids.docid(row), verify);
        rows = { store, docids };
      }
      const opened = await engine.open({ dir, manifest, record, verify, threads: options.threads, searchParams, rows });
      return new Index(dir, manifest, store, docids, docs, opened, options);
    } catch (err) {
      docs?.close();
      docids?.close();
      store?.close();
      throw err;
    }
  }

  get count(): number {
    return this.manifest.count;
  }

  /** Whether hits can carry passage text (imported vectors and some engines store ids only). */
  get storesText(): boolean {
    return this.docs ? this.docs.hasText : this.engine.documents !== undefined;
  }

  /** The stored passage at a row of a local index (undefined for imported vectors, which store ids only). */
  document(row: number): StoredDoc | undefined {
    if (!this.docs) throw new Error(`${this.dir}: the ${this.engine.describe().kind} engine has no local rows; look passages up by docid`);
    return this.docs.document(row);
  }

  /** The stored passages of hits, in order (undefined where none is stored). */
  async documents(hits: readonly { docid: string; row?: number }[]): Promise<(StoredDoc | undefined)[]> {
    if (!this.storesText) return hits.map(() => undefined);
    if (this.docs) return hits.map((h) => this.documentAt(h.row ?? this.rowOfDocid(h.docid)));
    return this.engine.documents!(hits.map((h) => h.docid));
  }

  /** The stored passage with this docid, if any. */
  async documentById(docid: string): Promise<StoredDoc | undefined> {
    return (await this.documents([{ docid }]))[0];
  }

  private documentAt(row: number | undefined): StoredDoc | undefined {
    return row === undefined ? undefined : this.docs!.document(row);
  }

  private rowOfDocid(docid: string): number | undefined {
    return this.docids!.rowOf(docid);
  }

  private async queryEncoder(): Promise<TextEncoder> {
    if (!this.encoder) {
      this.encoder = await loadManifestEncoder(this.manifest, {
        ...(this.options.threads !== undefined ? { threads: this.options.threads } : {}),
        ...(this.options.batchSize !== undefined ? { batchSize: this.options.batchSize } : {}),
      });
    }
    if (this.encoder.dims !== this.manifest.dims) throw new Error(`query encoder gives ${this.encoder.dims} dims, the index holds ${this.manifest.dims}`);
    return this.encoder;
  }

  /** Encodes queries with the index's own model and settings. */
  async encodeQueries(texts: readonly string[]): Promise<Float32Array[]> {
    const encoder = await this.queryEncoder();
    const vectors = await encoder.encodeQueries(texts);
    const s = this.manifest.encoder;
    if (s.similarity === 'cosine' && !s.query.normalize) for (const v of vectors) l2NormalizeRows(v, v.length);
    return vectors;
  }

  /** Top-k by inner product, ordered score descending then docid descending (trec_eval's order). */
  async searchVectors(ids: readonly string[], vectors: readonly Float32Array[], k: number): Promise<IndexQueryHits[]> {
    requirePositiveInt('k', k);
    if (vectors.length !== ids.length) throw new Error(`searchVectors: ${ids.length} ids for ${vectors.length} vectors`);
    const found = await this.engine.search(vectors, k);
    return ids.map((qid, q) => ({ qid, hits: found[q]! }));
  }

  async search(queries: readonly { id: string; text: string }[], k: number): Promise<IndexQueryHits[]> {
    requirePositiveInt('k', k);
    const vectors = await this.encodeQueries(queries.map((q) => q.text));
    return this.searchVectors(queries.map((q) => q.id), vectors, k);
  }

  async close(): Promise<void> {
    await this.engine.close();
    this.store?.close();
    this.docs?.close();
    this.docids?.close();
    if (this.ownsEncoder && this.encoder) await this.encoder.dispose();
  }
}
