// Builds and saves a BM25 index from a corpus file: what `densekit index --bm25` runs.
import { newCorpusReadStats, readCorpus, type CorpusFormat, type CorpusReadStats } from '../corpus/index.js';
import { Bm25Index, type Bm25FieldMode } from './bm25-index.js';

export interface Bm25CorpusBuildOptions {
  readonly corpusPath: string;
  readonly outDir: string;
  readonly fields: Bm25FieldMode;
  readonly format?: CorpusFormat;
  /** Skip malformed corpus lines (counted in the result) instead of stopping. */
  readonly skipBad?: boolean;
  readonly k1?: number;
  readonly b?: number;
}

export interface Bm25CorpusBuildResult {
  readonly index: Bm25Index;
  readonly skipped: CorpusReadStats;
}

export async function buildBm25FromCorpus(options: Bm25CorpusBuildOptions): Promise<Bm25CorpusBuildResult> {
  const stats = newCorpusReadStats();
  const records = readCorpus(options.corpusPath, {
    ...(options.format ? { format: options.format } : {}),
    skipBad: options.skipBad ?? false,
    stats,
  });
  const index = await Bm25Index.build(records, {
    fields: options.fields,
    ...(options.k1 !== undefined ? { k1: options.k1 } : {}),
    ...(options.b !== undefined ? { b: options.b } : {}),
  });
  await index.save(options.outDir);
  return { index, skipped: stats };
}
