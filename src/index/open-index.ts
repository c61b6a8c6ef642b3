// The one way to open whatever index a directory holds (a dense index with any engine, or BM25), by
// its manifest's kind, behind one interface the CLI, the server and the library all use.
import { BM25_KIND } from '../sparse/bm25-files.js';
import { Bm25Index } from '../sparse/bm25-index.js';
import type { StoredDoc } from './formats/docstore-format.js';
import type { EngineDescription } from './engines/engine.js';
import { Index, type IndexOpenOptions } from './dense-index.js';
import { DENSE_KIND, MANIFEST_FILE, notAnIndexError, readManifestJson } from './formats/manifest.js';
import type { Searcher } from '../results/hits.js';

/** What `/info` and `densekit search` report about an open index. */
export interface IndexInfo {
  /** The model that encoded the passages (hub id or directory, as recorded), or the scoring function. */
  readonly model: string;
  readonly revision?: string;
  readonly preset?: string;
  /** The model that encodes queries, when it is not `model` (DPR/RDR question encoder). */
  readonly queryModel?: string;
  readonly queryRevision?: string;
  /** Number of documents in the index. */
  readonly count: number;
  /** Vector width (dense indexes only). */
  readonly dims?: number;
  /** The engine that answers searches: "flat", "hnsw", ..., or "bm25". */
  readonly indexType: string;
  readonly dtype?: string;
  readonly similarity?: string;
  /** Whether passage title/text are stored, i.e. whether hits and document lookups carry text. */
  readonly storesText: boolean;
  /** Dense indexes: the engine's kind and parameters. */
  readonly engine?: EngineDescription;
}

export interface OpenedIndex {
  /** The directory's manifest kind: "dense" or "bm25". */
  readonly kind: string;
  readonly searcher: Searcher;
  info(): IndexInfo;
  /** Stored passages of hits, in order; absent when the index stores no text (BM25, imported vectors). */
  readonly documents?: (hits: readonly { docid: string; row?: number }[]) => Promise<(StoredDoc | undefined)[]>;
  /** The stored passage with this docid; absent when the index stores no text. */
  readonly documentById?: (docid: string) => Promise<StoredDoc | undefined>;
  /** Loads what the first search would (the query encoder), so start-up fails fast. */
  warmUp?(): Promise<void>;
  close(): Promise<void>;
}

/** An open dense index as an OpenedIndex; `close` closes the index only when `ownsIndex`. */
export function openedDenseIndex(index: Index, options: { ownsIndex: boolean }): OpenedIndex {
  const m = index.manifest;
  const engine = index.engine.describe();
  const info: IndexInfo = {
    model: m.model.id,
    ...(m.model.revision !== undefined ? { revision: m.model.revision } : {}),
    ...(m.model.preset !== undefined ? { preset: m.model.preset } : {}),
    ...(m.queryModel ? { queryModel: m.queryModel.id } : {}),
    ...(m.queryModel?.revision !== undefined ? { queryRevision: m.queryModel.revision } : {}),
    count: m.count,
    dims: m.dims,
    indexType: engine.kind,
    dtype: m.dtype,
    similarity: m.similarity,
    storesText: index.storesText,
    engine,
  };
  return {
    kind: DENSE_KIND,
    searcher: index,
    info: () => info,
    ...(index.storesText
      ? { documents: (hits: readonly { docid: string; row?: number }[]) => index.documents(hits), documentById: (docid: string) => index.documentById(docid) }
      : {}),
    warmUp: async () => {
      await index.encodeQueries(['warm up']);
    },
    close: async () => {
      if (options.ownsIndex) await index.close();
    },
  };
}

/** A BM25 index as an OpenedIndex: postings and docids, no passage text, no encoder. */
export function openedBm25Index(index: Bm25Index): OpenedIndex {
  const m = index.manifest;
  const info: IndexInfo = {
    model: `bm25 (k1=${m.k1}, b=${m.b}, ${m.analyzer} analyzer, ${m.fields} fields)`,
    count: index.size,
    indexType: 'bm25',
    storesText: false,
  };
  return { kind: BM25_KIND, searcher: index, info: () => info, close: async () => {} };
}

/** Openers by manifest kind. */
const OPENERS: Readonly<Record<string, (dir: string, options: IndexOpenOptions) => Promise<OpenedIndex>>> = {
  [DENSE_KIND]: async (dir, options) => openedDenseIndex(await Index.open(dir, options), { ownsIndex: true }),
  [BM25_KIND]: async (dir) => openedBm25Index(await Bm25Index.open(dir)),
};

export async function openIndex(dir: string, options: IndexOpenOptions = {}): Promise<OpenedIndex> {
  const json = readManifestJson(dir);
  if (!json) throw notAnIndexError(dir);
  const open = typeof json.kind === 'string' ? OPENERS[json.kind] : undefined;
  if (!open) throw new Error(`${dir}/${MANIFEST_FILE}: unknown index kind ${JSON.stringify(json.kind)} (known: ${Object.keys(OPENERS).join(', ')})`);
  return open(dir, options);
}
