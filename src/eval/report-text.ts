import type { MeasureValues } from './evaluate.js';
import { formatFixed4 } from './format.js';

/** Anything printable as a trec_eval-style table: the `all` line plus optional per-topic lines. */
export interface MeasureTable {
  readonly all: MeasureValues;
  readonly perQuery: ReadonlyMap<string, MeasureValues>;
}

const INTEGER_NAMES = new Set(['num_q', 'num_ret', 'num_rel', 'num_rel_ret']);

function formatLine(name: string, qid: string, value: number): string {
  const shown = INTEGER_NAMES.has(name) ? String(Math.round(value)) : formatFixed4(value);
  return `${name.padEnd(22)}\t${qid}\t${shown}\n`;
}

/** trec_eval's text output: `measure<TAB>qid|all<TAB>value`, per-topic lines first when asked (-q). */
export function formatTrecEvalText(table: MeasureTable, perQuery: boolean): string {
  let out = '';
  if (perQuery) {
    for (const [qid, values] of table.perQuery) {
      for (const [name, v] of Object.entries(values)) out += formatLine(name, qid, v);
    }
  }
  for (const [name, v] of Object.entries(table.all)) out += formatLine(name, 'all', v);
  return out;
}

/** `--json`: `{"all": {...}, "per_query": {qid: {...}}}`, per_query only when asked (-q). */
export function formatTrecEvalJson(table: MeasureTable, perQuery: boolean): string {
  const doc: { all: MeasureValues; per_query?: Record<string, MeasureValues> } = { all: table.all };
  if (perQuery) doc.per_query = Object.fromEntries(table.perQuery);
  return `${JSON.stringify(doc, null, 2)}\n`;
}
