import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { hasAnswer } from '../../src/eval/answers/has-answer.js';

interface Case {
  answers: string[];
  text: string;
  mode: 'string' | 'regex';
  has_answer: boolean;
}

test("every golden case matches DPR's has_answer", () => {
  const cases = readFileSync('test/fixtures/goldens/answers/has_answer.jsonl', 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Case);
  assert.ok(cases.length > 1900);
  const wrong = cases.filter((c) => hasAnswer(c.answers, c.text, { mode: c.mode }) !== c.has_answer);
  assert.deepEqual(wrong.slice(0, 5), [], `${wrong.length} of ${cases.length} cases differ`);
});
