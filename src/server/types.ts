import type { StoredDoc } from '../index/formats/docstore-format.js';
import type { IndexInfo } from '../index/open-index.js';

/** What `GET /info` reports about the served index (see IndexInfo). */
export type BackendInfo = IndexInfo;

/** One hit as the server returns it: the docid and score, plus the passage when the index stores it. */
export interface ServedHit {
  readonly docid: string;
  readonly score: number;
  readonly title?: string;
  readonly text?: string;
}

/**
 * What the HTTP layer needs from an index. The server only talks to this, so routes can be tested
 * with any backend; `indexBackend` adapts a densekit dense index to it.
 */
export interface SearchBackend {
  info(): BackendInfo;
  /** Top `k` hits for each query, in query order; one call should share one encoder forward pass. */
  search(queries: readonly string[], k: number): Promise<ServedHit[][]>;
  /** The stored passage with this docid, or undefined when there is none (or text is not stored). */
  getDoc(id: string): Promise<StoredDoc | undefined>;
  /** Loads what the first search would (e.g. the query encoder), so start-up fails fast and the first request is not slow. */
  warmUp?(): Promise<void>;
  /** Releases the index; called once, after the last request has finished. */
  close(): Promise<void>;
}
