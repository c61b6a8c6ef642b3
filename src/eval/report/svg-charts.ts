import { escapeHtml } from './escape-html.js';

export interface Series {
  readonly name: string;
  /** (x, y) points, x > 0 (plotted on a log scale), y in [0, 1]. */
  readonly points: readonly (readonly [number, number])[];
}

const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#17becf', '#8c564b', '#e377c2'];
const W = 640;
const H = 360;
const M = { left: 56, right: 150, top: 28, bottom: 44 };

export function seriesColor(i: number): string {
  return PALETTE[i % PALETTE.length]!;
}

/** A line chart with a log-scaled x axis (cutoff k) and y from 0 to 1, as a standalone <svg>. */
export function lineChartSvg(title: string, xLabel: string, yLabel: string, series: readonly Series[]): string {
  const xs = series.flatMap((s) => s.points.map((p) => p[0]));
  const xMin = Math.max(1, Math.min(...xs));
  const xMax = Math.max(xMin + 1, ...xs);
  const plotW = W - M.left - M.right;
  const plotH = H - M.top - M.bottom;
  const x = (v: number) => M.left + (Math.log(v / xMin) / Math.log(xMax / xMin)) * plotW;
  const y = (v: number) => M.top + (1 - v) * plotH;
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" class="chart line-chart" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${escapeHtml(title)}">`);
  parts.push(`<text x="${W / 2 - M.right / 2}" y="18" text-anchor="middle" class="chart-title">${escapeHtml(title)}</text>`);
  for (let t = 0; t <= 10; t += 2) {
    const v = t / 10;
    parts.push(`<line x1="${M.left}" x2="${M.left + plotW}" y1="${y(v)}" y2="${y(v)}" stroke="#ddd"/>`);
    parts.push(`<text x="${M.left - 6}" y="${y(v) + 4}" text-anchor="end" class="tick">${v.toFixed(1)}</text>`);
  }
  for (const k of [...new Set(xs)].sort((a, b) => a - b)) {
    parts.push(`<line x1="${x(k)}" x2="${x(k)}" y1="${M.top + plotH}" y2="${M.top + plotH + 4}" stroke="#666"/>`);
    parts.push(`<text x="${x(k)}" y="${M.top + plotH + 16}" text-anchor="middle" class="tick">${k}</text>`);
  }
  parts.push(`<rect x="${M.left}" y="${M.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#666"/>`);
  parts.push(`<text x="${M.left + plotW / 2}" y="${H - 6}" text-anchor="middle" class="axis-label">${escapeHtml(xLabel)}</text>`);
  parts.push(`<text x="14" y="${M.top + plotH / 2}" text-anchor="middle" transform="rotate(-90 14 ${M.top + plotH / 2})" class="axis-label">${escapeHtml(yLabel)}</text>`);
  series.forEach((s, i) => {
    const color = seriesColor(i);
    const d = s.points.map((p, j) => `${j === 0 ? 'M' : 'L'}${x(p[0]).toFixed(1)},${y(p[1]).toFixed(1)}`).join(' ');
    parts.push(`<path class="series" data-series="${escapeHtml(s.name)}" d="${d}" fill="none" stroke="${color}" stroke-width="2"/>`);
    for (const p of s.points) parts.push(`<circle cx="${x(p[0]).toFixed(1)}" cy="${y(p[1]).toFixed(1)}" r="2.5" fill="${color}"><title>${escapeHtml(s.name)} @${p[0]}: ${p[1].toFixed(4)}</title></circle>`);
    const ly = M.top + 12 + i * 18;
    parts.push(`<line x1="${W - M.right + 12}" x2="${W - M.right + 32}" y1="${ly - 4}" y2="${ly - 4}" stroke="${color}" stroke-width="2"/>`);
    parts.push(`<text x="${W - M.right + 36}" y="${ly}" class="legend">${escapeHtml(s.name.length > 18 ? `${s.name.slice(0, 17)}…` : s.name)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('\n');
}

/** Per-query differences (b − a) as sorted bars: above the axis b wins, below a wins. */
export function differenceChartSvg(title: string, diffs: readonly { qid: string; diff: number }[]): string {
  const plotW = W - M.left - 20;
  const plotH = H - M.top - M.bottom;
  const maxAbs = Math.max(1e-9, ...diffs.map((d) => Math.abs(d.diff)));
  const mid = M.top + plotH / 2;
  const barW = diffs.length === 0 ? 0 : plotW / diffs.length;
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" class="chart diff-chart" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${escapeHtml(title)}">`);
  parts.push(`<text x="${W / 2}" y="18" text-anchor="middle" class="chart-title">${escapeHtml(title)}</text>`);
  parts.push(`<text x="${M.left - 6}" y="${M.top + 10}" text-anchor="end" class="tick">+${maxAbs.toFixed(2)}</text>`);
  parts.push(`<text x="${M.left - 6}" y="${mid + 4}" text-anchor="end" class="tick">0</text>`);
  parts.push(`<text x="${M.left - 6}" y="${M.top + plotH}" text-anchor="end" class="tick">−${maxAbs.toFixed(2)}</text>`);
  diffs.forEach((d, i) => {
    const h = (Math.abs(d.diff) / maxAbs) * (plotH / 2);
    const yTop = d.diff >= 0 ? mid - h : mid;
    const color = d.diff > 0 ? '#2ca02c' : d.diff < 0 ? '#d62728' : '#999';
    parts.push(`<rect class="bar" x="${(M.left + i * barW).toFixed(2)}" y="${yTop.toFixed(2)}" width="${Math.max(0.5, barW - 0.5).toFixed(2)}" height="${Math.max(h, 0.5).toFixed(2)}" fill="${color}"><title>${escapeHtml(d.qid)}: ${d.diff >= 0 ? '+' : ''}${d.diff.toFixed(4)}</title></rect>`);
  });
  parts.push(`<line x1="${M.left}" x2="${M.left + plotW}" y1="${mid}" y2="${mid}" stroke="#333"/>`);
  parts.push(`<text x="${M.left + plotW / 2}" y="${H - 6}" text-anchor="middle" class="axis-label">queries, sorted by difference</text>`);
  parts.push('</svg>');
  return parts.join('\n');
}
