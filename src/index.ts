// densekit's public library API. The CLI (src/cli) is a thin layer over these exports.
export type { DType, Tensor, StateDict } from './checkpoint/tensor.js';
export {
  loadCheckpoint,
  findWeightFile,
  readSafetensors,
  parseSafetensors,
  readTorchCheckpoint,
  parseTorchCheckpoint,
  readShardedCheckpoint,
  normalizeWeightNames,
  normalizeWeightName,
} from './checkpoint/index.js';
export type { NormalizedWeights } from './checkpoint/index.js';
export * from './corpus/index.js';
export { resolveModel, HubError, hubSettingsFromEnv, repoFolderName } from './hub/index.js';
export type { ResolveModelOptions, HubErrorKind, HubSettings } from './hub/index.js';
export type { Encoding, EncodeOptions, TruncationStrategy } from './tokenizer/types.js';
export { Tokenizer, DEFAULT_SPECIAL_TOKENS } from './tokenizer/tokenizer.js';
export type { TokenizerOptions, SpecialTokens } from './tokenizer/tokenizer.js';
export { padBatch } from './tokenizer/pad-batch.js';
export type { PadBatchOptions } from './tokenizer/pad-batch.js';
export { tokenizeJsonl } from './corpus/tokenize-jsonl.js';
export type { TokenizeJsonlOptions } from './corpus/tokenize-jsonl.js';
export type { TokenBatch, HiddenStates, TransformerConfig } from './model/types.js';
export { readModelConfig, parseModelConfig } from './model/config.js';
export { TransformerModel } from './model/runtime.js';
export type { TransformerLoadOptions } from './model/runtime.js';
export * from './sparse/index.js';
export * from './fusion/index.js';
export { Encoder } from './encoder/encoder.js';
export type { EncoderLoadOptions, EncoderSource } from './encoder/encoder.js';
export type { EncoderOverrides } from './encoder/settings.js';
export { PRESETS, presetByName, type Preset } from './encoder/presets.js';
export type { TextEncoder, PassageInput, SideSettings, EncoderSettings, Pooling, PassageFormat, TokenTypes, Similarity } from './encoder/types.js';
// Vector storage and search (src/index).
export type { VectorDType, ShardSummary, VectorSource, RowHits, SearchOptions, VectorIndex } from './index/formats/vector-types.js';
export { VectorShardWriter, type VectorShardWriterOptions } from './index/formats/shard-writer.js';
export { VectorShardReader, type ShardExpectation } from './index/formats/shard-reader.js';
export { VectorStore, type ShardRef } from './index/formats/vector-store.js';
export { FlatIndex, type FlatIndexOptions, type FlatSearchStats } from './index/engines/flat/flat-index.js';
export { exactInnerProduct } from './index/engines/flat/exact-score.js';
export { docidTieRanks } from './results/tie-ranks.js';
export { l2NormalizeRows } from './index/normalize.js';
export { HnswIndex, type HnswOptions } from './index/engines/hnsw/hnsw-index.js';
// Index building and search (src/index): build (resumable, sliced), merge, import, open, search, run formats.
export { Index, loadManifestEncoder, type IndexOpenOptions, type IndexHit, type IndexQueryHits } from './index/dense-index.js';
export {
  buildIndex, buildParamsFor, DEFAULT_SHARD_SIZE, DEFAULT_BUILD_BATCH_SIZE,
  type BuildOptions, type BuildResult, type BuildEvent, type IndexingEncoder,
} from './index/build/build.js';
export { parseSliceSpec, sliceShards, type SliceSpec } from './index/build/slice.js';
export { mergeSlices, type MergeOptions } from './index/build/merge.js';
export { importVectors, type ImportOptions } from './index/import/import-vectors.js';
export { HNSW_FILE } from './index/engines/hnsw/hnsw-engine.js';
export { openIndex, openedDenseIndex, openedBm25Index, type OpenedIndex, type IndexInfo } from './index/open-index.js';
// Index engines (src/index/engines): one interface, picked by name (`--index NAME[:params]`).
export { registerEngine, engineByKind, registeredEngines, chooseEngine, type EngineChoiceInput } from './index/engines/registry.js';
export { parseEngineSpec, type EngineSpec } from './index/engines/params.js';
export type {
  IndexEngine, SearchEngine, EngineRecord, EngineParams, EngineParamValue, EngineHit, EngineDescription, EngineBuildContext,
  EngineOpenContext, LocalRows, WindowSink, EncodedWindow, WindowRecord, CommittedWindow, RemoteWindow,
} from './index/engines/engine.js';
export { RunWriter, RUN_FORMATS, type RunFormat, type RunWriterOptions } from './results/run-writer.js';
export { DocStore } from './index/formats/docstore.js';
export type { StoredDoc } from './index/formats/docstore-format.js';
export {
  readManifest, MANIFEST_FILE, DENSE_KIND, VECTOR_DTYPES,
  type IndexManifest, type ManifestShard, type ManifestFile, type ModelRecord, type BuildParams, type SliceRecord, type EngineChoice,
} from './index/formats/manifest.js';
// Evaluation (src/eval): trec_eval measures, presets, DPR answer accuracy, HTML reports.
export * from './eval/index.js';
export { FaissFlatFile, type FaissFlatInfo } from './index/import/faiss.js';
export { NpyFile } from './index/import/npy.js';
export { readDocidList } from './files/id-list.js';
// HTTP search server (src/server): startServer, limits, backends.
export * from './server/index.js';
