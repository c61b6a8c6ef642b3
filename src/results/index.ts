// Search results, below every searcher and above the corpus: hits, trec_eval's order (score, then
// docid descending in bytes), top-k selection, tie ranks, and run writers.
export type { Hit, QueryHits, Searcher, StoredDoc } from './hits.js';
export { compareHits } from './hit-order.js';
export { docidTieRanks } from './tie-ranks.js';
export { writeTrecRun, saveTrecRun } from './trec-run.js';
export { RunWriter, RUN_FORMATS, type RunFormat, type RunWriterOptions } from './run-writer.js';
