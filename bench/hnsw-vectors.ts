// Realistic vectors for the HNSW comparison in bench/search.ts: all-MiniLM-L6-v2 (or any model)
// embeddings of the TREC DL 2019 + SciFact fixture passages and their queries, written as .npy.
// (Random Gaussian 768-d vectors have no neighbourhood structure: both usearch and FAISS HNSW reach
// ~0.06 recall@10 on them, which says nothing.)
//
//   npx tsc -p . && node dist/bench/hnsw-vectors.js /tmp/models/all-MiniLM-L6-v2 [--out /tmp/densekit-bench/minilm]
// then: node dist/bench/search.js --hnsw-npy OUT/passages.npy --hnsw-queries-npy OUT/queries.npy ...
import { closeSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Encoder } from '../src/encoder/encoder.js';
import type { PassageInput } from '../src/encoder/types.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { out: { type: 'string', default: '/tmp/densekit-bench/minilm' }, threads: { type: 'string' } },
});
const model = positionals[0];
if (!model) {
  process.stderr.write('usage: node dist/bench/hnsw-vectors.js MODEL_DIR [--out DIR] [--threads N]\n');
  process.exit(2);
}
const fixtures = new URL('../../test/fixtures/data/', import.meta.url).pathname;

function jsonLines(path: string): Record<string, unknown>[] {
  return readFileSync(path, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l, i) => {
    try {
      return JSON.parse(l) as Record<string, unknown>;
    } catch (err) {
      throw new Error(`${path}:${i + 1}: ${(err as Error).message}`);
    }
  });
}

const passages: PassageInput[] = [
  ...jsonLines(join(fixtures, 'trec-dl-2019/passages.jsonl')).map((r) => ({ text: String(r['text']) })),
  ...jsonLines(join(fixtures, 'scifact/corpus.jsonl')).map((r) => ({ title: String(r['title'] ?? ''), text: String(r['text']) })),
];
const queries = [
  ...readFileSync(join(fixtures, 'trec-dl-2019/topics.dl19-passage.txt'), 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => l.split('\t')[1]!),
  ...jsonLines(join(fixtures, 'scifact/queries.jsonl')).map((r) => String(r['text'])),
];

/** Writes rows as a float32 C-order .npy (format 1.0). */
function writeNpy(path: string, rows: readonly Float32Array[]): void {
  const dim = rows[0]!.length;
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${rows.length}, ${dim}), }`;
  header = header.padEnd(Math.ceil((10 + header.length + 1) / 64) * 64 - 10 - 1, ' ') + '\n';
  const pre = Buffer.alloc(10);
  pre.write('\x93NUMPY', 0, 'latin1');
  pre[6] = 1;
  pre.writeUInt16LE(header.length, 8);
  const fd = openSync(path, 'w');
  writeSync(fd, pre);
  writeSync(fd, header, null, 'latin1');
  for (const r of rows) writeSync(fd, new Uint8Array(r.buffer, r.byteOffset, r.byteLength));
  closeSync(fd);
}

const encoder = await Encoder.load(model, values.threads ? { threads: Number(values.threads) } : {});
const t0 = performance.now();
const passageVectors = await encoder.encodePassages(passages);
const queryVectors = await encoder.encodeQueries(queries);
const s = (performance.now() - t0) / 1000;
await encoder.dispose();
mkdirSync(values.out!, { recursive: true });
writeNpy(join(values.out!, 'passages.npy'), passageVectors);
writeNpy(join(values.out!, 'queries.npy'), queryVectors);
console.log(`${passages.length} passages + ${queries.length} queries → ${values.out} (dim ${passageVectors[0]!.length}, ${s.toFixed(1)} s)`);
