// Side-by-side encoder throughput, one command: densekit float32 and int8 against sentence-transformers
// on PyTorch (float32, and quantize_dynamic int8 for context), on the same texts:
//   - real: the first N SciFact passages (title + " " + text, truncated at 256 tokens: the real length mix),
//   - fixed: 32 SciFact passages of ≥ 128 tokens truncated at 128 (one 32×128 batch).
// Every engine runs in its own process (peak RSS is per engine). Throughput is also stated as a fraction
// of the GEMM ceiling (bench/ceiling.ts) measured in the same run on the model's own matrix shapes.
// Writes bench/out/encode-compare.{md,json}.
// Run: npx tsc -p . && node dist/bench/encode-compare.js [--minilm DIR] [--no-bert-base] [--passages 512]
//        [--bert-passages 96] [--threads 2] [--python /tmp/stvenv/bin/python] [--out bench/out]
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCorpus } from '../src/corpus/index.js';
import { readModelConfig } from '../src/model/config.js';
import { measureCeiling, type CeilingResult } from './ceiling.js';
import { sequenceFlops, type EncoderShape } from './flops.js';
import { randomBertBaseDir } from './random-bert.js';

interface EngineRun {
  readonly engine: string;
  readonly quantize: 'none' | 'int8';
  readonly sequences: number;
  readonly tokens: number;
  readonly seconds: number;
  readonly loadSeconds?: number;
  readonly load_seconds?: number;
  readonly peakRssMb?: number;
  readonly peak_rss_mb?: number;
  readonly dims: number;
}

interface Row {
  readonly model: string;
  readonly texts: 'real' | 'fixed';
  readonly engine: string;
  readonly precision: 'fp32' | 'int8';
  readonly seqPerSec: number;
  readonly tokPerSec: number;
  readonly gflops: number;
  readonly ceilingFraction: number;
  readonly vsTorchFp32: number;
  readonly cosineToReference?: { readonly reference: string; readonly min: number; readonly mean: number };
  readonly peakRssMb?: number;
  readonly loadSeconds?: number;
}

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const HERE = new URL('.', import.meta.url).pathname;
const REPO = new URL('../../', import.meta.url).pathname;
const SCIFACT = join(REPO, 'test/fixtures/data/scifact/corpus.jsonl');
const threads = Number(argValue('--threads') ?? 2);
const python = argValue('--python') ?? '/tmp/stvenv/bin/python';
const outDir = argValue('--out') ?? join(REPO, 'bench/out');
const work = mkdtempSync(join(tmpdir(), 'densekit-compare-'));

function readEmbeddings(path: string, dims: number): Float32Array[] {
  const buf = readFileSync(path);
  const all = new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4);
  const rows: Float32Array[] = [];
  for (let i = 0; i + dims <= all.length; i += dims) rows.push(all.subarray(i, i + dims));
  return rows;
}

function cosineStats(a: readonly Float32Array[], b: readonly Float32Array[]): { min: number; mean: number } {
  let min = 1;
  let sum = 0;
  a.forEach((x, r) => {
    const y = b[r]!;
    let dot = 0;
    let nx = 0;
    let ny = 0;
    for (let i = 0; i < x.length; i++) {
      dot += x[i]! * y[i]!;
      nx += x[i]! * x[i]!;
      ny += y[i]! * y[i]!;
    }
    const c = dot / Math.sqrt(nx * ny);
    min = Math.min(min, c);
    sum += c;
  });
  return { min, mean: sum / a.length };
}

interface Job {
  readonly engine: 'densekit' | 'sentence-transformers';
  readonly quantize: 'none' | 'int8';
}

