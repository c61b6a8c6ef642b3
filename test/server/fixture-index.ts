// A small real dense index for the server tests: bert-tiny over the first records of the SciFact
// corpus fixture (plus any extra records), built through the library API into a temp directory.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CorpusRecord } from '../../src/corpus/types.js';
import { Encoder } from '../../src/encoder/encoder.js';
import { Index } from '../../src/index/dense-index.js';

export const BERT_TINY = 'test/fixtures/goldens/models/bert-tiny';
const SCIFACT_CORPUS = 'test/fixtures/data/scifact/corpus.jsonl';

/** The first `count` SciFact passages (BEIR JSONL: _id, title, text). */
export function scifactRecords(count: number): CorpusRecord[] {
  const lines = readFileSync(SCIFACT_CORPUS, 'utf8').split('\n').slice(0, count);
  return lines.map((line) => {
    const o = JSON.parse(line) as { _id: string; title: string; text: string };
    return { id: o._id, title: o.title, text: o.text };
  });
}

/**
 * Builds the index and returns its directory (inside a fresh temp directory the caller removes).
 * bert-tiny encodes a few hundred passages in about a second; the load bench may pass another model.
 */
export async function buildFixtureIndex(records: readonly CorpusRecord[], model = BERT_TINY, threads = 1): Promise<string> {
  const outDir = join(mkdtempSync(join(tmpdir(), 'densekit-serve-')), 'index');
  const encoder = await Encoder.load(model, { threads });
  try {
    await Index.build({ encoder, records, outDir, shardSize: 128 });
  } finally {
    await encoder.dispose();
  }
  return outDir;
}
