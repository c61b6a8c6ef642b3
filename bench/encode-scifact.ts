// Encode throughput of the index build pipeline on the real SciFact corpus: passages/s, tokens/s and
// peak RSS, with any model directory or hub id.
// Run: npx tsc -p . && node dist/bench/encode-scifact.js MODEL [--limit N] [--batch-size N] [--threads N]
//        [--max-length N] [--corpus FILE] [--dtype f32|f16|int8]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { readCorpus, type CorpusRecord } from '../src/corpus/index.js';
import { Encoder } from '../src/encoder/encoder.js';
import { Index } from '../src/index/dense-index.js';
import type { VectorDType } from '../src/index/formats/vector-types.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    corpus: { type: 'string', default: 'test/fixtures/data/scifact/corpus.jsonl' },
    limit: { type: 'string' },
    'batch-size': { type: 'string', default: '32' },
    threads: { type: 'string' },
    'max-length': { type: 'string' },
    dtype: { type: 'string', default: 'f32' },
  },
});
const model = positionals[0];
if (!model) {
  process.stderr.write('usage: node dist/bench/encode-scifact.js MODEL_DIR_OR_HUB_ID [--limit N] [--batch-size N] [--threads N] [--max-length N]\n');
  process.exit(2);
}
const batchSize = Number(values['batch-size']);
const limit = values.limit !== undefined ? Number(values.limit) : Infinity;

const records: CorpusRecord[] = [];
for await (const r of readCorpus(values.corpus!)) {
  if (records.length >= limit) break;
  records.push(r);
}

const loadStart = performance.now();
const encoder = await Encoder.load(model, {
  batchSize,
  ...(values.threads ? { threads: Number(values.threads) } : {}),
  ...(values['max-length'] ? { passage: { maxLength: Number(values['max-length']) } } : {}),
});
const loadSeconds = (performance.now() - loadStart) / 1000;
// Tokens the model sees (after truncation), counted outside the timed part.
const tokens = records.reduce((n, r) => n + encoder.tokenizePassage(r).ids.length, 0);

const out = mkdtempSync(join(tmpdir(), 'densekit-bench-encode-'));
try {
  const start = performance.now();
  const result = await Index.build({ encoder, records, outDir: out, batchSize, dtype: values.dtype as VectorDType });
  const seconds = (performance.now() - start) / 1000;
  const report = {
    model,
    passages: result.manifest.count,
    tokens,
    meanTokens: +(tokens / records.length).toFixed(1),
    dims: encoder.dims,
    passageMaxLength: encoder.settings.passage.maxLength,
    batchSize,
    threads: values.threads ? Number(values.threads) : 'all',
    loadSeconds: +loadSeconds.toFixed(2),
    buildSeconds: +seconds.toFixed(2),
    passagesPerSecond: +(records.length / seconds).toFixed(1),
    tokensPerSecond: Math.round(tokens / seconds),
    // maxRSS is in kilobytes.
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
  };
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
} finally {
  await encoder.dispose();
  rmSync(out, { recursive: true, force: true });
}
