// The evaluation API: trec_eval-exact measures, benchmark presets, DPR answer accuracy, reports.
export { parseQrels, readQrels, type Qrels } from './qrels.js';
export { parseTrecRun, readTrecRun, runFromHits, type Run, type RankedList } from './run.js';
export { parseMeasures, DEFAULT_MEASURES, MEASURE_KINDS, type Measure, type MeasureKind } from './measures.js';
export { evaluate, type EvalOptions, type EvalResult, type MeasureValues } from './evaluate.js';
export { formatTrecEvalText, formatTrecEvalJson, type MeasureTable } from './report-text.js';
export { evaluatePreset, PRESET_NAMES, type PresetName } from './presets.js';
export { msmarcoMrr, type MsmarcoMrrResult } from './msmarco-mrr.js';
export { hasAnswer, type AnswerMatchMode, type HasAnswerOptions } from './answers/has-answer.js';
export { answerRecall, DEFAULT_TOPK, type AnswerRecallResult, type RetrievedForQuestion } from './answers/answer-recall.js';
export { parseDprRun, readDprRun, type DprRunEntry, type DprContext } from './answers/dpr-run.js';
export { loadAnswerInputs, readQaFile, type AnswerInputs } from './answers/answer-inputs.js';
export { renderHtmlReport, type ReportInput, type ReportRun, type ReportCurve } from './report/html-report.js';
export { qrelsReportInput, answersReportInput, type NamedRun } from './report/build-report.js';
