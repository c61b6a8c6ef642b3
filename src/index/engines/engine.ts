// The index engine interface: what searches a dense index's vectors, picked by name (`--index
// NAME[:params]`, see registry.ts) and recorded in the manifest as `engine: { kind, params, files }`.
//
// Lifecycle. Building encodes the corpus window by window and hands each window to a WindowSink: local
// engines share the shard sink (vector shard + doc store files in the index directory, resumable,
// sliceable, mergeable); a remote engine may bring its own sink (e.g. an idempotent upload). Once every
// window is stored, `build` lets a local engine write its own extra files over the finished shards
// (a graph, packed codes, norms); it runs after a whole build, after `merge`, and after `import`, never
// per slice. `open` checks those files and returns a SearchEngine; `close` releases it; `describe`
// feeds /info and the CLI. Exact search (`--exact`) is the flat engine opened over the same shards.
import type { StoredDoc } from '../formats/docstore-format.js';
import type { BuildParams, IndexManifest, ManifestFile, ManifestShard } from '../formats/manifest.js';
import type { VectorStore } from '../formats/vector-store.js';
import type { RowDocids } from '../formats/docid-index.js';

/** Engine parameters as recorded in the manifest (defaults filled in) and compared on resume and merge. */
export type EngineParamValue = number | string | boolean;
export type EngineParams = { readonly [name: string]: EngineParamValue };

/** The manifest's `engine` field: which engine, with which parameters, and the files it wrote. */
export interface EngineRecord {
  readonly kind: string;
  readonly params: EngineParams;
  readonly files: readonly ManifestFile[];
}

/** A record of a window: text is absent for imported vectors (ids only). */
export interface WindowRecord {
  readonly id: string;
  readonly title?: string;
  readonly text?: string;
}

/** One encoded build window, handed to a sink in corpus order. */
export interface EncodedWindow {
  /** The window's number in the whole corpus (0-based; a slice starts at its first window). */
  readonly index: number;
  /** The window's records in corpus order. */
  readonly records: readonly WindowRecord[];
  /** records.length × dims float32 vectors, row-major, already normalised when the similarity needs it. */
  readonly vectors: Float32Array;
}

/** A window a remote sink stored: no local files, just what resume and the manifest's count need. */
export interface RemoteWindow {
  readonly count: number;
  /** Anything the sink wants back on resume (JSON), e.g. the window's first and last docid. */
  readonly remote: { readonly [key: string]: unknown };
}

/** What a sink returns for a committed window: a local shard, or a remote window. */
export type CommittedWindow = ManifestShard | RemoteWindow;

export function isLocalShard(w: CommittedWindow): w is ManifestShard {
  return 'vectors' in w;
}

/**
 * Where the build pipeline puts encoded windows. The pipeline keeps a progress record of the values
 * `commit` returns (JSON), so an interrupted build resumes after the last committed window.
 */
export interface WindowSink {
  /**
   * Stores one window, idempotently (a resumed build may hand over a window whose earlier commit was
   * cut short). What it returns goes into the progress record and, for local shards, the manifest's `shards`.
   */
  commit(window: EncodedWindow): Promise<CommittedWindow>;
  /** On resume: checks a window an earlier run committed (throws, naming the file, when it is damaged). */
  checkCommitted(window: CommittedWindow, index: number): void;
  /** On resume: the docids a committed window holds, so a changed corpus is noticed (undefined: not checkable). */
  committedIds(window: CommittedWindow): readonly string[] | undefined;
  /** Files in the index directory that belong to committed windows (everything else of ours is an uncommitted tail). */
  files(window: CommittedWindow): readonly string[];
}

/** What a sink or an engine build sees of the build. */
export interface EngineBuildContext {
  readonly dir: string;
  readonly params: BuildParams;
  /** The finished shards, in row order. */
  readonly shards: readonly ManifestShard[];
  /** Worker threads the engine may use while building (not recorded: an engine must say if it changes bytes). */
  readonly threads?: number | undefined;
  readonly log: (message: string) => void;
}

/** The rows of a local index (shard files + doc store), opened once by the opener and shared. */
export interface LocalRows {
  readonly store: VectorStore;
  /**
   * Each row's docid, and its byte-order tie rank (equal scores are ordered by it descending,
   * trec_eval's order), read on demand: pass it as SearchOptions.tieRanks.
   */
  readonly docids: RowDocids;
}

export interface EngineOpenContext {
  readonly dir: string;
  readonly manifest: IndexManifest;
  /** The engine record to open (for `--exact`: the flat engine's, over the manifest's shards). */
  readonly record: EngineRecord;
  /** Hash files against the manifest (sizes and headers are always checked). */
  readonly verify: boolean;
  readonly threads?: number | undefined;
  /** Search-time parameters, already checked by parseSearchParams. */
  readonly searchParams: EngineParams;
  /** Present for local engines. */
  readonly rows?: LocalRows | undefined;
}

/** One hit: the docid always; the row when the engine searches local rows (doc store lookups use it). */
export interface EngineHit {
  readonly docid: string;
  readonly score: number;
  readonly row?: number;
}

/** What `describe` reports (for /info, the CLI and logs). */
export interface EngineDescription {
  readonly kind: string;
  readonly params: EngineParams;
  readonly searchParams: EngineParams;
}

/** An opened engine. */
export interface SearchEngine {
  readonly count: number;
  readonly dims: number;
  /**
   * Top-k per query by the index's score, ordered score descending, then docid descending in byte
   * order (trec_eval's order), which also decides which tied hit makes the cut at rank k.
   * k = 0 or no queries give empty lists; k above the count gives every row.
   */
  search(queries: readonly Float32Array[], k: number): Promise<EngineHit[][]>;
  /** Engines that keep passage text themselves (remote stores); local engines leave this to the doc store. */
  documents?(docids: readonly string[]): Promise<(StoredDoc | undefined)[]>;
  describe(): EngineDescription;
  close(): Promise<void>;
}

export interface IndexEngine {
  /** The name `--index` and the manifest use. */
  readonly kind: string;
  /** One line for `--help`, naming the parameters and their defaults. */
  readonly summary: string;
  /**
   * 'local': vectors live in the directory's shard files (resume, `--shard i/n` + merge, `--exact`,
   * `verify` work on them). 'remote': vectors live elsewhere and the engine brings its own sink.
   */
  readonly storage: 'local' | 'remote';
  /**
   * True when search returns the true top-k of the stored vectors (k ≥ count lists every document);
   * false for approximate engines, which may miss documents but keep trec_eval's order on what they find.
   */
  readonly exact: boolean;
  /** Build parameters from `--index kind:a=1,b=2` (strings) or the library (values): checked, defaults filled in. */
  parseParams(raw: Readonly<Record<string, EngineParamValue>>): EngineParams;
  /** Search-time parameter names this engine accepts (e.g. efSearch). */
  readonly searchParamNames?: readonly string[];
  parseSearchParams?(raw: Readonly<Record<string, EngineParamValue>>): EngineParams;
  /** Remote engines: where encoded windows go. Local engines use the shard sink. */
  createSink?(context: EngineBuildContext): WindowSink;
  /** Whether `build` writes files (the CLI says so while it runs). */
  readonly writesFiles: boolean;
  /** Writes the engine's own files over finished shards; returns them for the manifest ([] when none). */
  build(context: EngineBuildContext, params: EngineParams): Promise<readonly ManifestFile[]>;
  open(context: EngineOpenContext): Promise<SearchEngine>;
}
