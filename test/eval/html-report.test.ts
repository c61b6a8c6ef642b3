import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { evaluate } from '../../src/eval/evaluate.js';
import { readQrels } from '../../src/eval/qrels.js';
import { readTrecRun } from '../../src/eval/run.js';
import { qrelsReportInput } from '../../src/eval/report/build-report.js';
import { renderHtmlReport } from '../../src/eval/report/html-report.js';
import { BROWSER_TEST, launchChromium } from '../support/browser.js';

const DATA = 'test/fixtures/data/trec-dl-2019';

async function buildReport(): Promise<string> {
  const qrels = await readQrels(`${DATA}/qrels.dl19-passage.txt`);
  const options = { complete: true, measures: ['ndcg_cut.10', 'map', 'recall.100'] };
  const runs = [
    { name: 'BM25', run: await readTrecRun(`${DATA}/runs/run.BM25.dl19.txt`) },
    { name: 'TAS-B', run: await readTrecRun(`${DATA}/runs/run.D_BERT_KD_TASB.dl19.txt`) },
  ];
  const tables = runs.map((r) => evaluate(qrels, r.run, options));
  return renderHtmlReport(qrelsReportInput(qrels, runs, tables, options, ['TREC DL 2019, -c']));
}

test('the HTML report is self-contained: no scripts, links or external URLs', async () => {
  const html = await buildReport();
  assert.doesNotMatch(html, /<script|<link|<img|src=|@import|url\(/i);
  assert.doesNotMatch(html, /https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
});

test('headless Chromium renders the report table and SVG plots', BROWSER_TEST, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'densekit-report-'));
  const path = join(dir, 'report.html');
  writeFileSync(path, await buildReport());
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    const requested: string[] = [];
    page.on('request', (r) => requested.push(r.url()));
    await page.goto(pathToFileURL(path).href);
    // Only the page itself is loaded: no external assets.
    assert.deepEqual(requested, [pathToFileURL(path).href]);

    const rows = page.locator('#metrics tbody tr');
    assert.equal(await rows.count(), 2);
    assert.deepEqual(await page.locator('#metrics thead th').allTextContents(), ['run', 'map', 'recall_100', 'ndcg_cut_10']);
    const tasb = (await rows.nth(1).locator('td').allTextContents()).map((s) => s.trim());
    assert.equal(tasb[0], 'TAS-B');
    assert.ok(tasb.includes('0.7210'), `TAS-B row: ${tasb.join(' | ')}`);
    assert.ok((await rows.nth(0).locator('td').allTextContents()).includes('0.5058'));

    // Two line charts (recall@k, accuracy@k), each with one drawn path per run.
    const lineCharts = page.locator('svg.line-chart');
    assert.equal(await lineCharts.count(), 2);
    for (let i = 0; i < 2; i++) {
      const chartBox = await lineCharts.nth(i).boundingBox();
      assert.ok(chartBox && chartBox.width > 300 && chartBox.height > 150, 'chart laid out');
      const paths = lineCharts.nth(i).locator('path.series');
      assert.equal(await paths.count(), 2);
      for (let j = 0; j < 2; j++) {
        const box = await paths.nth(j).boundingBox();
        assert.ok(box && box.width > 100, `series ${j} of chart ${i} is drawn`);
      }
    }
    // The per-query comparison: one bar per query and a wins/losses summary.
    assert.equal(await page.locator('svg.diff-chart rect.bar').count(), 43);
    const summary = await page.locator('.comparison .summary').textContent();
    assert.match(summary ?? '', /\d+ wins, \d+ losses, \d+ ties over 43 queries/);
    const png = await page.screenshot({ fullPage: true });
    assert.ok(png.length > 10_000);
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

