import { test } from 'node:test';
import assert from 'node:assert/strict';
import { highlightRuns } from '../../src/server/highlight.js';

const marked = (text: string, query: string): string =>
  highlightRuns(text, query).map((r) => (r.mark ? `[${r.text}]` : r.text)).join('');

test('query words are marked as whole words, case-insensitively', () => {
  assert.equal(marked('Vitamin D and vitamins in VITAMIN-rich food', 'vitamin food'), '[Vitamin] D and vitamins in [VITAMIN]-rich [food]');
});

test('function words of the query are not marked', () => {
  assert.equal(marked('the role of the cell', 'the role of cells'), 'the [role] of the cell');
});

test('runs cover the text exactly, and markup stays literal text', () => {
  const text = '<img src=x onerror=alert(1)> script & <b>bold</b> Zürich café';
  const runs = highlightRuns(text, 'script bold zürich');
  assert.equal(runs.map((r) => r.text).join(''), text);
  assert.deepEqual(runs.filter((r) => r.mark).map((r) => r.text), ['script', 'bold', 'Zürich']);
});

test('no query terms: one unmarked run; empty text: no runs', () => {
  assert.deepEqual(highlightRuns('some text', '   '), [{ text: 'some text', mark: false }]);
  assert.deepEqual(highlightRuns('', 'query'), []);
});

test('the function survives being shipped as source text (the search page does that)', () => {
  const shipped = new Function(`${highlightRuns.toString()}; return highlightRuns;`)() as typeof highlightRuns;
  assert.deepEqual(shipped('Cell death in cells', 'cell'), highlightRuns('Cell death in cells', 'cell'));
});
