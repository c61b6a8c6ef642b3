import type { MeasureValues } from '../evaluate.js';
import { formatFixed4 } from '../format.js';
import { escapeHtml } from './escape-html.js';
import { differenceChartSvg, lineChartSvg, seriesColor, type Series } from './svg-charts.js';

export interface ReportRun {
  readonly name: string;
  readonly all: MeasureValues;
  readonly perQuery: ReadonlyMap<string, MeasureValues>;
}

export interface ReportCurve {
  readonly title: string;
  readonly yLabel: string;
  readonly series: readonly Series[];
}

export interface ReportInput {
  readonly title: string;
  /** Lines describing how the numbers were computed (files, flags). */
  readonly notes: readonly string[];
  readonly runs: readonly ReportRun[];
  readonly curves: readonly ReportCurve[];
  /** The per-query measure compared between runs (each later run against the first). Default: the first measure. */
  readonly compareMeasure?: string;
}

const STYLE = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 24px; color: #222; }
table { border-collapse: collapse; margin: 12px 0; }
th, td { border: 1px solid #ccc; padding: 4px 8px; text-align: right; }
th:first-child, td:first-child { text-align: left; }
td.best { font-weight: bold; background: #eef6ee; }
.chart { display: block; margin: 12px 0; max-width: 100%; height: auto; }
.chart text { font: 11px system-ui, sans-serif; fill: #333; }
.chart .chart-title { font-size: 13px; font-weight: bold; }
.wins { color: #2ca02c; } .losses { color: #d62728; }
code { background: #f4f4f4; padding: 0 3px; }
`;

function shown(name: string, v: number | undefined): string {
  if (v === undefined) return '';
  return name.startsWith('num_') ? String(Math.round(v)) : formatFixed4(v);
}

function metricTable(runs: readonly ReportRun[]): string {
  const names = [...new Set(runs.flatMap((r) => Object.keys(r.all)))];
  const best = new Map(names.map((n) => [n, Math.max(...runs.map((r) => r.all[n] ?? Number.NEGATIVE_INFINITY))]));
  const head = `<tr><th>run</th>${names.map((n) => `<th>${escapeHtml(n)}</th>`).join('')}</tr>`;
  const rows = runs.map((r) => {
    const cells = names.map((n) => {
      const v = r.all[n];
      const isBest = runs.length > 1 && !n.startsWith('num_') && v !== undefined && v === best.get(n);
      return `<td${isBest ? ' class="best"' : ''}>${shown(n, v)}</td>`;
    });
    return `<tr><td>${escapeHtml(r.name)}</td>${cells.join('')}</tr>`;
  });
  return `<table id="metrics"><thead>${head}</thead><tbody>${rows.join('')}</tbody></table>`;
}

function comparison(a: ReportRun, b: ReportRun, measure: string): string {
  const qids = [...new Set([...a.perQuery.keys(), ...b.perQuery.keys()])];
  const diffs = qids.map((qid) => {
    const va = a.perQuery.get(qid)?.[measure] ?? 0;
    const vb = b.perQuery.get(qid)?.[measure] ?? 0;
    return { qid, a: va, b: vb, diff: vb - va };
  });
  diffs.sort((x, y) => y.diff - x.diff || (x.qid < y.qid ? -1 : 1));
  const wins = diffs.filter((d) => d.diff > 0).length;
  const losses = diffs.filter((d) => d.diff < 0).length;
  const ties = diffs.length - wins - losses;
  const extremes = [...diffs.slice(0, 10), ...diffs.slice(Math.max(10, diffs.length - 10))].filter((d) => d.diff !== 0);
  const rows = extremes.map((d) => `<tr><td>${escapeHtml(d.qid)}</td><td>${formatFixed4(d.a)}</td><td>${formatFixed4(d.b)}</td><td class="${d.diff > 0 ? 'wins' : 'losses'}">${d.diff > 0 ? '+' : ''}${formatFixed4(d.diff)}</td></tr>`);
  return `<section class="comparison">
<h3>${escapeHtml(b.name)} vs ${escapeHtml(a.name)} on <code>${escapeHtml(measure)}</code></h3>
<p class="summary"><span class="wins">${wins} wins</span>, <span class="losses">${losses} losses</span>, ${ties} ties over ${diffs.length} queries (a win: ${escapeHtml(b.name)} scores higher).</p>
${differenceChartSvg(`${measure}: ${b.name} − ${a.name} per query`, diffs)}
<table class="per-query"><thead><tr><th>query</th><th>${escapeHtml(a.name)}</th><th>${escapeHtml(b.name)}</th><th>difference</th></tr></thead><tbody>${rows.join('')}</tbody></table>
</section>`;
}

/** One self-contained HTML page (inline CSS and SVG, no scripts or external assets) comparing runs. */
export function renderHtmlReport(input: ReportInput): string {
  const measure = input.compareMeasure ?? Object.keys(input.runs[0]?.all ?? {}).find((n) => !n.startsWith('num_'));
  const legend = input.runs.map((r, i) => `<li><span style="color:${seriesColor(i)}">■</span> ${escapeHtml(r.name)}</li>`).join('');
  const comparisons = measure && input.runs.length > 1 ? input.runs.slice(1).map((b) => comparison(input.runs[0]!, b, measure)).join('\n') : '<p>Give two or more runs to compare them per query.</p>';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(input.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${escapeHtml(input.title)}</h1>
<ul class="notes">${input.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul>
<h2>Metrics</h2>
${metricTable(input.runs)}
<ul class="legend">${legend}</ul>
<h2>Curves</h2>
${input.curves.map((c) => lineChartSvg(c.title, 'cutoff k (log scale)', c.yLabel, c.series)).join('\n')}
<h2>Per-query wins and losses</h2>
${comparisons}
</body>
</html>
`;
}
