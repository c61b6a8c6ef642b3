import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { answerRecall } from '../../src/eval/answers/answer-recall.js';
import { loadAnswerInputs, readQaFile } from '../../src/eval/answers/answer-inputs.js';

interface OracleRow {
  question: string;
  answers: string[];
  ctxs: { title: string; text: string }[];
}

function oracle(): OracleRow[] {
  return gunzipSync(readFileSync('test/fixtures/data/nq-open-gold/nq-open-oracle.jsonl.gz'))
    .toString('utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as OracleRow);
}

test('top-k accuracy of a DPR JSON run matches DPR has_answer counts (NQ-open gold passages)', async () => {
  const rows = oracle();
  // Rank 1: the next question's gold passage (a distractor); rank 2: the question's own gold passage.
  // Reference (DPR's SimpleTokenizer + has_answer in Python): 20 of 2,655 distractors hold an answer,
  // and every gold passage does.
  const run = rows.map((r, i) => ({
    question: r.question,
    answers: r.answers,
    ctxs: [
      { id: `gold-${(i + 1) % rows.length}`, title: '', text: rows[(i + 1) % rows.length]!.ctxs[0]!.text, score: 2 },
      { id: `gold-${i}`, title: r.ctxs[0]!.title, text: r.ctxs[0]!.text, score: 1 },
    ],
  }));
  const dir = mkdtempSync(join(tmpdir(), 'densekit-dpr-'));
  try {
    writeFileSync(join(dir, 'run.json'), JSON.stringify(run));
    const questions = await loadAnswerInputs({ run: join(dir, 'run.json'), depth: 5 });
    const result = answerRecall(questions, [1, 2, 5]);
    assert.equal(result.numQuestions, 2655);
    assert.equal(result.accuracy.get(1), 20 / 2655);
    assert.equal(result.accuracy.get(2), 1);
    assert.equal(result.accuracy.get(5), 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a TREC run with a corpus: passages looked up by docid, unretrieved questions count as misses', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'densekit-dpr-'));
  try {
    writeFileSync(join(dir, 'qa.txt'), "who wrote hamlet\t['Shakespeare', 'William Shakespeare']\r\nwhat is the capital of france\t['Paris']\r\nunanswered question\t['nothing']\r\n");
    writeFileSync(
      join(dir, 'corpus.jsonl'),
      [
        { _id: 'd1', title: 'Hamlet', text: 'Hamlet is a tragedy written by William Shakespeare.' },
        { _id: 'd2', title: 'Paris', text: 'Paris is the capital and largest city of France.' },
        { _id: 'd3', title: 'Shakespeare', text: 'An English playwright.' },
      ].map((r) => JSON.stringify(r)).join('\n'),
    );
    // Topic ids are 0-based question numbers, as Pyserini writes DPR runs. Question 0's answer
    // passage is listed first but ranks 2nd by score (trec_eval order), so it is a top-2 hit only.
    writeFileSync(join(dir, 'run.trec'), '0 Q0 d1 1 5.0 t\n0 Q0 d3 2 9.0 t\n1 Q0 d2 1 3.0 t\n');
    const questions = await loadAnswerInputs({ answers: join(dir, 'qa.txt'), run: join(dir, 'run.trec'), corpus: join(dir, 'corpus.jsonl'), depth: 2 });
    const result = answerRecall(questions, [1, 2]);
    assert.equal(result.numQuestions, 3);
    assert.equal(result.accuracy.get(1), 1 / 3);
    assert.equal(result.accuracy.get(2), 2 / 3);
    assert.deepEqual([...result.firstHit.values()], [2, 1, 0]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the CuratedTREC and NQ QA files read with their answers', async () => {
  const curated = await readQaFile('test/fixtures/data/dpr-qa/topics.dpr.curated.test.txt');
  assert.equal(curated[1]!.answers![0], 'After the Fall|Finishing the Play');
  const nq = await readQaFile('test/fixtures/data/dpr-qa/topics.dpr.nq.test.txt');
  assert.equal(nq.length, 3610);
  assert.deepEqual(nq[2]!.answers, ['Olivia', 'MFSK']);
});
