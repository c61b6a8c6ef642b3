import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { detectCorpusFormat, newCorpusReadStats, readCorpus, readQueries } from '../../src/corpus/index.js';
import { parsePythonStringList } from '../../src/corpus/python-literal.js';
import type { CorpusRecord } from '../../src/corpus/types.js';

const FIX = 'test/fixtures/data';
const tmp = mkdtempSync(join(tmpdir(), 'densekit-corpus-'));

async function all(it: AsyncIterable<CorpusRecord>): Promise<CorpusRecord[]> {
  const out: CorpusRecord[] = [];
  for await (const r of it) out.push(r);
  return out;
}

test('reads the BEIR SciFact corpus: 5,183 docs with titles', async () => {
  assert.equal(await detectCorpusFormat(`${FIX}/scifact/corpus.jsonl`), 'beir');
  const docs = await all(readCorpus(`${FIX}/scifact/corpus.jsonl`));
  assert.equal(docs.length, 5183);
  assert.equal(docs[0]!.id, '4983');
  assert.match(docs[0]!.title!, /^Microstructural development/);
  assert.equal(new Set(docs.map((d) => d.id)).size, 5183);
});

test('reads Pyserini JSONL (docid/text and id/contents), DPR TSV, MS MARCO TSV, and gzip', async () => {
  const dl = await all(readCorpus(`${FIX}/trec-dl-2019/passages.jsonl`));
  assert.equal(dl.length, 10852);
  assert.equal(dl[0]!.id, '1722');
  const pys = join(tmp, 'pys.jsonl');
  writeFileSync(pys, '{"id": "a", "contents": "alpha"}\n{"id": 7, "title": "T", "text": "beta"}\n');
  assert.deepEqual(await all(readCorpus(pys)), [{ id: 'a', text: 'alpha' }, { id: '7', title: 'T', text: 'beta' }]);
  const dpr = join(tmp, 'psgs.tsv');
  writeFileSync(dpr, 'id\ttext\ttitle\n1\t"He said ""hi"""\tAaron\n2\tplain\tB\n');
  assert.deepEqual(await all(readCorpus(dpr)), [{ id: '1', text: 'He said "hi"', title: 'Aaron' }, { id: '2', text: 'plain', title: 'B' }]);
  const ms = join(tmp, 'collection.tsv.gz');
  writeFileSync(ms, gzipSync('0\tThe presence of communication\r\n1\tManhattan Project\r\n'));
  assert.deepEqual(await all(readCorpus(ms)), [{ id: '0', text: 'The presence of communication' }, { id: '1', text: 'Manhattan Project' }]);
});

test('a malformed corpus line stops the run naming file:line; --skip-bad counts it', async () => {
  const bad = join(tmp, 'bad.jsonl');
  writeFileSync(bad, '{"_id": "1", "title": "", "text": "ok"}\n{"_id": "2", "text": \n{"_id": "3", "title": "", "text": "ok"}\n');
  await assert.rejects(all(readCorpus(bad)), (e: Error) => e.message.startsWith(`${bad}:2: not valid JSON`));
  const stats = newCorpusReadStats();
  const docs = await all(readCorpus(bad, { skipBad: true, stats }));
  assert.deepEqual(docs.map((d) => d.id), ['1', '3']);
  assert.equal(stats.skipped, 1);
  assert.match(stats.skippedExamples[0]!, /bad\.jsonl:2:/);
});

test('reads query files: TSV topics, BEIR queries, DPR QA with CRLF, CuratedTREC JSONL', async () => {
  const dl = await readQueries(`${FIX}/trec-dl-2019/topics.dl19-passage.txt`);
  assert.equal(dl.length, 43);
  assert.deepEqual(dl[0], { id: '156493', text: 'do goldfish grow' });
  const beir = await readQueries(`${FIX}/scifact/queries.jsonl`);
  assert.equal(beir.length, 300);
  const nq = await readQueries(`${FIX}/dpr-qa/topics.dpr.nq.test.txt`);
  assert.equal(nq.length, 3610);
  // DPR QA questions are numbered from 0, as Pyserini numbers its DPR topics.
  assert.deepEqual(nq[0], { id: '0', text: 'who got the first nobel prize in physics', answers: ['Wilhelm Conrad Röntgen'] });
  assert.equal(nq[3609]!.id, '3609');
  const curated = await readQueries(`${FIX}/dpr-qa/topics.dpr.curated.test.txt`);
  assert.equal(curated[0]!.text, 'How tall is Mount McKinley?');
  assert.equal(curated[0]!.answers!.length, 1);
  assert.deepEqual(curated.slice(0, 2).map((q) => q.id), ['0', '1']);
});

test('DPR QA JSON lines are numbered from 0 too, blank lines skipped; their own "id" wins', async () => {
  const qa = join(tmp, 'qa.jsonl');
  writeFileSync(qa, '{"question": "who wrote hamlet", "answers": ["Shakespeare"]}\n\n{"question": "capital of france", "answer": ["Paris"]}\n{"question": "q", "answers": [], "id": "own-7"}\n');
  assert.deepEqual(await readQueries(qa), [
    { id: '0', text: 'who wrote hamlet', answers: ['Shakespeare'] },
    { id: '1', text: 'capital of france', answers: ['Paris'] },
    { id: 'own-7', text: 'q', answers: [] },
  ]);
});

test('a query file in no known format lists the formats tried', async () => {
  const odd = join(tmp, 'odd.txt');
  writeFileSync(odd, 'a\tb\tc\n');
  await assert.rejects(readQueries(odd), /unknown query file format; tried tsv .*beir .*dpr-qa .*jsonl/);
});

test('parses Python answer lists with both quote styles and escapes', () => {
  assert.deepEqual(parsePythonStringList(`['a', "b's", 'c\\'d', '\\u00e9']`), ['a', "b's", "c'd", 'é']);
  assert.deepEqual(parsePythonStringList('[]'), []);
  assert.throws(() => parsePythonStringList("['a' 'b']"), /expected ',' or ']'/);
});
