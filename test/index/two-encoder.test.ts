import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EncoderPair } from '../../src/encoder/encoder-pair.js';
import { Encoder } from '../../src/encoder/encoder.js';
import { Index } from '../../src/index/index.js';
import { readManifest } from '../../src/index/formats/manifest.js';
import { startServer } from '../../src/server/start-server.js';
import { parseTrecRun } from '../../src/eval/run.js';
import { densekit, densekitAsync, densekitOk as ok } from '../support/cli.js';
import { modelDirWithOnly } from '../support/model-dir.js';
import { freshHubEnv, repoFromDirectory, startHubServer, type HubServer, type TempHubEnv } from '../support/hub-server.js';

// Two-encoder indexes (DPR, RDR): passages by the context encoder, queries by the question encoder,
// through the CLI, the library and the server. Each score must be the dot product of the reference
// (transformers) question vector and passage vector (token types all zero, as DPR encodes passages).

const MODELS = 'test/fixtures/goldens/models';
const CTX = `${MODELS}/dpr-ctx-tiny`;
const QUESTION = `${MODELS}/dpr-question-tiny`;

interface Golden {
  queries?: string[];
  passages?: [string, string][];
  outputs: { pooler_output_token_types_zero: number[] };
}
const ctxGolden = JSON.parse(readFileSync(`${CTX}/expected.json`, 'utf8')) as Golden;
const questionGolden = JSON.parse(readFileSync(`${QUESTION}/expected.json`, 'utf8')) as Golden;
const DIMS = 32;
const rows = (flat: number[]) => Array.from({ length: flat.length / DIMS }, (_, i) => flat.slice(i * DIMS, (i + 1) * DIMS));
const passageVectors = rows(ctxGolden.outputs.pooler_output_token_types_zero);
const questionVectors = rows(questionGolden.outputs.pooler_output_token_types_zero);
const questions = questionGolden.queries!;
const dot = (a: number[], b: number[]) => a.reduce((s, v, i) => s + v * b[i]!, 0);

let tmp: string;
let corpus: string;
let queries: string;
let pairIndex: string;

/** Asserts every hit's score is the reference question · passage dot product (ids q<i>, p<j>). */
function assertReferenceScores(hits: { qid: string; docid: string; score: number }[], expectedCount: number): void {
  assert.equal(hits.length, expectedCount);
  for (const h of hits) {
    const q = questionVectors[Number(h.qid.replace(/^q/, ''))]!;
    const p = passageVectors[Number(h.docid.replace(/^p/, ''))]!;
    const want = dot(q, p);
    assert.ok(Math.abs(h.score - want) <= 1e-4, `${h.qid} ${h.docid}: score ${h.score}, reference ${want}`);
  }
}

before(() => {
  tmp = mkdtempSync(join(tmpdir(), 'densekit-two-encoder-'));
  corpus = join(tmp, 'passages.jsonl');
  writeFileSync(corpus, ctxGolden.passages!.map(([title, text], i) => JSON.stringify({ _id: `p${i}`, title, text })).join('\n') + '\n');
  queries = join(tmp, 'questions.tsv');
  writeFileSync(queries, questions.map((q, i) => `q${i}\t${q}`).join('\n') + '\n');
  pairIndex = join(tmp, 'pair');
  ok('index', '--model', CTX, '--query-model', QUESTION, '--corpus', corpus, '--out', pairIndex);
});
after(() => rmSync(tmp, { recursive: true, force: true }));

test('CLI: a context + question encoder index scores every hit as the reference question·passage dot product', () => {
  const m = readManifest(pairIndex);
  assert.equal(m.model.id, CTX);
  assert.equal(m.queryModel?.id, QUESTION);
  assert.equal(m.model.preset, 'dpr');
  assert.equal(m.queryModel?.preset, 'dpr');
  assert.equal(m.encoder.passage.tokenTypes, 'zero');
  const run = parseTrecRun(ok('search', '--index', pairIndex, '--queries', queries, '--k', '4').stdout);
  const hits = [...run].flatMap(([qid, list]) => list.docids.map((docid, i) => ({ qid, docid, score: list.scores[i]! })));
  assertReferenceScores(hits, questions.length * 4);
});

test('library and server: Index.open and POST /search encode queries with the recorded question encoder; /info names it', async () => {
  const index = await Index.open(pairIndex);
  try {
    const results = await index.search(questions.map((text, i) => ({ id: `q${i}`, text })), 4);
    assertReferenceScores(results.flatMap((r) => r.hits.map((h) => ({ qid: r.qid, docid: h.docid, score: h.score }))), questions.length * 4);
    const server = await startServer({ index, port: 0, threads: 1 });
    try {
      const info = (await (await fetch(`${server.url}/info`)).json()) as Record<string, unknown>;
      assert.equal(info.model, CTX);
      assert.equal(info.queryModel, QUESTION);
      const served = await fetch(`${server.url}/search`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ queries: questions, k: 4 }),
      });
      assert.equal(served.status, 200);
      const body = (await served.json()) as { results: { hits: { docid: string; score: number }[] }[] };
      assertReferenceScores(body.results.flatMap((r, i) => r.hits.map((h) => ({ qid: `q${i}`, docid: h.docid, score: h.score }))), questions.length * 4);
    } finally {
      await server.close();
    }
  } finally {
    await index.close();
  }
});

