export { readCorpus, detectCorpusFormat, newCorpusReadStats, CORPUS_FORMATS, type ReadCorpusOptions, type CorpusReadStats } from './corpus-reader.js';
export { readQueries, detectQueryFormat, QUERY_FORMATS, type QueryFormat } from './query-reader.js';
export { tokenizeJsonl, type TokenizeJsonlOptions } from './tokenize-jsonl.js';
export type { CorpusRecord, CorpusFormat, QueryRecord } from './types.js';
