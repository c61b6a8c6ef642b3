/** One passage read from a corpus file. */
export interface CorpusRecord {
  readonly id: string;
  readonly title?: string;
  readonly text: string;
}

export type CorpusFormat = 'beir' | 'pyserini' | 'dpr-tsv' | 'msmarco-tsv';

/** One query (topic) read from a query file. DPR QA files also carry answers. */
export interface QueryRecord {
  readonly id: string;
  readonly text: string;
  readonly answers?: readonly string[];
}
