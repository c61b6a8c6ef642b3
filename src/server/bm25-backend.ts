import type { Bm25Index } from '../sparse/bm25-index.js';
import type { BackendInfo, SearchBackend } from './types.js';

/**
 * Serves a densekit BM25 index. BM25 indexes keep postings and docids but no passage text, so hits
 * carry docid and score only, and /docs answers 404 NO_STORED_TEXT. No encoder: "model" names the
 * scoring function and its parameters.
 */
export function bm25Backend(index: Bm25Index): SearchBackend {
  const m = index.manifest;
  const info: BackendInfo = {
    model: `bm25 (k1=${m.k1}, b=${m.b}, ${m.analyzer} analyzer, ${m.fields} fields)`,
    count: index.size,
    indexType: 'bm25',
    storesText: false,
  };
  return {
    info: () => info,
    async search(queries, k) {
      const results = await index.search(queries.map((text, i) => ({ id: String(i), text })), k);
      return results.map((r) => r.hits.map((h) => ({ docid: h.docid, score: h.score })));
    },
    getDoc: async () => undefined,
    close: async () => {},
  };
}
