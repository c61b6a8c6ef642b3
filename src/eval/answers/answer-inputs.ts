import { readTextFile } from '../../corpus/text-lines.js';
import { readCorpus } from '../../corpus/corpus-reader.js';
import { readQueries } from '../../corpus/query-reader.js';
import type { QueryRecord } from '../../corpus/types.js';
import { parseTrecRun } from '../run.js';
import { trecOrder } from '../trec-order.js';
import type { RetrievedForQuestion } from './answer-recall.js';
import { parseDprRun } from './dpr-run.js';

export interface AnswerInputs {
  /** QA file (DPR `question<TAB>['answer', ...]` or JSON lines with question/answer(s)). Optional for a DPR JSON run, whose entries carry answers. */
  readonly answers?: string | undefined;
  /** A DPR JSON retrieval output, or a TREC run (then `corpus` supplies the passage texts). */
  readonly run: string;
  readonly corpus?: string | undefined;
  /** Passages needed per question. */
  readonly depth: number;
}

/** Reads a QA file into questions with answers; errors name file:line. */
export async function readQaFile(path: string): Promise<QueryRecord[]> {
  const records = await readQueries(path);
  records.forEach((r, i) => {
    if (!r.answers) throw new Error(`${path}: question ${i + 1} has no answers; expected a DPR QA file (question<TAB>['answer', ...] or JSON lines with "question" and "answer(s)")`);
  });
  return records;
}

/** Finds the question a TREC run topic id refers to: its id (readQueries numbers DPR questions from 0, as Pyserini does), or its 0-based position. */
function questionIndexer(questions: readonly QueryRecord[]): (qid: string) => number | undefined {
  const byId = new Map<string, number>();
  questions.forEach((q, i) => {
    if (!byId.has(q.id)) byId.set(q.id, i);
  });
  return (qid) => {
    const i = byId.get(qid);
    if (i !== undefined) return i;
    if (/^\d+$/.test(qid) && Number(qid) < questions.length) return Number(qid);
    return undefined;
  };
}

/** Loads questions, answers and retrieved passage texts for answerRecall. */
export async function loadAnswerInputs(inputs: AnswerInputs): Promise<RetrievedForQuestion[]> {
  const runText = await readTextFile(inputs.run);
  const questions = inputs.answers ? await readQaFile(inputs.answers) : undefined;
  if (runText.trimStart().startsWith('[')) {
    const entries = parseDprRun(runText, inputs.run);
    if (questions && questions.length !== entries.length) {
      throw new Error(`${inputs.run} has ${entries.length} questions but ${inputs.answers} has ${questions.length}`);
    }
    return entries.map((e, i) => {
      const q = questions?.[i];
      if (q && q.text.trim() !== e.question.trim()) {
        throw new Error(`${inputs.run}: entry ${i} asks ${JSON.stringify(e.question)} but question ${i + 1} of ${inputs.answers} is ${JSON.stringify(q.text)}`);
      }
      return { id: String(i), answers: q?.answers ?? e.answers, passages: e.ctxs.slice(0, inputs.depth).map((c) => c.text) };
    });
  }
  if (!questions) throw new Error(`${inputs.run} is a TREC run: --answers QA_FILE is required to know each question's answers`);
  if (!inputs.corpus) throw new Error(`${inputs.run} is a TREC run: --corpus FILE is required to look up the passage texts`);
  const run = parseTrecRun(runText, inputs.run);
  const indexOf = questionIndexer(questions);
  const ranked = new Map<number, string[]>();
  const needed = new Set<string>();
  for (const [qid, list] of run) {
    const i = indexOf(qid);
    if (i === undefined) throw new Error(`${inputs.run}: topic ${JSON.stringify(qid)} is neither a question of ${inputs.answers} nor a 0-based question number`);
    const docids = trecOrder(list, inputs.depth).map((j) => list.docids[j]!);
    ranked.set(i, docids);
    for (const d of docids) needed.add(d);
  }
  const texts = new Map<string, string>();
  for await (const record of readCorpus(inputs.corpus)) {
    if (needed.has(record.id)) texts.set(record.id, record.text);
  }
  const missing = [...needed].filter((d) => !texts.has(d));
  if (missing.length > 0) {
    throw new Error(`${missing.length} retrieved docids are not in ${inputs.corpus} (first: ${missing.slice(0, 5).join(', ')})`);
  }
  return questions.map((q, i) => ({ id: String(i), answers: q.answers!, passages: (ranked.get(i) ?? []).map((d) => texts.get(d)!) }));
}
