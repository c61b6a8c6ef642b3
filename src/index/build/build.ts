// Builds a dense index directory from a corpus, resumably.
//
// Memory is bounded by one window (= one shard, `shardSize` records): the window's passages, its
// shardSize × dims float32 vectors and its serialised doc store, plus one encoder batch's tensors. The
// first pass (scan.ts) also holds one id → ordinal Map entry per record, freed before encoding.
// E.g. shardSize 8192, dims 768, 1 kB passages: ~8 MB of text + 25 MB of vectors.
//
// Resume: shards are fixed-size runs of records, each published by rename; after each one the progress
// record (progress.ts) is rewritten atomically. A restarted build checks its parameters against
// the record, verifies the committed shards' checksums, deletes anything uncommitted, skips the
// committed records (checking their ids against the stored ones) and goes on. Every shard's bytes
// depend only on its own records, so the result equals an uninterrupted run byte for byte.
import { requirePositiveInt } from '../../checks/positive-int.js';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { newCorpusReadStats, type CorpusFormat, type CorpusReadStats, type CorpusRecord } from '../../corpus/index.js';
import type { EncoderSource } from '../../encoder/encoder.js';
import { refuseOneSidedEncoder } from '../../encoder/encoder-pair.js';
import type { TextEncoder } from '../../encoder/types.js';
import { isTempFileName } from '../../files/atomic-write.js';
import { paramDifferences, PROGRESS_FILE, readProgress, removeProgress, writeProgress, type BuildProgressRecord } from './progress.js';
import { recordsOf, scanRecords, type RecordSource } from './scan.js';
import { shardSink } from './shard-sink.js';
import { emptySliceAdvice, sliceShards, type SliceSpec } from './slice.js';
import { encodeWindow, type WindowEncoder } from './window.js';
import { isLocalShard, type CommittedWindow } from '../engines/engine.js';
import { chooseEngine, type EngineChoiceInput } from '../engines/registry.js';
import {
  manifestFor, MANIFEST_FILE, paramsOf, readManifest, readManifestJson, writeManifest,
  type BuildParams, type IndexManifest, type ManifestFile, type ManifestShard, type ModelRecord, type SliceRecord,
} from '../formats/manifest.js';
import type { VectorDType } from '../formats/vector-types.js';
import { docidIndexFiles, writeDocidIndex } from '../formats/docid-index.js';

/**
 * What a build records about its encoder: where the passage model came from, and the query model when
 * another one encodes queries (an EncoderPair of DPR/RDR encoders), so search can reload it.
 */
export interface RecordedEncoder extends Pick<TextEncoder, 'settings' | 'dims' | 'trainedFor'> {
  readonly source: EncoderSource;
  readonly querySource?: EncoderSource | undefined;
}

/** What building needs from an encoder (an Encoder, or an EncoderPair for two-encoder retrievers). */
export interface IndexingEncoder extends TextEncoder, WindowEncoder, RecordedEncoder {}

export const DEFAULT_SHARD_SIZE = 8192;
export const DEFAULT_BUILD_BATCH_SIZE = 32;

export type BuildEvent =
  | { readonly phase: 'scan'; readonly records: number }
  | { readonly phase: 'encode'; readonly done: number; readonly total: number; readonly resumedAt: number }
  /** `import`: rows of vectors stored so far. */
  | { readonly phase: 'import'; readonly done: number; readonly total: number }
  /** The engine writes its own files over the finished shards (e.g. the HNSW graph). */
  | { readonly phase: 'engine'; readonly kind: string; readonly count: number }
  /** The docid index (docid-index.ts) is written over the finished shards' docids. */
  | { readonly phase: 'docids'; readonly count: number };

export interface BuildOptions {
  readonly encoder: IndexingEncoder;
  readonly corpusPath?: string;
  readonly records?: readonly CorpusRecord[];
  readonly format?: CorpusFormat;
  readonly outDir: string;
  /** The engine: "flat" (default), "hnsw", "hnsw:M=32,efConstruction=200", or { kind, params }. */
  readonly index?: EngineChoiceInput;
  readonly dtype?: VectorDType;
  /** Encode only slice i of n (whole shards, contiguous); `mergeSlices` joins the slice directories. */
  readonly shard?: SliceSpec;
  readonly batchSize?: number;
  /** Records per shard file and per length-sorting window. */
  readonly shardSize?: number;
  readonly skipBad?: boolean;
  readonly onEvent?: (event: BuildEvent) => void;
  /** One-line notes for the user (resuming, cleanup). */
  readonly log?: (message: string) => void;
  /** Threads the engine may use to write its files (HNSW: default 1, the only setting with reproducible bytes). */
  readonly engineThreads?: number;
}

export interface BuildResult {
  readonly dir: string;
  readonly manifest: IndexManifest;
  /** Records in the whole corpus. */
  readonly totalCount: number;
  /** Passages encoded by this call (0 when the directory already held the finished index). */
  readonly encoded: number;
  /** Records this call found already committed by an earlier, interrupted run. */
  readonly resumedAt: number;
  readonly alreadyComplete: boolean;
  /** Lines skipped as malformed (--skip-bad), over the whole corpus. */
  readonly skipped: CorpusReadStats;
}

