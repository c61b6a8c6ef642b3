import { hasAnswer, type AnswerMatchMode } from './has-answer.js';

/** One question to score: its answers and the texts of its retrieved passages, best first. */
export interface RetrievedForQuestion {
  readonly id: string;
  readonly answers: readonly string[];
  readonly passages: readonly string[];
}

export interface AnswerRecallResult {
  /** k → fraction of all questions with an answer-bearing passage in the top k. */
  readonly accuracy: ReadonlyMap<number, number>;
  /** Per question: 1-based rank of the first passage holding an answer, 0 if none does. */
  readonly firstHit: ReadonlyMap<string, number>;
  readonly numQuestions: number;
}

export const DEFAULT_TOPK = [1, 5, 20, 50, 100];

/**
 * DPR's top-k retrieval accuracy (validate() in DPR, evaluate_dpr_retrieval in Pyserini): a
 * question counts at k when one of its top-k passages has an answer (hasAnswer on the passage
 * text, not its title). The denominator is every question, retrieved for or not.
 */
export function answerRecall(questions: readonly RetrievedForQuestion[], topk: readonly number[] = DEFAULT_TOPK, mode: AnswerMatchMode = 'string'): AnswerRecallResult {
  for (const k of topk) if (!Number.isInteger(k) || k < 1) throw new Error(`top-k cutoffs must be positive integers, got ${k}`);
  const depth = Math.max(...topk);
  const firstHit = new Map<string, number>();
  const hitsAt = new Map<number, number>(topk.map((k) => [k, 0]));
  for (const q of questions) {
    let first = 0;
    const n = Math.min(depth, q.passages.length);
    for (let i = 0; i < n; i++) {
      if (hasAnswer(q.answers, q.passages[i]!, { mode })) {
        first = i + 1;
        break;
      }
    }
    firstHit.set(q.id, first);
    if (first > 0) for (const k of topk) if (first <= k) hitsAt.set(k, hitsAt.get(k)! + 1);
  }
  const accuracy = new Map<number, number>();
  for (const k of topk) accuracy.set(k, questions.length === 0 ? 0 : hitsAt.get(k)! / questions.length);
  return { accuracy, firstHit, numQuestions: questions.length };
}
