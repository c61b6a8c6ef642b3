// Turns vectors made elsewhere (a FAISS flat index or a .npy matrix, with their docids) into a densekit
// index directory. The model is named by the caller so that search can encode queries; the vectors
// must have its width. Imported shards carry ids but no passage text.
import { openForReading } from './open-file.js';
import { mkdirSync, readSync, closeSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { isTempFileName, writeFileAtomic } from './build-atomic-write.js';
import { hnswBuilder, type HnswBuildOptions } from './build-hnsw.js';
import { shardName, VECTORS_SUFFIX } from './build-slice.js';
import { buildParamsFor, type IndexingEncoder } from './build.js';
import { readDocidList } from './docid-list.js';
import { docidProblem, IDS_SUFFIX } from './docstore-format.js';
import { FaissFlatFile } from './import-faiss.js';
import { NpyFile } from './import-npy.js';
import { manifestFor, readManifestJson, writeManifest, type IndexKind, type IndexManifest, type ManifestShard } from './manifest.js';
import { l2NormalizeRows } from './normalize.js';
import { VectorShardWriter } from './shard-writer.js';
import type { VectorDType, VectorSource } from './vector-types.js';

export interface ImportOptions {
  /** The model queries will be encoded with (only its identity, settings and width are used here). */
  readonly encoder: Pick<IndexingEncoder, 'source' | 'settings' | 'dims'>;
  /** A FAISS IndexFlatIP file or a 2-D float32/float16 .npy file (told apart by their magic bytes). */
  readonly vectorsPath: string;
  /** One docid per line, in row order. */
  readonly docidsPath: string;
  readonly outDir: string;
  readonly dtype?: VectorDType;
  readonly index?: IndexKind;
  readonly shardSize?: number;
  readonly hnsw?: HnswBuildOptions;
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

export async function importVectors(options: ImportOptions): Promise<IndexManifest> {
  const { encoder, outDir: dir } = options;
  const source = openVectors(options.vectorsPath);
  try {
    if (source.dim !== encoder.dims) {
      throw new Error(`${options.vectorsPath}: vectors have ${source.dim} dims but the model ${encoder.source.model} gives ${encoder.dims}`);
    }
    if (source.count === 0) throw new Error(`${options.vectorsPath}: holds no vectors`);
    const docids = readDocidList(options.docidsPath, source.count);
    const seen = new Map<string, number>();
    docids.forEach((id, i) => {
      const problem = docidProblem(id);
      if (problem) throw new Error(`${options.docidsPath}:${i + 1}: document id ${JSON.stringify(id)} ${problem}`);
      const first = seen.get(id);
      if (first !== undefined) throw new Error(`${options.docidsPath}:${i + 1}: duplicate document id ${JSON.stringify(id)} (first seen at line ${first + 1})`);
      seen.set(id, i);
    });
    const params = buildParamsFor(encoder, {
      ...(options.dtype ? { dtype: options.dtype } : {}),
      ...(options.index ? { index: options.index } : {}),
      ...(options.shardSize ? { shardSize: options.shardSize } : {}),
    }, `import:${basename(options.vectorsPath)}`);
    mkdirSync(dir, { recursive: true });
    if (readManifestJson(dir) || readdirSync(dir).some((n) => !isTempFileName(n))) throw new Error(`${dir} is not empty; import into a new directory`);
    const normalize = params.encoder.similarity === 'cosine';
    const shards: ManifestShard[] = [];
    for (let start = 0, k = 0; start < source.count; start += params.shardSize, k++) {
      const n = Math.min(params.shardSize, source.count - start);
      const rows = source.readRows(start, n);
      if (normalize) l2NormalizeRows(rows, source.dim);
      const name = shardName(k);
      const writer = new VectorShardWriter(join(dir, name + VECTORS_SUFFIX), { dtype: params.dtype, dim: params.dims });
      let summary;
      try {
        writer.append(rows);
        summary = writer.finish();
      } catch (err) {
        writer.abort();
        throw err;
      }
      const ids = Buffer.from(docids.slice(start, start + n).map((id) => `${id}\n`).join(''), 'utf8');
      const idsFile = name + IDS_SUFFIX;
      const idsSha = writeFileAtomic(join(dir, idsFile), ids);
      shards.push({
        count: n,
        vectors: { file: name + VECTORS_SUFFIX, sha256: summary.sha256, bytes: summary.bytes },
        docids: { file: idsFile, sha256: idsSha, bytes: ids.length },
      });
    }
    const hnsw = params.index === 'hnsw' ? await hnswBuilder(options.hnsw)(dir, shards, params) : undefined;
    const manifest = manifestFor(params, shards, hnsw ? { hnsw } : {});
    writeManifest(dir, manifest);
    return manifest;
  } finally {
    source.close();
  }
}
