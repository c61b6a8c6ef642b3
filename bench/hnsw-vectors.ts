// Realistic vectors for the HNSW comparison in bench/search.ts: all-MiniLM-L6-v2 (or any model)
// embeddings of the TREC DL 2019 + SciFact fixture passages and their queries, written as .npy.
// (Random Gaussian 768-d vectors have no neighbourhood structure: both usearch and FAISS HNSW reach
// ~0.06 recall@10 on them, which says nothing.)
//
//   npx tsc -p . && node dist/bench/hnsw-vectors.js /tmp/models/all-MiniLM-L6-v2 [--out /tmp/densekit-bench/minilm]
//        [--more-queries TOPICS.tsv]   more queries (id<TAB>text), e.g. MS MARCO dev's 6,980, after the fixture's
//        [--queries-only]              only (re)write queries.npy
// then: node dist/bench/search.js --hnsw-npy OUT/passages.npy --hnsw-queries-npy OUT/queries.npy ...
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Encoder } from '../src/encoder/encoder.js';
import type { PassageInput } from '../src/encoder/types.js';
import { openNpyWriter } from './npy-writer.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    out: { type: 'string', default: '/tmp/densekit-bench/minilm' }, threads: { type: 'string' },
    'more-queries': { type: 'string' }, 'queries-only': { type: 'boolean', default: false },
  },
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
  ...(values['more-queries'] ? readFileSync(values['more-queries'], 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => l.split('\t')[1] ?? '') : []),
];

function writeNpy(path: string, rows: readonly Float32Array[]): void {
  const out = openNpyWriter(path, rows.length, rows[0]!.length);
  for (const r of rows) out.write(r);
  out.close();
}

const encoder = await Encoder.load(model, values.threads ? { threads: Number(values.threads) } : {});
const t0 = performance.now();
const passageVectors = values['queries-only'] ? [] : await encoder.encodePassages(passages);
const queryVectors = await encoder.encodeQueries(queries);
const s = (performance.now() - t0) / 1000;
await encoder.dispose();
mkdirSync(values.out!, { recursive: true });
if (passageVectors.length) writeNpy(join(values.out!, 'passages.npy'), passageVectors);
writeNpy(join(values.out!, 'queries.npy'), queryVectors);
console.log(`${passageVectors.length} passages + ${queries.length} queries → ${values.out} (dim ${queryVectors[0]!.length}, ${s.toFixed(1)} s)`);
