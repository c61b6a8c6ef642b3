import { writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { firstNonBlankLine } from '../../corpus/text-lines.js';
import { answerRecall, DEFAULT_TOPK } from '../../eval/answers/answer-recall.js';
import { loadAnswerInputs } from '../../eval/answers/answer-inputs.js';
import { evaluate, resolveMeasures, type EvalOptions } from '../../eval/evaluate.js';
import { formatFixed4 } from '../../eval/format.js';
import { parseMeasures } from '../../eval/measures.js';
import { evaluatePreset, isPresetName, PRESET_NAMES } from '../../eval/presets.js';
import { readQrels, type Qrels } from '../../eval/qrels.js';
import { formatTrecEvalJson, formatTrecEvalText, type MeasureTable } from '../../eval/report-text.js';
import { answersReportInput, qrelsReportInput } from '../../eval/report/build-report.js';
import { renderHtmlReport } from '../../eval/report/html-report.js';
import { readTrecRun, type Run } from '../../eval/run.js';
import { positiveInt } from '../arguments.js';
import { UsageError } from '../errors.js';
import { flag } from '../help.js';
import type { RegisterCommand } from './registry.js';

interface EvalCliOptions {
  qrels?: string;
  run: string[];
  measure: string[];
  complete?: boolean;
  level?: number;
  maxDepth?: number;
  perQuery?: boolean;
  json?: boolean;
  preset?: string;
  answers?: string;
  corpus?: string;
  topk: number[];
  regex?: boolean;
  report?: string;
}

/** The first non-whitespace character of a file, gzip or not (a DPR JSON run starts with '['). */
async function firstNonSpace(path: string): Promise<string> {
  const first = await firstNonBlankLine(path);
  return first?.text.trimStart().slice(0, 1) ?? '';
}

const collect = (value: string, previous: string[]) => [...previous, value];

function integer(value: string): number {
  if (!/^-?\d+$/.test(value)) throw new InvalidArgumentError(`expected an integer, got '${value}'`);
  return Number(value);
}

function cutoffList(value: string): number[] {
  return value.split(',').map((v) => positiveInt(v.trim()));
}

function runName(path: string, all: readonly string[]): string {
  const short = basename(path);
  return all.filter((p) => basename(p) === short).length > 1 ? path : short;
}

/** Prints one table per run; several runs get a `# run` header each (text) or are keyed by path (JSON). */
function printTables(names: readonly string[], tables: readonly MeasureTable[], json: boolean, perQuery: boolean): void {
  if (json) {
    if (tables.length === 1) process.stdout.write(formatTrecEvalJson(tables[0]!, perQuery));
    else {
      const doc = Object.fromEntries(names.map((n, i) => [n, JSON.parse(formatTrecEvalJson(tables[i]!, perQuery)) as unknown]));
      process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
    }
    return;
  }
  tables.forEach((t, i) => {
    if (tables.length > 1) process.stdout.write(`${i > 0 ? '\n' : ''}# run ${names[i]}\n`);
    process.stdout.write(formatTrecEvalText(t, perQuery));
  });
}

/** Warns (stderr) when the numbers would be zeros for a reason other than retrieval quality. */
function warnAboutCoverage(qrelsPath: string, qrels: Qrels, runs: readonly { path: string; run: Run }[]): void {
  const warn = (m: string) => process.stderr.write(`densekit: warning: ${m}\n`);
  if (qrels.size === 0) warn(`${qrelsPath} holds no judgments: every measure is 0`);
  for (const { path, run } of runs) {
    if (run.size === 0) {
      warn(`${path} is empty (no retrieved documents): every measure is 0`);
      continue;
    }
    if (qrels.size === 0) continue;
    const shared = [...run.keys()].filter((qid) => qrels.has(qid)).length;
    if (shared === 0) {
      const [runQid] = run.keys();
      const [qrelsQid] = qrels.keys();
      warn(`${path} and ${qrelsPath} share no query id (the run has e.g. ${JSON.stringify(runQid)}, the qrels ${JSON.stringify(qrelsQid)}): nothing is evaluated; are they for the same topics?`);
    }
  }
}

async function evalQrels(o: EvalCliOptions): Promise<void> {
  const qrels = await readQrels(o.qrels!);
  const options: EvalOptions = { measures: resolveMeasures(o.measure), level: o.level, complete: o.complete, maxDepth: o.maxDepth };
  if (o.preset !== undefined && (o.measure.length > 0 || o.level !== undefined || o.complete || o.maxDepth !== undefined)) {
    throw new UsageError('--preset fixes its own measures and flags; do not combine it with -m, -l, -c or -M');
  }
  const names = o.run.map((p) => runName(p, o.run));
  const runs = await Promise.all(o.run.map(async (p, i) => ({ name: names[i]!, run: await readTrecRun(p) })));
  warnAboutCoverage(o.qrels!, qrels, runs.map((r, i) => ({ path: o.run[i]!, run: r.run })));
  const tables: MeasureTable[] = runs.map((r) => (o.preset !== undefined && isPresetName(o.preset) ? evaluatePreset(o.preset, qrels, r.run) : evaluate(qrels, r.run, options)));
  printTables(names, tables, o.json ?? false, o.perQuery ?? false);
  if (o.report) {
    const flags = o.preset ? `preset ${o.preset}` : [o.complete ? '-c' : '', o.level !== undefined ? `-l ${o.level}` : '', o.maxDepth ? `-M ${o.maxDepth}` : ''].filter(Boolean).join(' ') || 'default flags';
    const notes = [`qrels: ${o.qrels}`, `runs: ${o.run.join(', ')}`, `trec_eval 9.0.8 semantics, ${flags}`];
    // Per-query comparison on the measure the user named first (-m order), not trec_eval's print order.
    const firstNamed = o.measure.length > 0 ? parseMeasures([o.measure[0]!])[0]?.name : undefined;
    await writeFile(o.report, renderHtmlReport(qrelsReportInput(qrels, runs, tables, o.preset ? {} : options, notes, firstNamed)));
  }
}

async function evalAnswers(o: EvalCliOptions): Promise<void> {
  const mode = o.regex ? 'regex' : 'string';
  const depth = Math.max(...o.topk);
  const names = o.run.map((p) => runName(p, o.run));
  const results = [];
  for (const [i, run] of o.run.entries()) {
    const questions = await loadAnswerInputs({ answers: o.answers, run, corpus: o.corpus, depth });
    results.push({ name: names[i]!, result: answerRecall(questions, o.topk, mode) });
  }
  const tables: MeasureTable[] = results.map(({ result }) => ({
    all: Object.fromEntries(o.topk.map((k) => [`top_${k}`, result.accuracy.get(k)!])),
    perQuery: new Map([...result.firstHit].map(([id, first]) => [id, { first_hit_rank: first }])),
  }));
  if (o.json) printTables(names, tables, true, o.perQuery ?? false);
  else {
    results.forEach(({ result }, i) => {
      if (results.length > 1) process.stdout.write(`${i > 0 ? '\n' : ''}# run ${names[i]}\n`);
      if (o.perQuery) for (const [id, first] of result.firstHit) process.stdout.write(`first_hit_rank\t${id}\t${first}\n`);
      for (const k of o.topk) process.stdout.write(`Top${k}\taccuracy: ${formatFixed4(result.accuracy.get(k)!)}\n`);
    });
  }
  if (o.report) {
    const notes = [`answers: ${o.answers ?? '(from the DPR runs)'}`, `runs: ${o.run.join(', ')}`, `DPR has_answer, ${mode} match, over all ${results[0]!.result.numQuestions} questions`];
    await writeFile(o.report, renderHtmlReport(answersReportInput(results, o.topk, notes)));
  }
}

export const registerEval: RegisterCommand = (program: Command) => {
  program
    .command('eval')
    .description('Evaluate runs: trec_eval 9.0.8 measures against qrels, benchmark presets, or DPR top-k answer accuracy')
    .option('--qrels <file>', 'relevance judgments (TREC qrels, or BEIR qrels TSV), plain or .gz (required unless --answers)')
    .addOption(flag('--run <file>', 'run to evaluate (TREC run; DPR JSON retrieval output with --answers), plain or .gz; repeat to compare runs', { parse: collect, default: [] }).makeOptionMandatory())
    .option('-m, --measure <name>', 'trec_eval measure: map, recip_rank, Rprec, P.k, recall.k, ndcg, ndcg_cut.k, map_cut.k, num_q, num_ret, num_rel, num_rel_ret; comma cutoffs (P.5,10); repeatable', collect, [])
    .option('-c, --complete', 'average over every qrels topic (topics missing from the run score 0), as trec_eval -c')
    .addOption(flag('-l, --level <n>', 'relevance level: relevant iff grade >= n; nDCG uses raw grades', { parse: integer, shownDefault: 1 }))
    .option('-M, --max-depth <n>', 'evaluate at most n documents per topic', positiveInt)
    .option('-q, --per-query', 'also print per-topic values')
    .option('--json', 'print {"all": {...}, "per_query": {...}} as JSON')
    .addOption(flag('--preset <name>', 'the measures and conventions a benchmark reports', { choices: PRESET_NAMES }))
    .option('--answers <file>', 'DPR QA file (question<TAB>[answers] or JSON lines): compute top-k answer accuracy instead of qrels measures; a TREC run names questions by their 0-based number, as `search` writes them')
    .option('--corpus <file>', 'corpus to look passage texts up in, for a TREC run with --answers')
    .addOption(flag('--topk <list>', 'cutoffs for answer accuracy', { parse: cutoffList, default: DEFAULT_TOPK }))
    .option('--regex', 'answers are Python regexes (CuratedTREC)')
    .option('--report <file>', 'write a self-contained HTML report comparing the runs')
    .action(async (o: EvalCliOptions) => {
      if (o.run.length === 0) throw new UsageError("required option '--run <file>' not specified");
      const answerMode = o.answers !== undefined || o.regex || o.corpus !== undefined;
      if (answerMode) {
        if (o.qrels) throw new UsageError('use either --qrels (relevance measures) or --answers (answer accuracy), not both');
        await evalAnswers(o);
        return;
      }
      if (!o.qrels) {
        // A DPR JSON run carries its answers, so --answers is optional there.
        if ((await firstNonSpace(o.run[0]!)) === '[') {
          await evalAnswers(o);
          return;
        }
        throw new UsageError("required option '--qrels <file>' not specified (or give --answers QA_FILE for answer accuracy)");
      }
      await evalQrels(o);
    });
};