test('library: Index.build takes an EncoderPair; a bare context or question Encoder is refused naming --query-model', async () => {
  const pair = await EncoderPair.load(CTX, QUESTION);
  const ctx = await Encoder.load(CTX);
  try {
    const out = join(tmp, 'library-pair');
    await Index.build({ encoder: pair, corpusPath: corpus, outDir: out });
    assert.deepEqual(readManifest(out).queryModel, readManifest(pairIndex).queryModel);
    await assert.rejects(Index.build({ encoder: ctx, corpusPath: corpus, outDir: join(tmp, 'bare-ctx') }), /dpr-ctx-tiny is a DPR context encoder: it encodes passages only\. .*--query-model/);
    await assert.rejects(Index.build({ encoder: pair.query, corpusPath: corpus, outDir: join(tmp, 'bare-q') }), /is a DPR question encoder: .*--query-model/);
    await assert.rejects(Index.open(pairIndex, { encoder: ctx }), /the query encoder given is a DPR context encoder/);
    const reopened = await Index.open(pairIndex, { encoder: pair });
    try {
      const [hits] = await reopened.search([{ id: 'q0', text: questions[0]! }], 4);
      assertReferenceScores(hits!.hits.map((h) => ({ qid: 'q0', docid: h.docid, score: h.score })), 4);
    } finally {
      await reopened.close();
    }
  } finally {
    await Promise.all([pair.dispose(), ctx.dispose()]);
  }
});

test('CLI: a context encoder without --query-model, a question encoder as --model, and a context encoder as --query-model are refused', () => {
  const alone = densekit('index', '--model', CTX, '--corpus', corpus, '--out', join(tmp, 'ctx-alone'));
  assert.equal(alone.status, 1);
  assert.match(alone.stderr, /dpr-ctx-tiny is a DPR context encoder: it encodes passages only\. Name the question encoder it was trained with by --query-model/);
  const swapped = densekit('index', '--model', QUESTION, '--query-model', CTX, '--corpus', corpus, '--out', join(tmp, 'swapped'));
  assert.equal(swapped.status, 1);
  assert.match(swapped.stderr, /dpr-question-tiny is a DPR question encoder: it encodes queries, not passages\. Give its context encoder as --model and this one as --query-model/);
  const twoContexts = densekit('index', '--model', CTX, '--query-model', CTX.replace('dpr-ctx-tiny', '../../extra-goldens/dpr-ctx-proj'), '--corpus', corpus, '--out', join(tmp, 'two-ctx'));
  assert.equal(twoContexts.status, 1);
  assert.match(twoContexts.stderr, /--query-model \S+dpr-ctx-proj is a DPR context encoder/);
  const importAlone = densekit('import', '--model', CTX, '--vectors', 'test/fixtures/import/flat-ip.index', '--docids', 'test/fixtures/import/docid', '--out', join(tmp, 'import-ctx'));
  assert.equal(importAlone.status, 1);
  assert.match(importAlone.stderr, /--query-model/);
});

test('CLI: the encoder flags apply to each side: --query-max-length to the question encoder, --quantize to both', () => {
  const out = join(tmp, 'flags');
  ok('index', '--model', CTX, '--query-model', QUESTION, '--query-max-length', '8', '--max-length', '64', '--quantize', 'int8', '--corpus', corpus, '--out', out);
  const m = readManifest(out);
  assert.equal(m.encoder.query.maxLength, 8);
  assert.equal(m.encoder.passage.maxLength, 64);
  assert.equal(m.model.quantize, 'int8');
  assert.equal(m.queryModel?.quantize, 'int8');
  const run = parseTrecRun(ok('search', '--index', out, '--query', questions[0]!, '--k', '4').stdout);
  assert.equal(run.get('0')?.docids.length, 4);
});

