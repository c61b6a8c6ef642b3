// The search page served at `/`: one self-contained HTML document (inline CSS and JS, no external
// assets), so it works offline and behind any proxy. It reads /info and posts to /search; ?q= and k=
// in its URL run a search on load.
import { createHash } from 'node:crypto';
import { highlightRuns } from './highlight.js';

const STYLE = `
:root { color-scheme: light dark; --fg: #1d1f23; --muted: #667; --bg: #fff; --card: #f6f7f9; --mark: #ffe58a; --accent: #2b59c3; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6e6e6; --muted: #99a; --bg: #16181c; --card: #1f2228; --mark: #7a5c00; --accent: #8fb0ff; } }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, sans-serif; color: var(--fg); background: var(--bg); }
main { max-width: 860px; margin: 0 auto; padding: 24px 16px 64px; }
h1 { font-size: 22px; margin: 0 0 4px; }
#info { color: var(--muted); font-size: 13px; margin-bottom: 16px; }
form { display: flex; gap: 8px; }
#q { flex: 1; font: inherit; padding: 8px 10px; border: 1px solid var(--muted); border-radius: 6px; background: var(--bg); color: var(--fg); }
#k { width: 72px; font: inherit; padding: 8px; border: 1px solid var(--muted); border-radius: 6px; background: var(--bg); color: var(--fg); }
button { font: inherit; padding: 8px 16px; border: 0; border-radius: 6px; background: var(--accent); color: #fff; cursor: pointer; }
#status { color: var(--muted); font-size: 13px; min-height: 20px; margin: 12px 0; }
#status.error { color: #c62828; }
ol { list-style: none; padding: 0; margin: 0; }
.hit { background: var(--card); border-radius: 8px; padding: 12px 14px; margin-bottom: 10px; }
.meta { font-size: 12px; color: var(--muted); display: flex; gap: 12px; }
.score { font-variant-numeric: tabular-nums; }
.title { font-weight: 600; margin: 4px 0; }
.text { margin: 0; white-space: pre-wrap; overflow-wrap: anywhere; }
mark { background: var(--mark); color: inherit; padding: 0 1px; border-radius: 2px; }
`;

// Runs in the browser. `highlightRuns` is prepended from its compiled source (see below).
const SCRIPT_BODY = `
const $ = (id) => document.getElementById(id);
const status = (text, isError) => { $('status').textContent = text; $('status').className = isError ? 'error' : ''; };
const el = (tag, cls, text) => { const e = document.createElement(tag); if (cls) e.className = cls; if (text !== undefined) e.textContent = text; return e; };

function fillHighlighted(parent, text, query) {
  for (const run of highlightRuns(text, query)) {
    parent.appendChild(run.mark ? el('mark', '', run.text) : document.createTextNode(run.text));
  }
  return parent;
}

async function readError(res) {
  try { const body = await res.json(); return body.message || res.statusText; } catch { return res.status + ' ' + res.statusText; }
}

async function loadInfo() {
  const res = await fetch('info', { headers: { accept: 'application/json' } });
  if (!res.ok) { $('info').textContent = 'index info unavailable: ' + (await readError(res)); return; }
  const info = await res.json();
  const parts = ['model ' + info.model + (info.revision ? '@' + info.revision : '')];
  if (info.preset) parts.push('preset ' + info.preset);
  parts.push(info.count.toLocaleString() + (info.dims ? ' vectors' : ' documents'));
  if (info.dims) parts.push(info.dims + ' dims');
  parts.push(info.indexType + ' index');
  if (info.dtype) parts.push(info.dtype);
  if (info.similarity) parts.push(info.similarity);
  if (!info.storesText) parts.push('no stored text');
  $('info').textContent = parts.join(' · ');
  $('k').max = String(info.limits.maxK);
}

// The query and k live in the URL (?q=...&k=...), so a search can be linked and bookmarked, and the
// back button returns to the previous search.
function formState() {
  return { query: $('q').value, k: Number($('k').value) || 10 };
}

function stateUrl(query, k) {
  return '?' + new URLSearchParams({ q: query, k: String(k) }).toString();
}

function onSubmit(event) {
  event.preventDefault();
  const { query, k } = formState();
  if (query.trim() === '') { status('Type a query.', true); return; }
  const url = stateUrl(query, k);
  if (location.search !== url) history.pushState(null, '', url);
  search(query, k);
}

function fromUrl() {
  const params = new URLSearchParams(location.search);
  const query = params.get('q') || '';
  $('q').value = query;
  if (params.get('k')) $('k').value = params.get('k');
  if (query.trim() !== '') search(query, formState().k);
  else { $('results').replaceChildren(); status(''); }
}

async function search(query, k) {
  status('Searching…');
  const started = performance.now();
  let res;
  try {
    res = await fetch('search', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, k }) });
  } catch (err) { status('Request failed: ' + err.message, true); return; }
  if (!res.ok) { status('Error ' + res.status + ': ' + (await readError(res)), true); return; }
  const body = await res.json();
  const roundTrip = performance.now() - started;
  const hits = body.results[0].hits;
  const list = $('results');
  list.replaceChildren();
  hits.forEach((hit, i) => {
    const item = el('li', 'hit');
    const meta = el('div', 'meta');
    meta.append(el('span', 'rank', '#' + (i + 1)), el('span', 'docid', hit.docid), el('span', 'score', 'score ' + hit.score.toFixed(4)));
    item.appendChild(meta);
    if (hit.title) item.appendChild(fillHighlighted(el('div', 'title'), hit.title, query));
    if (hit.text !== undefined) item.appendChild(fillHighlighted(el('p', 'text'), hit.text, query));
    list.appendChild(item);
  });
  status(hits.length + ' results · ' + roundTrip.toFixed(1) + ' ms round trip · ' + body.tookMs.toFixed(1) + ' ms on the server');
  $('latency').textContent = roundTrip.toFixed(1);
}

$('form').addEventListener('submit', onSubmit);
window.addEventListener('popstate', fromUrl);
fromUrl();
loadInfo().catch((err) => { $('info').textContent = 'index info unavailable: ' + err.message; });
`;

const SCRIPT = `"use strict";\n${highlightRuns.toString()}\n${SCRIPT_BODY}`;

const sha256 = (s: string): string => createHash('sha256').update(s, 'utf8').digest('base64');

/** The page's Content-Security-Policy: only its own inline script and style, and fetches to itself. */
export const SEARCH_PAGE_CSP = [
  "default-src 'none'",
  `script-src 'sha256-${sha256(SCRIPT)}'`,
  `style-src 'sha256-${sha256(STYLE)}'`,
  "connect-src 'self'",
  "img-src data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

// Relative URLs ('info', 'search') keep the page working when a proxy serves it under a path prefix.
export const SEARCH_PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>densekit search</title>
<link rel="icon" href="data:,">
<style>${STYLE}</style>
</head>
<body>
<main>
<h1>densekit search</h1>
<div id="info">loading index info…</div>
<form id="form" role="search">
<input id="q" type="search" name="q" placeholder="Search the index" autocomplete="off" autofocus aria-label="query">
<input id="k" type="number" min="1" value="10" aria-label="number of results">
<button type="submit">Search</button>
</form>
<div id="status" role="status"></div>
<span id="latency" hidden></span>
<ol id="results"></ol>
</main>
<script>${SCRIPT}</script>
</body>
</html>
`;
