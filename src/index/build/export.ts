// Moves a finished local index to another engine without re-encoding: each stored shard goes to the
// target engine's sink as one window (its vectors decoded from the shard, its passages from the doc
// store), then the engine writes its own files. A remote engine's sink uploads; the local shard sink
// writes the shards again, so exporting a flat index to hnsw gives the bytes `index --index hnsw` gives
// (f32 and f16 rows decode and re-encode exactly; int8 rows are quantised again from their decoded values).
import { mkdirSync, readdirSync } from 'node:fs';
import { isTempFileName } from '../../files/atomic-write.js';
import { isLocalShard, type CommittedWindow } from '../engines/engine.js';
import { chooseEngine, type EngineChoiceInput } from '../engines/registry.js';
import { DocStore } from '../formats/docstore.js';
import { readAllDocids, writeDocidIndex } from '../formats/docid-index.js';
import { manifestFor, paramsOf, readManifest, writeManifest, type IndexManifest } from '../formats/manifest.js';
import { VectorStore } from '../formats/vector-store.js';
import { verifyShard } from '../formats/verify.js';
import { shardSink } from './shard-sink.js';

export interface ExportOptions {
  /** A finished local index (not a slice: merge slices first). */
  readonly fromDir: string;
  readonly outDir: string;
  /** The target engine (see BuildOptions.index). */
  readonly index: EngineChoiceInput;
  /** Threads the engine may use to write its files (see BuildOptions.engineThreads). */
  readonly engineThreads?: number;
  readonly log?: (message: string) => void;
  /** Called after each window with the rows handed over so far. */
  readonly onProgress?: (done: number, total: number) => void;
}

export async function exportIndex(options: ExportOptions): Promise<IndexManifest> {
  const { fromDir, outDir } = options;
  const source = readManifest(fromDir);
  if (source.slice) throw new Error(`${fromDir}: a slice (${source.slice.i}/${source.slice.n}); merge the slices first, then export the merged index`);
  if (source.shards.length === 0) throw new Error(`${fromDir}: holds no local shards to export (its ${source.engine.kind} engine keeps the vectors elsewhere)`);
  const { engine, choice } = chooseEngine(options.index);
  const params = { ...paramsOf(source), engine: choice };
  mkdirSync(outDir, { recursive: true });
  if (readdirSync(outDir).some((n) => !isTempFileName(n))) throw new Error(`${outDir} is not empty; export into a new directory`);
  for (const shard of source.shards) verifyShard(fromDir, shard, source);
  const store = VectorStore.open(fromDir, source.shards.map((s) => ({ file: s.vectors.file, count: s.count, dim: source.dims, dtype: source.dtype })));
  let docs: DocStore | undefined;
  try {
    // One shard's docids at a time, so memory stays one window whatever the index size.
    let shardIds: string[] = [];
    let shardStart = 0;
    docs = DocStore.open(fromDir, source.shards, (r) => shardIds[r - shardStart]!);
    const context = { dir: outDir, params, shards: [], threads: options.engineThreads, log: options.log ?? (() => {}) };
    const sink = engine.createSink?.(context) ?? shardSink(outDir, params);
    const windows: CommittedWindow[] = [];
    let row = 0;
    for (const [k, shard] of source.shards.entries()) {
      shardIds = readAllDocids(fromDir, [shard]);
      shardStart = row;
      const records = shardIds.map((id, j) => {
        const doc = docs!.document(row + j);
        return doc ? { id, ...(doc.title !== undefined ? { title: doc.title } : {}), text: doc.text } : { id };
      });
      windows.push(await sink.commit({ index: k, records, vectors: store.readRows(row, shard.count) }));
      row += shard.count;
      options.onProgress?.(row, source.count);
    }
    const shards = windows.filter(isLocalShard);
    const engineFiles = await engine.build({ ...context, shards }, choice.params);
    const manifest = manifestFor(params, shards, { engineFiles, count: source.count, docidIndex: writeDocidIndex(outDir, shards) });
    writeManifest(outDir, manifest);
    return manifest;
  } finally {
    docs?.close();
    store.close();
  }
}