function modelRecord({ model, dir, preset, revision, quantize }: EncoderSource): ModelRecord {
  return {
    id: model,
    ...(revision !== undefined ? { revision } : {}),
    dir,
    ...(preset !== undefined ? { preset } : {}),
    ...(quantize === 'int8' ? { quantize } : {}),
  };
}

/** The parameters a build records; `source` names where the vectors came from. */
export function buildParamsFor(
  encoder: RecordedEncoder,
  options: Pick<BuildOptions, 'dtype' | 'shardSize' | 'batchSize'> & { readonly index?: EngineChoiceInput | undefined },
  source: string,
): BuildParams {
  return {
    model: modelRecord(encoder.source),
    ...(encoder.querySource ? { queryModel: modelRecord(encoder.querySource) } : {}),
    encoder: encoder.settings,
    dims: encoder.dims,
    dtype: options.dtype ?? 'f32',
    engine: chooseEngine(options.index).choice,
    shardSize: requirePositiveInt('shard size', options.shardSize ?? DEFAULT_SHARD_SIZE),
    batchSize: requirePositiveInt('batch size', options.batchSize ?? DEFAULT_BUILD_BATCH_SIZE),
    source,
  };
}

function mismatchError(dir: string, what: string, diffs: string[]): Error {
  return new Error(
    `${dir} holds ${what} built with different settings:\n  ${diffs.join('\n  ')}\n` +
      'run the same command as before to resume it, or choose another --out (or delete the directory) to start over',
  );
}

// Shard files, and any engine or docid index file an earlier run of this build may have left half-made.
const OUR_FILE = /^shard-\d{5}\.|^hnsw\.|^docids\./;

/** Deletes temp files and any shard/graph file the committed list does not name. */
function dropUncommitted(dir: string, keep: ReadonlySet<string>): number {
  let dropped = 0;
  for (const name of readdirSync(dir)) {
    if (keep.has(name) || name === PROGRESS_FILE || name === MANIFEST_FILE) continue;
    if (isTempFileName(name) || OUR_FILE.test(name)) {
      rmSync(join(dir, name), { force: true });
      dropped++;
    }
  }
  return dropped;
}

