// The search page in headless Chromium (Debian's, via test/support/browser.ts): type a query, see
// highlighted results, model info and latency, with passage markup shown as text, never run.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Browser, Page } from 'playwright-core';
import { startServer, type RunningServer } from '../../src/server/index.js';
import { BROWSER_TEST, launchChromium } from '../support/browser.js';
import { buildFixtureIndex, scifactRecords } from './fixture-index.js';

const MARKUP_DOC = {
  id: 'markup-1',
  title: 'Vitamin <b>bold</b> claims',
  text: 'Vitamin deficiency <img src=x onerror="window.__pwned = 1"> and <script>window.__pwned = 2</script> cells.',
};
const RECORDS = [...scifactRecords(60), MARKUP_DOC];

let dir: string;
let server: RunningServer;
let browser: Browser;

before(async () => {
  dir = await buildFixtureIndex(RECORDS);
  server = await startServer({ indexDir: dir, port: 0, threads: 1 });
  if (!BROWSER_TEST.skip) browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.close();
  if (dir) rmSync(dirname(dir), { recursive: true, force: true });
});

test('search page: type a query, get results with highlighted terms, scores, info and latency', BROWSER_TEST, async () => {
  const page = await browser.newPage();
  const problems: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(msg.text());
  });
  page.on('pageerror', (err) => problems.push(err.message));
  page.on('dialog', (d) => {
    problems.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  const external: string[] = [];
  page.on('request', (req) => {
    if (!req.url().startsWith(server.url)) external.push(req.url());
  });

  await page.goto(`${server.url}/`);
  await page.waitForFunction("document.getElementById('info').textContent.includes('vectors')");
  const info = await page.textContent('#info');
  assert.match(info!, /model test\/fixtures\/goldens\/models\/bert-tiny/);
  assert.match(info!, /61 vectors · 32 dims · flat index/);

  // k = every document, so the markup passage is surely among the results whatever bert-tiny ranks first.
  await page.fill('#k', String(RECORDS.length));
  await page.fill('#q', 'vitamin deficiency cells');
  await page.press('#q', 'Enter');
  await page.waitForSelector('#results .hit');

  const hits = await page.$$eval('#results .hit', (items) =>
    items.map((li) => ({
      docid: li.querySelector('.docid')!.textContent!,
      score: li.querySelector('.score')!.textContent!,
      title: li.querySelector('.title')?.textContent ?? null,
      text: li.querySelector('.text')?.textContent ?? null,
      marks: [...li.querySelectorAll('mark')].map((m) => m.textContent!.toLowerCase()),
      elements: [...li.querySelectorAll('.title *, .text *')].map((e) => e.tagName.toLowerCase()),
    })),
  );
  assert.equal(hits.length, RECORDS.length);
  for (const hit of hits) {
    assert.match(hit.score, /^score -?\d+\.\d{4}$/);
    assert.ok(hit.elements.every((tag) => tag === 'mark'), `only <mark> elements inside passages, got ${hit.elements.join(',')}`);
    for (const m of hit.marks) assert.ok(['vitamin', 'deficiency', 'cells'].includes(m), `unexpected mark "${m}"`);
  }
  assert.ok(hits.some((h) => h.marks.length > 0), 'some passage has highlighted query terms');

  // Markup in passage text is shown literally and never executed.
  const markup = hits.find((h) => h.docid === MARKUP_DOC.id)!;
  assert.equal(markup.title, MARKUP_DOC.title);
  assert.equal(markup.text, MARKUP_DOC.text);
  assert.deepEqual(markup.marks, ['vitamin', 'vitamin', 'deficiency', 'cells']);
  assert.equal(await page.evaluate('window.__pwned'), undefined);

  const status = await page.textContent('#status');
  assert.match(status!, new RegExp(`^${RECORDS.length} results · \\d+\\.\\d ms round trip · \\d+\\.\\d ms on the server$`));
  await page.screenshot({ path: `${dirname(dir)}/search-page.png` });
  if (process.env.DENSEKIT_KEEP_SCREENSHOT) await page.screenshot({ path: process.env.DENSEKIT_KEEP_SCREENSHOT, fullPage: false });

  assert.deepEqual(problems, []);
  assert.deepEqual(external, [], 'the page loads nothing from outside the server');
  await page.close();
});

test('search page: a server error is shown to the user, not swallowed', BROWSER_TEST, async () => {
  const page = await browser.newPage();
  await page.goto(`${server.url}/`);
  await page.waitForFunction("document.getElementById('info').textContent.includes('vectors')");
  await page.fill('#q', 'long '.repeat(500)); // over maxQueryLength (2048)
  await page.press('#q', 'Enter');
  await page.waitForSelector('#status.error');
  assert.equal(await page.textContent('#status'), 'Error 400: "query" is longer than 2048 characters');
  await page.close();
});

/** Waits (polling from the test, as the page's CSP forbids evaluated strings) until the form holds `query` and `count` results show. */
async function pageShows(page: Page, query: string, count: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if ((await page.inputValue('#q')) === query && (await page.locator('#results .hit').count()) === count) return;
    await sleep(25);
  }
  assert.fail(`the page never showed ${count} results for ${JSON.stringify(query)} (has ${JSON.stringify(await page.inputValue('#q'))})`);
}

test('search page: ?q= and k in the URL run a search; searching writes them; the back button returns to the previous search', BROWSER_TEST, async () => {
  const page = await browser.newPage();
  const searches: string[] = [];
  page.on('request', (req) => {
    if (req.url().endsWith('/search')) searches.push(req.postData() ?? '');
  });
  // A linked search: the page fills the form from the URL and searches on load.
  await page.goto(`${server.url}/?q=${encodeURIComponent('vitamin deficiency')}&k=3`);
  await pageShows(page, 'vitamin deficiency', 3);
  assert.equal(await page.inputValue('#q'), 'vitamin deficiency');
  assert.equal(await page.inputValue('#k'), '3');
  assert.deepEqual(JSON.parse(searches[0]!), { query: 'vitamin deficiency', k: 3 });

  // A new search from the form goes into the URL (a new history entry).
  await page.fill('#q', 'stem cells');
  await page.fill('#k', '5');
  await page.press('#q', 'Enter');
  await pageShows(page, 'stem cells', 5);
  const url = new URL(page.url());
  assert.equal(url.searchParams.get('q'), 'stem cells');
  assert.equal(url.searchParams.get('k'), '5');

  // Back: the previous query, k and results come back.
  await page.goBack();
  await pageShows(page, 'vitamin deficiency', 3);
  assert.equal(new URL(page.url()).searchParams.get('q'), 'vitamin deficiency');
  // Forward again: the later search comes back.
  await page.goForward();
  await pageShows(page, 'stem cells', 5);
  assert.equal(searches.length, 4);
  await page.close();
});
