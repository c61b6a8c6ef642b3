import type { StoredDoc } from '../index/docstore-format.js';
import type { Index } from '../index/index.js';
import type { BackendInfo, SearchBackend, ServedHit } from './types.js';

/**
 * Serves a dense densekit index: queries are encoded with the index's own model and settings, hits
 * carry the stored passage when the index has one. `close` closes the index only when `ownsIndex`.
 */
export function denseIndexBackend(index: Index, options: { ownsIndex: boolean }): SearchBackend {
  const m = index.manifest;
  const storesText = index.docs.hasText;
  const info: BackendInfo = {
    model: m.model.id,
    ...(m.model.revision !== undefined ? { revision: m.model.revision } : {}),
    ...(m.model.preset !== undefined ? { preset: m.model.preset } : {}),
    count: m.count,
    dims: m.dims,
    indexType: m.index,
    dtype: m.dtype,
    similarity: m.similarity,
    storesText,
  };
  // docid → row, built on the first /docs request (search alone never needs it).
  let rowOf: Map<string, number> | undefined;

  const withDoc = (docid: string, score: number, row: number): ServedHit => {
    const doc = storesText ? index.document(row) : undefined;
    if (!doc) return { docid, score };
    return doc.title !== undefined ? { docid, score, title: doc.title, text: doc.text } : { docid, score, text: doc.text };
  };

  return {
    info: () => info,
    async search(queries, k) {
      const results = await index.search(queries.map((text, i) => ({ id: String(i), text })), k);
      return results.map((r) => r.hits.map((h) => withDoc(h.docid, h.score, h.row)));
    },
    async warmUp() {
      await index.encodeQueries(['warm up']);
    },
    async getDoc(id): Promise<StoredDoc | undefined> {
      if (!storesText) return undefined;
      if (!rowOf) {
        rowOf = new Map();
        index.docs.docids.forEach((docid, row) => {
          if (!rowOf!.has(docid)) rowOf!.set(docid, row);
        });
      }
      const row = rowOf.get(id);
      return row === undefined ? undefined : index.document(row);
    },
    async close() {
      if (options.ownsIndex) await index.close();
    },
  };
}