export async function buildIndex(options: BuildOptions): Promise<BuildResult> {
  const { encoder, outDir: dir } = options;
  if ((options.corpusPath === undefined) === (options.records === undefined)) throw new Error('give exactly one of corpusPath and records');
  refuseOneSidedEncoder(encoder);
  const params = buildParamsFor(encoder, options, options.corpusPath !== undefined ? basename(options.corpusPath) : 'records');
  const { engine } = chooseEngine(params.engine);
  const source: RecordSource =
    options.corpusPath !== undefined
      ? { kind: 'file', path: options.corpusPath, ...(options.format ? { format: options.format } : {}), skipBad: options.skipBad ?? false }
      : { kind: 'records', records: options.records! };
  const log = options.log ?? (() => {});
  const engineContext = { dir, params, shards: [], threads: options.engineThreads, log };
  const sink = engine.createSink?.(engineContext) ?? shardSink(dir, params);

  const stats = newCorpusReadStats();
  options.onEvent?.({ phase: 'scan', records: 0 });
  const totalCount = await scanRecords(source, stats, (records) => options.onEvent?.({ phase: 'scan', records }));
  const range = sliceShards(totalCount, params.shardSize, options.shard);
  const slice: SliceRecord | undefined = options.shard
    ? { i: options.shard.i, n: options.shard.n, firstShard: range.first, shardCount: range.count, totalCount }
    : undefined;
  const emptySlice = options.shard ? emptySliceAdvice(totalCount, params.shardSize, options.shard) : undefined;
  if (emptySlice) log(`warning: ${emptySlice}`);
  const rangeStart = range.first * params.shardSize;
  const rangeEnd = Math.min(totalCount, (range.first + range.count) * params.shardSize);

  // Created only once the corpus has been read through, so a missing or broken corpus leaves no empty directory.
  mkdirSync(dir, { recursive: true });
  // A finished index: nothing to do if it is this very build, an error otherwise.
  if (readManifestJson(dir)) {
    const existing = readManifest(dir);
    const diffs = [...paramDifferences(paramsOf(existing), params), ...paramDifferences(existing.slice, slice, 'slice')];
    if (diffs.length) throw mismatchError(dir, 'a finished index', diffs);
    removeProgress(dir);
    dropUncommitted(dir, new Set([
      ...existing.shards.flatMap((s) => sink.files(s)), ...existing.engine.files.map((f) => f.file),
      ...(existing.docidIndex ? docidIndexFiles(existing.docidIndex).map((f) => f.file) : []),
    ]));
    return { dir, manifest: existing, totalCount, encoded: 0, resumedAt: rangeEnd - rangeStart, alreadyComplete: true, skipped: stats };
  }

  let progress = readProgress(dir);
  if (progress) {
    const diffs = [
      ...paramDifferences(progress.params, params),
      ...paramDifferences(progress.slice, slice, 'slice'),
      ...paramDifferences(progress.totalCount, totalCount, 'corpus records'),
    ];
    if (diffs.length) throw mismatchError(dir, 'a partial index', diffs);
    progress.shards.forEach((s, j) => {
      const want = Math.min(params.shardSize, rangeEnd - (rangeStart + j * params.shardSize));
      if (s.count !== want) throw new Error(`${join(dir, PROGRESS_FILE)}: shard ${j} holds ${s.count} records, expected ${want}; delete ${dir} to start over`);
      try {
        sink.checkCommitted(s, j);
      } catch (err) {
        throw new Error(`cannot resume the build in ${dir}: committed ${(err as Error).message}; delete the directory to start over`);
      }
    });
  } else {
    const foreign = readdirSync(dir).filter((n) => !isTempFileName(n) && !OUR_FILE.test(n));
    if (foreign.length) throw new Error(`${dir} is not empty and holds no densekit index build (found ${foreign.slice(0, 3).join(', ')}); choose an empty or new --out directory`);
    progress = { params, totalCount, ...(slice ? { slice } : {}), shards: [] };
    writeProgress(dir, progress);
  }
  const committed: CommittedWindow[] = [...progress.shards];
  const dropped = dropUncommitted(dir, new Set(committed.flatMap((s) => sink.files(s))));
  const resumeAt = Math.min(rangeEnd, rangeStart + committed.length * params.shardSize);
  if (committed.length > 0) {
    log(`resuming: ${committed.length} of ${range.count} shards (${resumeAt - rangeStart} records) already committed and verified` +
      (dropped ? `; removed ${dropped} uncommitted file(s)` : ''));
  }

  const normalize = params.encoder.similarity === 'cosine' && !params.encoder.passage.normalize;
  const total = rangeEnd - rangeStart;
  let done = resumeAt - rangeStart;
  let encoded = 0;
  options.onEvent?.({ phase: 'encode', done, total, resumedAt: done });
  let window: CorpusRecord[] = [];
  let committedIds: readonly string[] | undefined = [];
  let ordinal = -1;

  const commitWindow = async (): Promise<void> => {
    const vectors = await encodeWindow(encoder, window, {
      batchSize: params.batchSize,
      normalize,
      onBatch: (n) => {
        done += n;
        encoded += n;
        options.onEvent?.({ phase: 'encode', done, total, resumedAt: resumeAt - rangeStart });
      },
    });
    committed.push(await sink.commit({ index: range.first + committed.length, records: window, vectors }));
    progress = { ...progress!, shards: committed };
    writeProgress(dir, progress);
    window = [];
  };

  for await (const r of recordsOf(source, newCorpusReadStats())) {
    ordinal++;
    if (ordinal < rangeStart) continue;
    if (ordinal >= rangeEnd) break;
    if (ordinal < resumeAt) {
      // A committed record: its id must match what the earlier run stored, or the corpus changed.
      const j = Math.floor((ordinal - rangeStart) / params.shardSize);
      const local = (ordinal - rangeStart) % params.shardSize;
      if (local === 0) committedIds = sink.committedIds(committed[j]!);
      if (committedIds && committedIds[local] !== r.id) {
        throw new Error(`cannot resume the build in ${dir}: record ${ordinal + 1} of the corpus has id ${JSON.stringify(r.id)} but the ` +
          `committed ${sink.files(committed[j]!).find((f) => f.endsWith('.ids')) ?? `window ${j}`} stored ${JSON.stringify(committedIds[local])} (the corpus changed)`);
      }
      continue;
    }
    window.push(r.title !== undefined ? { id: r.id, title: r.title, text: r.text } : { id: r.id, text: r.text });
    if (window.length === params.shardSize || ordinal === rangeEnd - 1) await commitWindow();
  }
  if (committed.length !== range.count) {
    throw new Error(`${source.kind === 'file' ? source.path : 'records'}: ended after ${ordinal + 1} records while the first pass counted ${totalCount} (did the corpus change during the build?)`);
  }

  // A slice's engine files are written by merge, over all the slices' shards; a remote engine's slices
  // all upload into one store, so each slice finishes its part there (no merge step).
  let engineFiles: readonly ManifestFile[] = [];
  if (!slice || engine.storage === 'remote') {
    if (engine.writesFiles) options.onEvent?.({ phase: 'engine', kind: engine.kind, count: total });
    engineFiles = await engine.build({ ...engineContext, shards: committed.filter(isLocalShard) }, params.engine.params);
  }
  const count = committed.reduce((n, w) => n + w.count, 0);
  const shards = committed.filter(isLocalShard);
  // Slices get theirs at merge, over the whole index's docids.
  if (!slice && shards.length) options.onEvent?.({ phase: 'docids', count });
  const docidIndex = slice ? undefined : writeDocidIndex(dir, shards);
  const manifest = manifestFor(params, shards, { ...(slice ? { slice } : {}), engineFiles, count, docidIndex });
  writeManifest(dir, manifest);
  removeProgress(dir);
  return { dir, manifest, totalCount, encoded, resumedAt: resumeAt - rangeStart, alreadyComplete: false, skipped: stats };
}
