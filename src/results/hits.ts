/** One retrieved document. */
export interface Hit {
  readonly docid: string;
  readonly score: number;
}

/** The ranked hits of one query, ordered as trec_eval orders them: score descending, then docid descending. */
export interface QueryHits {
  readonly qid: string;
  readonly hits: readonly Hit[];
}

/** Anything that answers queries with ranked hits: a dense index, a BM25 index, a fused pair. */
export interface Searcher {
  search(queries: readonly { id: string; text: string }[], k: number): Promise<QueryHits[]>;
}

/** A stored passage, as search outputs it. */
export interface StoredDoc {
  readonly id: string;
  readonly title?: string;
  readonly text: string;
}
