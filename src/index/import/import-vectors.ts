// Turns vectors made elsewhere (a FAISS flat index or a .npy matrix, with their docids) into a densekit
// index directory. The model is named by the caller so that search can encode queries; the vectors
// must have its width. Imported shards carry ids but no passage text.
import { openForReading } from '../../files/open-file.js';
import { mkdirSync, readSync, closeSync, readdirSync } from 'node:fs';
import { basename } from 'node:path';
import { refuseOneSidedEncoder } from '../../encoder/encoder-pair.js';
import { isTempFileName } from '../../files/atomic-write.js';
import { writeLocalShard } from '../build/shard-sink.js';
import { buildParamsFor, type BuildEvent, type RecordedEncoder } from '../build/build.js';
import { IdLineReader } from '../../files/id-list.js';
import { checkDocidList } from './docid-check.js';
import { FaissFlatFile } from './faiss.js';
import { NpyFile } from './npy.js';
import { isLocalShard, type CommittedWindow } from '../engines/engine.js';
import { chooseEngine, type EngineChoiceInput } from '../engines/registry.js';
import { manifestFor, readManifestJson, writeManifest, type IndexManifest } from '../formats/manifest.js';
import { l2NormalizeRows } from '../normalize.js';
import { writeDocidIndex } from '../formats/docid-index.js';
import type { VectorDType, VectorSource } from '../formats/vector-types.js';

/**
 * Rows read and written at a time into a local shard: memory is one piece of float32 rows (24 MiB at
 * 768 dims) plus the shard's docids, whatever --shard-size is.
 */
const IMPORT_PIECE_ROWS = 8192;

export interface ImportOptions {
  /** The model that encoded the vectors and the one queries will be encoded with (an EncoderPair when they differ); only identity, settings and width are used here. */
  readonly encoder: RecordedEncoder;
  /** A FAISS IndexFlatIP file or a 2-D float32/float16 .npy file (told apart by their magic bytes). */
  readonly vectorsPath: string;
  /** One docid per line, in row order. */
  readonly docidsPath: string;
  readonly outDir: string;
  readonly dtype?: VectorDType;
  /** The engine (see BuildOptions.index). */
  readonly index?: EngineChoiceInput;
  readonly shardSize?: number;
  /** Threads the engine may use to write its files (see BuildOptions.engineThreads). */
  readonly engineThreads?: number;
  /** Rows to import instead of reading vectorsPath (which then only names them); e.g. generated rows. */
  readonly vectors?: VectorSource;
  /**
   * Progress: an 'import' event after each shard window is stored, an 'engine' event before the engine
   * writes its files, a 'docids' event before the docid index is written.
   */
  readonly onEvent?: (event: BuildEvent) => void;
}

function openVectors(path: string): VectorSource & { close(): void } {
  const fd = openForReading(path, 'vectors file');
  const head = Buffer.alloc(6);
  let magic: Buffer;
  try {
    magic = head.subarray(0, readSync(fd, head, 0, 6, 0));
  } catch (err) {
    throw new Error(`vectors file ${path}: cannot read (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  } finally {
    closeSync(fd);
  }
  if (magic.toString('latin1') === '\x93NUMPY') return NpyFile.open(path);
  if (magic.toString('latin1', 0, 2) === 'Ix') {
    const faiss = FaissFlatFile.open(path);
    if (faiss.metric !== 'ip') {
      faiss.close();
      throw new Error(`FAISS index ${path}: uses the L2 metric; densekit searches by inner product, so only IndexFlatIP can be imported`);
    }
    return faiss;
  }
  throw new Error(`${path}: neither a FAISS flat index (fourcc "IxF…") nor a .npy file ("\\x93NUMPY")`);
}

/**
 * Streams vectors and docids into a new index directory: one pass over the docid file to check it
 * (count, empty lines, duplicates: 8 bytes per id), then the shards, IMPORT_PIECE_ROWS rows at a time
 * (a remote engine's sink: one shardSize window at a time), then the docid index (docid-order.ts: one
 * sort run of ids plus 4 bytes per row). Memory: those, whatever the row count; e.g. MS MARCO's 8.8M
 * rows at 768 dims: 24 MiB of rows, one shard's ids, 70 MB of keys, then ~100 MB + 35 MB for the sort.
 */
export async function importVectors(options: ImportOptions): Promise<IndexManifest> {
  const { encoder, outDir: dir } = options;
  refuseOneSidedEncoder(encoder, { passagesEncodedElsewhere: true });
  const source = options.vectors ?? openVectors(options.vectorsPath);
  try {
    if (source.dim !== encoder.dims) {
      throw new Error(`${options.vectorsPath}: vectors have ${source.dim} dims but the model ${encoder.source.model} gives ${encoder.dims}`);
    }
    if (source.count === 0) throw new Error(`${options.vectorsPath}: holds no vectors`);
    checkDocidList(options.docidsPath, source.count);
    const params = buildParamsFor(encoder, {
      ...(options.dtype ? { dtype: options.dtype } : {}),
      ...(options.index ? { index: options.index } : {}),
      ...(options.shardSize ? { shardSize: options.shardSize } : {}),
    }, `import:${basename(options.vectorsPath)}`);
    mkdirSync(dir, { recursive: true });
    if (readManifestJson(dir) || readdirSync(dir).some((n) => !isTempFileName(n))) throw new Error(`${dir} is not empty; import into a new directory`);
    const normalize = params.encoder.similarity === 'cosine';
    const { engine } = chooseEngine(params.engine);
    const context = { dir, params, shards: [], threads: options.engineThreads, log: () => {} };
    const sink = engine.createSink?.(context);
    const windows: CommittedWindow[] = [];
    const docids = new IdLineReader(options.docidsPath, 'docid file');
    /** Rows [start, end) in pieces of at most `size` rows, each reported as imported once read. */
    function* pieces(start: number, end: number, size: number): Generator<{ records: { id: string }[]; vectors: Float32Array }> {
      for (let at = start; at < end; at += size) {
        const n = Math.min(size, end - at);
        const vectors = source.readRows(at, n);
        if (normalize) l2NormalizeRows(vectors, source.dim);
        yield { records: docids.next(n).map((id) => ({ id })), vectors };
        options.onEvent?.({ phase: 'import', done: at + n, total: source.count });
      }
    }
    try {
      for (let start = 0, k = 0; start < source.count; start += params.shardSize, k++) {
        const end = Math.min(start + params.shardSize, source.count);
        // The local shard writer takes a shard in pieces; a remote sink takes whole windows.
        windows.push(sink
          ? await sink.commit({ index: k, ...pieces(start, end, end - start).next().value! })
          : writeLocalShard(dir, params, k, pieces(start, end, IMPORT_PIECE_ROWS)));
      }
    } finally {
      docids.close();
    }
    const shards = windows.filter(isLocalShard);
    if (engine.writesFiles) options.onEvent?.({ phase: 'engine', kind: engine.kind, count: source.count });
    const engineFiles = await engine.build({ ...context, shards }, params.engine.params);
    if (shards.length) options.onEvent?.({ phase: 'docids', count: source.count });
    const manifest = manifestFor(params, shards, { engineFiles, count: source.count, docidIndex: writeDocidIndex(dir, shards) });
    writeManifest(dir, manifest);
    return manifest;
  } finally {
    if (!options.vectors) (source as VectorSource & { close(): void }).close();
  }
}