test('CLI: --shard slices of a two-encoder index merge into the single run\'s index, query model kept', () => {
  const slices = [0, 1].map((i) => {
    const out = join(tmp, `slice-${i}`);
    ok('index', '--model', CTX, '--query-model', QUESTION, '--corpus', corpus, '--out', out, '--shard', `${i}/2`, '--shard-size', '2');
    return out;
  });
  const single = join(tmp, 'single-2');
  ok('index', '--model', CTX, '--query-model', QUESTION, '--corpus', corpus, '--out', single, '--shard-size', '2');
  const merged = join(tmp, 'merged');
  ok('merge', '--out', merged, ...slices);
  assert.equal(readFileSync(join(merged, 'manifest.json'), 'utf8'), readFileSync(join(single, 'manifest.json'), 'utf8'));
  // Resuming with another query model is refused, like any other changed setting.
  const elsewhere = modelDirWithOnly(QUESTION, 'pytorch_model.bin');
  try {
    const changed = densekit('index', '--model', CTX, '--query-model', elsewhere, '--corpus', corpus, '--out', single, '--shard-size', '2');
    assert.equal(changed.status, 1);
    assert.match(changed.stderr, /holds a finished index built with different settings:\n\s+queryModel\.id/);
  } finally {
    rmSync(elsewhere, { recursive: true, force: true });
  }
});

test('CLI: import --query-model records both models; a DPR question encoder alone as import --model is the query model', () => {
  // The golden passage vectors, as a .npy written elsewhere, with their ids.
  const npy = join(tmp, 'passages.npy');
  const header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${passageVectors.length}, ${DIMS}), }`;
  const padded = header.padEnd(118 - 1, ' ') + '\n';
  const data = Buffer.from(Float32Array.from(passageVectors.flat()).buffer);
  const prefix = Buffer.concat([Buffer.from([0x93]), Buffer.from('NUMPY'), Buffer.from([1, 0]), Buffer.from([padded.length & 0xff, padded.length >> 8])]);
  writeFileSync(npy, Buffer.concat([prefix, Buffer.from(padded, 'latin1'), data]));
  const docids = join(tmp, 'docids.txt');
  writeFileSync(docids, passageVectors.map((_, i) => `p${i}`).join('\n') + '\n');

  for (const [name, models] of [['import-pair', ['--model', CTX, '--query-model', QUESTION]], ['import-alias', ['--model', QUESTION]]] as const) {
    const out = join(tmp, name);
    ok('import', ...models, '--vectors', npy, '--docids', docids, '--out', out);
    const m = readManifest(out);
    assert.equal((m.queryModel ?? m.model).id, QUESTION);
    const run = parseTrecRun(ok('search', '--index', out, '--queries', queries, '--k', '4').stdout);
    assertReferenceScores([...run].flatMap(([qid, list]) => list.docids.map((docid, i) => ({ qid, docid, score: list.scores[i]! }))), questions.length * 4);
  }
  assert.equal(readManifest(join(tmp, 'import-pair')).model.id, CTX);
});

test('a single-model index keeps the manifest it had before two-encoder support, and opens', async () => {
  const out = join(tmp, 'single-model');
  ok('index', '--model', `${MODELS}/bert-tiny`, '--corpus', corpus, '--out', out);
  const json = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as Record<string, unknown>;
  assert.ok(!('queryModel' in json));
  const index = await Index.open(out);
  try {
    const encoder = await Encoder.load(`${MODELS}/bert-tiny`);
    const [v] = await encoder.encodeQueries([questions[0]!]);
    await encoder.dispose();
    const [hits] = await index.search([{ id: 'q0', text: questions[0]! }], 1);
    const [again] = await index.searchVectors(['q0'], [v!], 1);
    assert.deepEqual(hits, again);
  } finally {
    await index.close();
  }
});

let hub: HubServer;
let env: TempHubEnv | undefined;

test('CLI: a known context encoder hub id alone gets its question encoder, said in one line', async () => {
  hub = await startHubServer({
    repos: [
      repoFromDirectory('facebook/dpr-ctx_encoder-single-nq-base', CTX),
      repoFromDirectory('facebook/dpr-question_encoder-single-nq-base', QUESTION),
    ],
  });
  env = freshHubEnv(hub, env);
  try {
    const out = join(tmp, 'known-pair');
    // Not spawnSync: the hub server answers from this process's event loop.
    const r = await densekitAsync('index', '--model', 'facebook/dpr-ctx_encoder-single-nq-base', '--corpus', corpus, '--out', out);
    assert.equal(r.status, 0, r.stderr);
    const notes = r.stderr.split('\n').filter((l) => /question encoder/.test(l));
    assert.deepEqual(notes, [
      'densekit: facebook/dpr-ctx_encoder-single-nq-base is a DPR context encoder; queries will be encoded with its question encoder facebook/dpr-question_encoder-single-nq-base',
    ]);
    const m = readManifest(out);
    assert.equal(m.queryModel?.id, 'facebook/dpr-question_encoder-single-nq-base');
    assert.equal(m.queryModel?.revision, hub.commitOf('facebook/dpr-question_encoder-single-nq-base'));
    const run = parseTrecRun(ok('search', '--index', out, '--queries', queries, '--k', '4').stdout);
    assertReferenceScores([...run].flatMap(([qid, list]) => list.docids.map((docid, i) => ({ qid, docid, score: list.scores[i]! }))), questions.length * 4);
  } finally {
    env.cleanup();
    await hub.close();
  }
});
