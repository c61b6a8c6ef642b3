// Opens whatever index a directory holds (dense or BM25) behind one interface, by its manifest's kind.
import { Bm25Index } from '../sparse/index.js';
import type { StoredDoc } from './docstore-format.js';
import { Index, type IndexOpenOptions } from './index.js';
import { DENSE_KIND, readManifestJson } from './manifest.js';
import type { Searcher } from './types.js';

export interface OpenedIndex {
  readonly kind: string;
  readonly searcher: Searcher;
  /** Passage lookup for a hit; undefined when the index stores no text (BM25, imported vectors). */
  readonly document?: (hit: { docid: string; row?: number }) => StoredDoc | undefined;
  close(): Promise<void>;
}

export async function openSearchIndex(dir: string, options: IndexOpenOptions = {}): Promise<OpenedIndex> {
  const json = readManifestJson(dir);
  if (!json) throw new Error(`${dir}: not an index directory (no manifest.json)`);
  if (json.kind === DENSE_KIND) {
    const index = await Index.open(dir, options);
    return {
      kind: DENSE_KIND,
      searcher: index,
      ...(index.docs.hasText ? { document: (hit: { docid: string; row?: number }) => (hit.row !== undefined ? index.document(hit.row) : undefined) } : {}),
      close: () => index.close(),
    };
  }
  if (await Bm25Index.isBm25Dir(dir)) {
    const bm25 = await Bm25Index.open(dir);
    return { kind: String(json.kind), searcher: bm25, close: async () => {} };
  }
  throw new Error(`${dir}/manifest.json: unknown index kind ${JSON.stringify(json.kind)} (known: ${DENSE_KIND}, bm25)`);
}