function runEngine(job: Job, model: string, textsPath: string, maxLength: number, runs: number, embeddings: string, pooling?: string): EngineRun {
  const common = ['--model', model, '--texts', textsPath, '--max-length', String(maxLength), '--threads', String(threads), '--runs', String(runs), '--quantize', job.quantize, '--embeddings', embeddings];
  const out =
    job.engine === 'densekit'
      ? execFileSync(process.execPath, [join(HERE, 'encode-run.js'), ...common, ...(pooling ? ['--pooling', pooling] : [])], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] })
      : execFileSync(python, [join(REPO, 'bench/python/st_encode.py'), ...common, '--batch-size', '32'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const last = out.trim().split('\n').pop()!;
  return JSON.parse(last) as EngineRun;
}

async function scifactTexts(): Promise<string[]> {
  const texts: string[] = [];
  for await (const r of readCorpus(SCIFACT)) texts.push(r.title ? `${r.title} ${r.text}` : r.text);
  return texts;
}

async function compareModel(label: string, dir: string, shape: EncoderShape, passages: number, ceilings: Record<'fp32' | 'int8', CeilingResult>, pooling?: string): Promise<Row[]> {
  const all = await scifactTexts();
  const realPath = join(work, `${label}-real.json`);
  writeFileSync(realPath, JSON.stringify(all.slice(0, passages)));
  // ≥ 160 whitespace words is always ≥ 128 word pieces; encode-run reports the token count, checked below.
  const fixedPath = join(work, `${label}-fixed.json`);
  writeFileSync(fixedPath, JSON.stringify(all.filter((t) => t.split(/\s+/).length >= 160).slice(0, 32)));

  const jobs: Job[] = [
    { engine: 'densekit', quantize: 'none' },
    { engine: 'densekit', quantize: 'int8' },
    { engine: 'sentence-transformers', quantize: 'none' },
    { engine: 'sentence-transformers', quantize: 'int8' },
  ];
  const rows: Row[] = [];
  for (const [texts, path, maxLength, runs] of [
    ['real', realPath, 256, 1],
    ['fixed', fixedPath, 128, 5],
  ] as const) {
    const results = new Map<string, { run: EngineRun; vectors: Float32Array[] }>();
    for (const job of jobs) {
      const key = `${job.engine}/${job.quantize}`;
      const emb = join(work, `${label}-${texts}-${job.engine}-${job.quantize}.f32`);
      process.stderr.write(`${label} ${texts}: ${key} (load ${loadavg()[0]!.toFixed(2)})\n`);
      let run: EngineRun;
      try {
        run = runEngine(job, dir, path, maxLength, runs, emb, pooling);
      } catch (e) {
        process.stderr.write(`  failed: ${(e as Error).message.split('\n')[0]}\n`);
        continue;
      }
      if (texts === 'fixed' && run.tokens !== 32 * 128) throw new Error(`fixed batch holds ${run.tokens} tokens, expected ${32 * 128}`);
      results.set(key, { run, vectors: readEmbeddings(emb, run.dims) });
    }
    const torch = results.get('sentence-transformers/none');
    for (const [key, { run, vectors }] of results) {
      const precision = run.quantize === 'int8' ? 'int8' : 'fp32';
      // Useful work: FLOPs of the unpadded sequences, from the token count (attention's L² term from the
      // mean length, which slightly undercounts a mixed batch; it is < 2% of the total here).
      const meanLen = run.tokens / run.sequences;
      const flops = run.sequences * sequenceFlops(shape, meanLen);
      const gflops = flops / run.seconds / 1e9;
      const ref = key === 'densekit/none' ? torch : key === 'densekit/int8' ? results.get('densekit/none') : key === 'sentence-transformers/int8' ? torch : undefined;
      const refName = key === 'densekit/int8' ? 'densekit fp32' : 'sentence-transformers fp32';
      rows.push({
        model: label,
        texts,
        engine: run.engine,
        precision,
        seqPerSec: run.sequences / run.seconds,
        tokPerSec: run.tokens / run.seconds,
        gflops,
        ceilingFraction: gflops / ceilings[precision].layerMixGflops,
        vsTorchFp32: torch ? torch.run.seconds / run.seconds : Number.NaN,
        ...(ref && ref.vectors.length === vectors.length ? { cosineToReference: { reference: refName, ...cosineStats(vectors, ref.vectors) } } : {}),
        ...(run.peakRssMb ?? run.peak_rss_mb ? { peakRssMb: run.peakRssMb ?? run.peak_rss_mb } : {}),
        ...(run.loadSeconds ?? run.load_seconds ? { loadSeconds: run.loadSeconds ?? run.load_seconds } : {}),
      });
    }
  }
  return rows;
}

function table(rows: readonly Row[]): string {
  const lines = [
    '| model | texts | engine | precision | seq/s | tokens/s | GFLOP/s | of ceiling | × ST fp32 | cosine (min / mean) to | peak RSS MB | load s |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of rows) {
    const cos = r.cosineToReference ? `${r.cosineToReference.min.toFixed(5)} / ${r.cosineToReference.mean.toFixed(5)} (${r.cosineToReference.reference})` : '';
    lines.push(
      `| ${r.model} | ${r.texts} | ${r.engine} | ${r.precision} | ${r.seqPerSec.toFixed(2)} | ${r.tokPerSec.toFixed(0)} | ${r.gflops.toFixed(0)} | ${(100 * r.ceilingFraction).toFixed(0)}% | ${r.vsTorchFp32.toFixed(2)} | ${cos} | ${r.peakRssMb?.toFixed(0) ?? ''} | ${r.loadSeconds?.toFixed(2) ?? ''} |`,
    );
  }
  return lines.join('\n');
}

const loadBefore = loadavg();
const started = new Date();
const models: { label: string; dir: string; passages: number; pooling?: string }[] = [];
const minilm = argValue('--minilm') ?? '/tmp/models/all-MiniLM-L6-v2';
if (existsSync(minilm)) models.push({ label: 'all-MiniLM-L6-v2', dir: minilm, passages: Number(argValue('--passages') ?? 512) });
if (!process.argv.includes('--no-bert-base')) {
  // Mean pooling, no normalisation: what sentence-transformers does with a plain BertModel folder.
  models.push({ label: 'BERT-base (random)', dir: randomBertBaseDir(), passages: Number(argValue('--bert-passages') ?? 96), pooling: 'mean' });
}
const rows: Row[] = [];
const ceilingRows: CeilingResult[] = [];
for (const m of models) {
  const config = await readModelConfig(m.dir);
  const shape: EncoderShape = { hiddenSize: config.hiddenSize, intermediateSize: config.intermediateSize, numLayers: config.numLayers };
  const ceilings = {
    fp32: await measureCeiling('fp32', threads, { shape }),
    int8: await measureCeiling('int8', threads, { shape }),
  };
  ceilingRows.push(ceilings.fp32, ceilings.int8);
  process.stderr.write(`${m.label}: ceiling fp32 ${ceilings.fp32.layerMixGflops.toFixed(0)}, int8 ${ceilings.int8.layerMixGflops.toFixed(0)} GFLOP/s\n`);
  rows.push(...(await compareModel(m.label, m.dir, shape, m.passages, ceilings, m.pooling)));
}
const loadAfter = loadavg();
const qualityPath = join(outDir, 'scifact-quality.json');
const quality = existsSync(qualityPath) ? (JSON.parse(readFileSync(qualityPath, 'utf8')) as { ndcg10: { fp32: number; int8: number; loss: number }; cosineInt8VsFp32: Record<string, { min: number; mean: number }>; date: string }) : undefined;

const md = [
  `# Encoder throughput: densekit vs sentence-transformers`,
  '',
  `Machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} vCPU; Node ${process.version}; ${threads} threads for every engine. ` +
    `Date: ${started.toISOString()}. Load average (1/5/15 min) before: ${loadBefore.map((x) => x.toFixed(2)).join(' / ')}, after: ${loadAfter.map((x) => x.toFixed(2)).join(' / ')}.`,
  '',
  `GEMM ceiling (onnxruntime MatMul / DynamicQuantizeMatMul, M = 4096, the model's four layer shapes), GFLOP/s: ` +
    ceilingRows.map((c, i) => `${models[Math.floor(i / 2)]!.label} ${c.precision} ${c.layerMixGflops.toFixed(0)}`).join(', ') + '.',
  '',
  table(rows),
  '',
  'real = SciFact passages (title + text, ≤ 256 tokens, one pass); fixed = one batch of 32 × 128 tokens (median of 5). ' +
    'GFLOP/s counts only the work of unpadded tokens. "of ceiling" divides by the ceiling of the same precision.',
  '',
  quality
    ? `SciFact (all 5,183 passages, 300 queries), all-MiniLM-L6-v2, nDCG@10: fp32 ${quality.ndcg10.fp32.toFixed(4)}, int8 ${quality.ndcg10.int8.toFixed(4)} ` +
      `(loss ${quality.ndcg10.loss.toFixed(4)}). int8-vs-fp32 cosine min/mean: ` +
      Object.entries(quality.cosineInt8VsFp32).map(([k, v]) => `${k} ${v.min.toFixed(5)}/${v.mean.toFixed(5)}`).join(', ') +
      ` (bench/scifact-quality.ts, ${quality.date}).`
    : 'SciFact quality: run bench/scifact-quality.ts first to include nDCG@10 here.',
  '',
].join('\n');
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'encode-compare.md'), md);
writeFileSync(join(outDir, 'encode-compare.json'), JSON.stringify({ date: started.toISOString(), loadBefore, loadAfter, threads, ceilings: ceilingRows, rows, quality }, null, 2));
console.log(md);
