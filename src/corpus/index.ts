export { readCorpus, readCorpusLines, detectCorpusFormat, newCorpusReadStats, CORPUS_FORMATS, type ReadCorpusOptions, type CorpusReadStats, type NumberedCorpusRecord } from './corpus-reader.js';
export { readQueries, detectQueryFormat, QUERY_FORMATS, type QueryFormat } from './query-reader.js';
export { parsePythonStringList } from './python-literal.js';
export { readJsonLines, stringField, idField, type JsonLine } from './jsonl.js';
export { readTextLines, isGzip, type TextLine } from './text-lines.js';
export type { CorpusRecord, CorpusFormat, QueryRecord } from './types.js';
