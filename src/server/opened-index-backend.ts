import type { StoredDoc } from '../index/formats/docstore-format.js';
import type { Index } from '../index/dense-index.js';
import { openedBm25Index, openedDenseIndex, type OpenedIndex } from '../index/open-index.js';
import type { Bm25Index } from '../sparse/bm25-index.js';
import type { SearchBackend, ServedHit } from './types.js';

/**
 * Serves any opened index (see openIndex): hits carry the stored passage when the index has one.
 * The server asks nothing else of an index, so every engine and BM25 serve the same way.
 */
export function indexBackend(opened: OpenedIndex): SearchBackend {
  const served = (hit: { docid: string; score: number }, doc: StoredDoc | undefined): ServedHit => {
    const { docid, score } = hit;
    if (!doc) return { docid, score };
    return doc.title !== undefined ? { docid, score, title: doc.title, text: doc.text } : { docid, score, text: doc.text };
  };
  return {
    info: () => opened.info(),
    async search(queries, k) {
      const results = await opened.searcher.search(queries.map((text, i) => ({ id: String(i), text })), k);
      return Promise.all(results.map(async (r) => {
        const docs = opened.documents ? await opened.documents(r.hits) : [];
        return r.hits.map((h, i) => served(h, docs[i]));
      }));
    },
    ...(opened.warmUp ? { warmUp: () => opened.warmUp!() } : {}),
    getDoc: async (id): Promise<StoredDoc | undefined> => opened.documentById?.(id),
    close: () => opened.close(),
  };
}

/** Serves an open dense index; `close` closes it only when `ownsIndex`. */
export function denseIndexBackend(index: Index, options: { ownsIndex: boolean }): SearchBackend {
  return indexBackend(openedDenseIndex(index, options));
}

/** Serves a BM25 index: docids and scores only (BM25 indexes keep no passage text; /docs answers 404 NO_STORED_TEXT). */
export function bm25Backend(index: Bm25Index): SearchBackend {
  return indexBackend(openedBm25Index(index));
}
