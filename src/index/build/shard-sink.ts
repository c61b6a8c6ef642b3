// The window sink of every local engine: each encoded window becomes one shard (vectors + doc store),
// published file by file through atomic renames; the build's progress record then names it.
import { readIdList } from '../../files/id-list.js';
import { join } from 'node:path';
import { shardName, VECTORS_SUFFIX } from './slice.js';
import { verifyShard } from '../formats/verify.js';
import { writeShardDocstore, writeShardIds } from '../formats/docstore-writer.js';
import { isLocalShard, type CommittedWindow, type EncodedWindow, type WindowRecord, type WindowSink } from '../engines/engine.js';
import type { BuildParams, ManifestShard } from '../formats/manifest.js';
import { VectorShardWriter } from '../formats/shard-writer.js';

/** Every file of a shard, relative to the index directory. */
export function shardFiles(s: ManifestShard): string[] {
  return [s.vectors.file, s.docids.file, ...(s.docs ? [s.docs.file] : []), ...(s.offsets ? [s.offsets.file] : [])];
}

function localShard(w: CommittedWindow): ManifestShard {
  if (!isLocalShard(w)) throw new Error(`the build's progress record holds a remote window where a local shard belongs: ${JSON.stringify(w)}`);
  return w;
}

/**
 * Writes shard `index` from consecutive pieces of its rows, so that memory is one piece of vectors (plus
 * the shard's records) whatever the shard size; `commit` hands over a whole window as one piece, import
 * streams its windows in pieces.
 */
export function writeLocalShard(dir: string, params: BuildParams, index: number, pieces: Iterable<Pick<EncodedWindow, 'records' | 'vectors'>>): ManifestShard {
  const name = shardName(index);
  const writer = new VectorShardWriter(join(dir, name + VECTORS_SUFFIX), { dtype: params.dtype, dim: params.dims });
  const records: WindowRecord[] = [];
  let summary;
  try {
    for (const piece of pieces) {
      writer.append(piece.vectors);
      for (const r of piece.records) records.push(r);
    }
    summary = writer.finish();
  } catch (err) {
    writer.abort();
    throw err;
  }
  const texts = records.filter((r) => r.text !== undefined).length;
  if (texts !== 0 && texts !== records.length) throw new Error(`window ${index}: some records carry passage text and some do not`);
  const docs = texts === 0
    ? writeShardIds(dir, name, records.map((r) => r.id))
    : writeShardDocstore(dir, name, records.map((r) => ({ id: r.id, ...(r.title !== undefined ? { title: r.title } : {}), text: r.text! })));
  return { count: records.length, vectors: { file: name + VECTORS_SUFFIX, sha256: summary.sha256, bytes: summary.bytes }, ...docs };
}

export function shardSink(dir: string, params: BuildParams): WindowSink {
  return {
    commit: async (window) => writeLocalShard(dir, params, window.index, [window]),
    checkCommitted: (w) => verifyShard(dir, localShard(w), params),
    committedIds(w) {
      return readIdList(join(dir, localShard(w).docids.file));
    },
    files: (w) => shardFiles(localShard(w)),
  };
}
