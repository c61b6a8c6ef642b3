// Run file formats for search results. Each writes one query at a time, so a large run (7k queries ×
// 1000 hits) streams to its file instead of growing one huge string.
import type { QueryRecord } from '../corpus/types.js';
import type { QueryHits, StoredDoc } from './hits.js';
import { writeTrecRun } from './trec-run.js';

export type RunFormat = 'trec' | 'msmarco' | 'dpr-json' | 'jsonl';
export const RUN_FORMATS: readonly RunFormat[] = ['trec', 'msmarco', 'dpr-json', 'jsonl'];

export interface RunWriterOptions {
  readonly format: RunFormat;
  /** TREC run tag (last column). */
  readonly tag?: string;
  /** Whether the index stores passages (dpr-json needs them; jsonl adds title and text when they are given). */
  readonly storesText?: boolean;
  /**
   * dpr-json: whether a passage contains one of the answers, for `has_answer` (eval's hasAnswer with
   * DPR's string or CuratedTREC's regex matching). Needed when queries carry answers.
   */
  readonly hasAnswer?: (answers: readonly string[], text: string) => boolean;
}

/** Formats results query by query: call `begin()`, then `query()` per query, then `end()`. */
export class RunWriter {
  private first = true;
  constructor(private readonly options: RunWriterOptions) {
    if (!RUN_FORMATS.includes(options.format)) throw new Error(`unknown run format ${JSON.stringify(options.format)}; known: ${RUN_FORMATS.join(', ')}`);
    if (options.format === 'dpr-json' && !options.storesText) throw new Error('the dpr-json format needs passage text, and this index stores none');
  }

  begin(): string {
    return this.options.format === 'dpr-json' ? '[\n' : '';
  }

  private hasAnswer(answers: readonly string[], text: string): boolean {
    if (!this.options.hasAnswer) throw new Error('the dpr-json format needs a hasAnswer function to mark passages that contain an answer');
    return this.options.hasAnswer(answers, text);
  }

  /** Whether `query` needs the hits' passages. */
  get needsDocuments(): boolean {
    return this.options.storesText === true && (this.options.format === 'dpr-json' || this.options.format === 'jsonl');
  }

  private doc(hit: { docid: string }, d: StoredDoc | undefined): StoredDoc {
    if (!d) throw new Error(`no stored passage for document ${hit.docid} (the index stores ids only)`);
    return d;
  }

  /** One query's lines; `docs[i]` is the stored passage of hit i (see needsDocuments). */
  query(query: QueryRecord, result: QueryHits, docs: readonly (StoredDoc | undefined)[] = []): string {
    switch (this.options.format) {
      case 'trec':
        return writeTrecRun([result], this.options.tag ?? 'densekit');
      case 'msmarco':
        return result.hits.map((h, i) => `${result.qid}\t${h.docid}\t${i + 1}\n`).join('');
      case 'jsonl':
        return result.hits
          .map((h, i) => {
            const d = docs[i];
            return `${JSON.stringify({ qid: result.qid, docid: h.docid, rank: i + 1, score: h.score, ...(d ? { ...(d.title !== undefined ? { title: d.title } : {}), text: d.text } : {}) })}\n`;
          })
          .join('');
      case 'dpr-json': {
        const ctxs = result.hits.map((h, i) => {
          const d = this.doc(h, docs[i]);
          return {
            id: h.docid,
            title: d.title ?? '',
            text: d.text,
            score: h.score,
            ...(query.answers ? { has_answer: this.hasAnswer(query.answers, d.text) } : {}),
          };
        });
        const entry = JSON.stringify({ question: query.text, answers: query.answers ?? [], ctxs }, null, 2).replace(/^/gm, '  ');
        const sep = this.first ? '' : ',\n';
        this.first = false;
        return sep + entry;
      }
    }
  }

  end(): string {
    return this.options.format === 'dpr-json' ? (this.first ? ']\n' : '\n]\n') : '';
  }
}
