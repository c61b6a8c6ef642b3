// A dense index directory, opened for search: the manifest, the vectors (exact search by default), the
// doc store, and the encoder the manifest names, reloaded with the recorded settings to encode queries.
import { existsSync } from 'node:fs';
import { Encoder } from '../encoder/encoder.js';
import type { TextEncoder } from '../encoder/types.js';
import { buildIndex, type BuildOptions, type BuildResult } from './build.js';
import { paramDifferences } from './build-progress.js';
import { verifyFile, verifyShard } from './build-verify.js';
import { HnswIndex } from './engines/hnsw/hnsw-index.js';
import { join } from 'node:path';
import { DocStore } from './docstore.js';
import type { StoredDoc } from './docstore-format.js';
import { FlatIndex } from './engines/flat/flat-index.js';
import { readManifest, type IndexManifest } from './manifest.js';
import { l2NormalizeRows } from './normalize.js';
import { docidTieRanks } from './tie-ranks.js';
import type { Hit, QueryHits, Searcher } from './types.js';
import { VectorStore } from './vector-store.js';
import type { VectorIndex } from './vector-types.js';

export interface IndexOpenOptions {
  /** Hash every file against the manifest on open (default true); sizes and layout are always checked. */
  readonly verify?: boolean;
  /** Encodes queries instead of the model the manifest names (it must give the same dims). */
  readonly encoder?: TextEncoder;
  /** Inference and search threads. */
  readonly threads?: number;
  /** Queries per encoder forward pass. */
  readonly batchSize?: number;
  /** Search exactly even when the index has an HNSW graph. */
  readonly exact?: boolean;
  /** HNSW candidate list size at search time (raised to k when smaller). */
  readonly efSearch?: number;
}

/** A hit with its row in the index, so the stored passage can be fetched. */
export interface IndexHit extends Hit {
  readonly row: number;
}

export interface IndexQueryHits extends QueryHits {
  readonly hits: readonly IndexHit[];
}

/** Loads the encoder a manifest names, with exactly the recorded settings (no preset re-resolution). */
export async function loadManifestEncoder(m: IndexManifest, options: { threads?: number; batchSize?: number } = {}): Promise<Encoder> {
  const model = existsSync(m.model.dir) ? m.model.dir : m.model.id;
  const encoder = await Encoder.load(model, {
    preset: 'none',
    query: m.encoder.query,
    passage: m.encoder.passage,
    similarity: m.encoder.similarity,
    ...(m.model.quantize ? { quantize: m.model.quantize } : {}),
    ...(options.threads !== undefined ? { threads: options.threads } : {}),
    ...(options.batchSize !== undefined ? { batchSize: options.batchSize } : {}),
  });
  const diffs = paramDifferences(m.encoder, encoder.settings, 'encoder');
  if (encoder.dims !== m.dims) diffs.push(`dims: index ${m.dims}, model ${encoder.dims}`);
  if (diffs.length) {
    await encoder.dispose();
    throw new Error(`the model ${model} does not reproduce the index's encoder:\n  ${diffs.join('\n  ')}`);
  }
  return encoder;
}

export class Index implements Searcher {
  private encoder: TextEncoder | undefined;
  private readonly ownsEncoder: boolean;

  private constructor(
    readonly dir: string,
    readonly manifest: IndexManifest,
    private readonly store: VectorStore,
    readonly docs: DocStore,
    private readonly vectors: VectorIndex & { close(): Promise<void> },
    private readonly tieRanks: Uint32Array,
    private readonly options: IndexOpenOptions,
  ) {
    this.encoder = options.encoder;
    this.ownsEncoder = options.encoder === undefined;
  }

  /** Encodes a corpus into `outDir` (resumable; see build.ts). */
  static build(options: BuildOptions): Promise<BuildResult> {
    return buildIndex(options);
  }

  /** Opens an index directory, refusing any missing or corrupt file by name. */
  static async open(dir: string, options: IndexOpenOptions = {}): Promise<Index> {
    const manifest = readManifest(dir);
    if (manifest.count === 0) throw new Error(`${dir}: the index holds no vectors`);
    manifest.shards.forEach((s) => verifyShard(dir, s, manifest, options.verify ?? true));
    const store = VectorStore.open(dir, manifest.shards.map((s) => ({ file: s.vectors.file, count: s.count, dim: manifest.dims, dtype: manifest.dtype })));
    let docs: DocStore | undefined;
    try {
      docs = DocStore.open(dir, manifest.shards);
      const tieRanks = docidTieRanks(docs.docids);
      const threads = options.threads !== undefined ? { threads: options.threads } : {};
      let vectors: VectorIndex & { close(): Promise<void> };
      if (manifest.hnsw && !options.exact) {
        // verifyFile checks what the manifest recorded; the engine's loader re-checks its own sidecar.
        verifyFile(dir, manifest.hnsw.sidecar, options.verify ?? true);
        verifyFile(dir, manifest.hnsw.file, false);
        const graph = HnswIndex.load(join(dir, manifest.hnsw.file.file), { ...threads, ...(options.efSearch ? { efSearch: options.efSearch } : {}), verifyChecksum: options.verify ?? true });
        if (graph.count !== manifest.count || graph.dim !== manifest.dims) {
          throw new Error(`hnsw index ${join(dir, manifest.hnsw.file.file)}: holds ${graph.count} × ${graph.dim}, the manifest says ${manifest.count} × ${manifest.dims}`);
        }
        vectors = Object.assign(graph, { close: async () => {} });
      } else {
        vectors = await FlatIndex.build(store, threads);
      }
      return new Index(dir, manifest, store, docs, vectors, tieRanks, options);
    } catch (err) {
      docs?.close();
      store.close();
      throw err;
    }
  }

  get count(): number {
    return this.manifest.count;
  }

  /** The stored passage at a hit's row (undefined for imported vectors, which store ids only). */
  document(row: number): StoredDoc | undefined {
    return this.docs.document(row);
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
    const found = await this.vectors.search(vectors, k, { tieRanks: this.tieRanks });
    return ids.map((qid, q) => ({
      qid,
      hits: found.ids[q]!.map((row, r) => ({ docid: this.docs.docids[row]!, score: found.scores[q]![r]!, row })),
    }));
  }

  async search(queries: readonly { id: string; text: string }[], k: number): Promise<IndexQueryHits[]> {
    const vectors = await this.encodeQueries(queries.map((q) => q.text));
    return this.searchVectors(queries.map((q) => q.id), vectors, k);
  }

  async close(): Promise<void> {
    await this.vectors.close();
    this.store.close();
    this.docs.close();
    if (this.ownsEncoder && this.encoder) await this.encoder.dispose();
  }
}
