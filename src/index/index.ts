// Dense indexes: build (resumable, sliced, merged, imported), open with any engine, search.
export { Index, type IndexOpenOptions, type IndexHit, type IndexQueryHits } from './dense-index.js';
export { openIndex, openedDenseIndex, openedBm25Index, type OpenedIndex, type IndexInfo } from './open-index.js';
export {
  buildIndex, DEFAULT_SHARD_SIZE, DEFAULT_BUILD_BATCH_SIZE,
  type BuildOptions, type BuildResult, type BuildEvent, type IndexingEncoder,
} from './build/build.js';
export { parseSliceSpec, type SliceSpec } from './build/slice.js';
export { mergeSlices, type MergeOptions } from './build/merge.js';
export { importVectors, type ImportOptions } from './import/import-vectors.js';
export { exportIndex, type ExportOptions } from './build/export.js';
export { upgradeIndex, type UpgradeResult } from './build/upgrade.js';
export type { RowDocids } from './formats/docid-index.js';
export { registerEngine, engineByKind, registeredEngines, chooseEngine, type EngineChoiceInput } from './engines/registry.js';
export { parseEngineSpec, readParams, positiveIntParam, type EngineSpec } from './engines/params.js';
export { localRowsOf, hitsOfRows } from './engines/local-rows.js';
export { isLocalShard } from './engines/engine.js';
export type {
  IndexEngine, SearchEngine, EngineRecord, EngineParams, EngineParamValue, EngineHit, EngineDescription, EngineBuildContext,
  EngineOpenContext, LocalRows, WindowSink, EncodedWindow, WindowRecord, CommittedWindow, RemoteWindow,
} from './engines/engine.js';
export { FlatIndex, type FlatIndexOptions } from './engines/flat/flat-index.js';
export {
  HnswIndex, HNSW_QUANTIZATIONS, type HnswOptions, type HnswLoadOptions, type HnswSearchOptions, type HnswQuantization, type RowScorer,
} from './engines/hnsw/hnsw-index.js';
export { StoredRows } from './engines/hnsw/stored-rows.js';
export { VectorShardWriter, type VectorShardWriterOptions } from './formats/shard-writer.js';
export { VectorShardReader, type ShardExpectation } from './formats/shard-reader.js';
export { VectorStore, type ShardRef } from './formats/vector-store.js';
export type { VectorDType, ShardSummary, VectorSource, RowHits, SearchOptions, VectorIndex } from './formats/vector-types.js';
export type { StoredDoc } from './formats/docstore-format.js';
export {
  readManifest, MANIFEST_FILE, DENSE_KIND, VECTOR_DTYPES,
  type IndexManifest, type ManifestShard, type DocidIndexRecord, type ManifestFile, type ModelRecord, type BuildParams, type SliceRecord, type EngineChoice,
} from './formats/manifest.js';
