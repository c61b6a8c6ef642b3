import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { densekitOk } from '../support/cli.js';

// DPR QA topics through `search --format trec` and `eval --answers --corpus`: the same run scored from
// its TREC form (joined on the questions' 0-based ids) and from its dpr-json form gives the same accuracy.

const DATA = 'test/fixtures/data/reproduce';
const CORPUS = `${DATA}/psgs_w100-tiny.tsv`;
const TOPICS = `${DATA}/nq-test-head.txt`;
let tmp: string;

const ok = (...args: string[]): string => densekitOk(...args).stdout;

before(() => {
  tmp = mkdtempSync(join(tmpdir(), 'densekit-answers-trec-'));
  ok('index', '--model', 'test/fixtures/goldens/models/bert-tiny', '--preset', 'dpr', '--corpus', CORPUS, '--out', join(tmp, 'index'));
});
after(() => rmSync(tmp, { recursive: true, force: true }));

test('a TREC run of DPR QA topics has ids 0..n-1 and scores as its dpr-json twin, top-k for k = 1..20', () => {
  const trec = join(tmp, 'run.trec');
  const json = join(tmp, 'run.json');
  ok('search', '--index', join(tmp, 'index'), '--queries', TOPICS, '--k', '20', '--format', 'trec', '--output', trec);
  ok('search', '--index', join(tmp, 'index'), '--queries', TOPICS, '--k', '20', '--format', 'dpr-json', '--output', json);
  const qids = [...new Set(readFileSync(trec, 'utf8').trim().split('\n').map((l) => l.split(' ')[0]))];
  assert.deepEqual(qids, Array.from({ length: 24 }, (_, i) => String(i)));

  const topk = '1,2,3,5,10,20';
  const fromTrec = ok('eval', '--answers', TOPICS, '--run', trec, '--corpus', CORPUS, '--topk', topk, '--json', '--per-query');
  const fromJson = ok('eval', '--answers', TOPICS, '--run', json, '--topk', topk, '--json', '--per-query');
  const fromJsonAlone = ok('eval', '--run', json, '--topk', topk, '--json', '--per-query');
  assert.equal(fromTrec, fromJson);
  assert.equal(fromJsonAlone, fromJson);
  const all = (JSON.parse(fromTrec) as { all: Record<string, number> }).all;
  // The hand-written passages hold most answers, so the tiny random model still finds some by chance.
  assert.ok(all.top_20! > all.top_1! || all.top_20 === 1, JSON.stringify(all));
});
