// The searcher conformance suite: the same checks against every searcher densekit has, that is every
// registered index engine (over each stored dtype) and BM25. An engine registered later gets it with
// no change here (see conformance/engine-fixtures.ts for engines that need a server or parameters).
// Each index is searched three ways, as users do: the library (openIndex), the CLI and POST /search.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CorpusRecord } from '../../src/corpus/types.js';
import { Encoder } from '../../src/encoder/encoder.js';
import { registeredEngines } from '../../src/index/engines/registry.js';
import { Index } from '../../src/index/dense-index.js';
import { VECTOR_DTYPES } from '../../src/index/formats/manifest.js';
import { openIndex, type OpenedIndex } from '../../src/index/open-index.js';
import type { Hit, QueryHits } from '../../src/results/hits.js';
import { startServer, type RunningServer } from '../../src/server/index.js';
import { buildBm25FromCorpus } from '../../src/sparse/build-bm25-from-corpus.js';
import { fixtureFor } from './conformance/engine-fixtures.js';
import { BERT_TINY, scifactRecords } from '../server/fixture-index.js';

const CLI = 'dist/src/cli/main.js';

// Three passages with the same title and text score the same for any query: a tie group. Their ids
// sort "tie-a" < "tie-b" < "tie-c" in bytes, so trec_eval's order lists them c, b, a.
const TIE_TEXT = 'Vitamin C deficiency causes scurvy in sailors on long voyages.';
const TIES: CorpusRecord[] = ['tie-b', 'tie-a', 'tie-c'].map((id) => ({ id, title: 'Scurvy', text: TIE_TEXT }));
const RECORDS: CorpusRecord[] = [...scifactRecords(40), ...TIES];
const COUNT = RECORDS.length;
const QUERIES = [
  { id: 'q1', text: '0-dimensional biomaterials show inductive properties.' },
  { id: 'q2', text: 'A deficiency of vitamin B12 increases blood levels of homocysteine.' },
  { id: 'q3', text: 'scurvy vitamin deficiency' },
  { id: 'q4', text: TIE_TEXT },
  { id: 'q5', text: 'ALDH1 expression is associated with poorer prognosis for breast cancer primary tumors.' },
];

interface Target {
  readonly name: string;
  /** Dense engines over stored vectors can be checked against the reference engine on the same rows. */
  readonly storedVectors: boolean;
  /** Exact searchers list every document at k = count; approximate ones may miss some. */
  readonly exact: boolean;
  /** undefined when it can run; else why not. */
  readonly unavailable: () => Promise<string | undefined>;
  readonly build: (dir: string) => Promise<void>;
  /** Search-time parameters (library and server) and the same as CLI flags. */
  readonly searchParams?: Readonly<Record<string, number>>;
  readonly cliArgs?: readonly string[];
  /** An approximate engine whose hits carry exact scores (rescored). */
  readonly exactScores?: boolean;
  readonly setUp?: () => Promise<void>;
  readonly tearDown?: () => Promise<void>;
}

let tmp: string;
let encoder: Encoder;

function targets(): Target[] {
  const out: Target[] = [];
  for (const engine of registeredEngines()) {
    const fixture = fixtureFor(engine.kind);
    for (const dtype of fixture.dtypes ?? VECTOR_DTYPES) for (const variant of [undefined, ...(fixture.searchVariants ?? [])]) {
      out.push({
        name: `${engine.kind} ${dtype}${variant ? ` ${variant.name}` : ''}`,
        ...(variant ? { searchParams: variant.searchParams, cliArgs: variant.cliArgs, exactScores: variant.exactScores === true } : {}),
        exact: engine.exact,
        storedVectors: engine.storage === 'local',
        unavailable: () => fixture.available(),
        build: async (dir) => {
          await Index.build({ encoder, records: RECORDS, outDir: dir, index: fixture.spec?.() ?? engine.kind, dtype, shardSize: 16 });
        },
        ...(fixture.setUp ? { setUp: () => fixture.setUp!() } : {}),
        ...(fixture.tearDown ? { tearDown: () => fixture.tearDown!() } : {}),
      });
    }
  }
  out.push({
    name: 'bm25',
    exact: true,
    storedVectors: false,
    unavailable: async () => undefined,
    build: async (dir) => {
      const corpus = join(tmp, 'bm25-corpus.jsonl');
      writeFileSync(corpus, RECORDS.map((r) => JSON.stringify({ _id: r.id, title: r.title, text: r.text })).join('\n') + '\n');
      await buildBm25FromCorpus({ corpusPath: corpus, outDir: dir, fields: 'flat' });
    },
  });
  return out;
}

/** score descending, then docid descending in byte order: trec_eval's order. */
function assertTrecOrder(hits: readonly Hit[], what: string): void {
  for (let i = 1; i < hits.length; i++) {
    const a = hits[i - 1]!, b = hits[i]!;
    const ok = a.score > b.score || (a.score === b.score && Buffer.compare(Buffer.from(a.docid), Buffer.from(b.docid)) > 0);
    assert.ok(ok, `${what}: hit ${i - 1} (${a.docid} ${a.score}) must come after hit ${i} (${b.docid} ${b.score})`);
  }
  assert.equal(new Set(hits.map((h) => h.docid)).size, hits.length, `${what}: a docid is listed twice`);
}

const plain = (r: QueryHits) => r.hits.map((h) => [h.docid, h.score] as const);

/** `densekit search` over the index with the target's search flags, then `args`. */
function cliRun(dir: string, searchFlags: readonly string[], args: string[]): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(process.execPath, [CLI, 'search', '--index', dir, '--threads', '1', ...searchFlags, ...args], { encoding: 'utf8' });
}

/** Hits per query id from a TREC run (scores are printed as JS prints them, so they compare exactly). */
function parseRun(text: string): Map<string, [string, number][]> {
  const out = new Map<string, [string, number][]>();
  for (const line of text.split('\n')) {
    if (!line) continue;
    const [qid, , docid, , score] = line.split(' ');
    if (!out.has(qid!)) out.set(qid!, []);
    out.get(qid!)!.push([docid!, Number(score)]);
  }
  return out;
}

before(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'densekit-conformance-'));
  encoder = await Encoder.load(BERT_TINY, { threads: 1 });
});
after(async () => {
  await encoder?.dispose();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

for (const target of targets()) {
  describe(`searcher conformance: ${target.name}`, () => {
    let dir: string;
    let opened: OpenedIndex;
    let server: RunningServer | undefined;
    let skip: string | undefined;

    before(async () => {
      skip = await target.unavailable();
      if (skip) return;
      await target.setUp?.();
      dir = join(tmp, target.name.replace(/\W+/g, '-'));
      await target.build(dir);
      const searchParams = target.searchParams ? { searchParams: target.searchParams } : {};
      opened = await openIndex(dir, { threads: 1, ...searchParams });
      server = await startServer({ indexDir: dir, port: 0, threads: 1, limits: { maxK: 100 }, ...searchParams });
    });
    after(async () => {
      await server?.close();
      await opened?.close();
      await target.tearDown?.();
    });

    // `skip` is known only after `before`, so each test checks it and skips itself with the reason.
    const it = (name: string, fn: (t: { skip(reason: string): void }) => Promise<void>) =>
      test(name, async (t) => {
        if (skip) {
          t.skip(`${target.name} unavailable: ${skip}`);
          return;
        }
        await fn(t);
      });

    it('one query answers exactly as the same query inside a batch', async () => {
      const batch = await opened.searcher.search(QUERIES, 10);
      assert.equal(batch.length, QUERIES.length);
      for (const [i, q] of QUERIES.entries()) {
        const [alone] = await opened.searcher.search([q], 10);
        assert.equal(alone!.qid, q.id);
        assert.deepEqual(plain(alone!), plain(batch[i]!), `query ${q.id}`);
        assertTrecOrder(alone!.hits, `query ${q.id}`);
      }
    });

    it('k = 1 and k = 5 are prefixes of k = count; k = count lists every match once; k > count equals k = count', async () => {
      const all = await opened.searcher.search(QUERIES, COUNT);
      const more = await opened.searcher.search(QUERIES, COUNT + 7);
      const one = await opened.searcher.search(QUERIES, 1);
      const five = await opened.searcher.search(QUERIES, 5);
      for (const [i, q] of QUERIES.entries()) {
        const hits = all[i]!.hits;
        assertTrecOrder(hits, `query ${q.id}, k = count`);
        // Exact dense engines score every document; BM25 lists the documents that share a term with the query.
        if (opened.kind === 'dense' && target.exact) assert.equal(hits.length, COUNT, `query ${q.id}: k = count lists every document`);
        assert.ok(hits.length <= COUNT);
        assert.deepEqual(plain(more[i]!), plain(all[i]!), `query ${q.id}: k > count`);
        assert.deepEqual(plain(one[i]!), plain(all[i]!).slice(0, 1), `query ${q.id}: k = 1`);
        assert.deepEqual(plain(five[i]!), plain(all[i]!).slice(0, 5), `query ${q.id}: k = 5`);
      }
    });

    it('exact engines give the reference engine\'s hits and scores over the same stored vectors; approximate ones find most of them', async () => {
      if (!target.storedVectors) return;
      const reference = await openIndex(dir, { threads: 1, engine: 'reference' });
      try {
        const want = await reference.searcher.search(QUERIES, 10);
        const got = await opened.searcher.search(QUERIES, 10);
        if (target.exact) {
          for (const [i, q] of QUERIES.entries()) assert.deepEqual(plain(got[i]!), plain(want[i]!), `query ${q.id}`);
        } else {
          let found = 0;
          got.forEach((r, i) => {
            const ids = new Set(want[i]!.hits.map((h) => h.docid));
            found += r.hits.filter((h) => ids.has(h.docid)).length;
          });
          assert.ok(found / (10 * QUERIES.length) >= 0.8, `recall@10 against the reference engine: ${found / (10 * QUERIES.length)}`);
          if (target.exactScores) {
            // Rescored hits carry the reference engine's exact scores of the stored vectors, bit for bit.
            const all = await reference.searcher.search(QUERIES, COUNT);
            for (const [i, q] of QUERIES.entries()) {
              const exact = new Map(all[i]!.hits.map((h) => [h.docid, h.score]));
              for (const h of got[i]!.hits) assert.equal(h.score, exact.get(h.docid), `query ${q.id}, ${h.docid}`);
            }
          }
        }
      } finally {
        await reference.close();
      }
    });

    it('k = 0 is refused the same way by the library, the CLI and the server', async () => {
      await assert.rejects(opened.searcher.search(QUERIES.slice(0, 1), 0), /k must be a positive integer, got 0/);
      const cli = cliRun(dir, target.cliArgs ?? [], ['--query', 'x', '--k', '0']);
      assert.notEqual(cli.status, 0);
      assert.match(cli.stderr, /--k.*positive integer/);
      const res = await fetch(`${server!.url}/search`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: 'x', k: 0 }) });
      assert.equal(res.status, 400);
    });

    it('tied scores are ordered by docid descending, also where the cut at k falls inside the tie', async () => {
      const [all] = await opened.searcher.search([{ id: 'tie', text: TIE_TEXT }], COUNT);
      const tied = all!.hits.filter((h) => h.docid.startsWith('tie-'));
      assert.deepEqual(tied.map((h) => h.docid), ['tie-c', 'tie-b', 'tie-a']);
      assert.ok(tied.every((h) => h.score === tied[0]!.score), `tied passages score alike: ${tied.map((h) => h.score).join(', ')}`);
      const first = all!.hits.findIndex((h) => h.docid === 'tie-c');
      const [cut] = await opened.searcher.search([{ id: 'tie', text: TIE_TEXT }], first + 2);
      assert.deepEqual(cut!.hits.slice(first).map((h) => h.docid), ['tie-c', 'tie-b']);
    });

    it('an empty query is answered (in trec_eval order) the same by the library and the CLI; the server refuses it with 400', async () => {
      const [lib] = await opened.searcher.search([{ id: '0', text: '' }], 10);
      assert.ok(lib!.hits.length <= 10);
      assertTrecOrder(lib!.hits, 'empty query');
      const cli = cliRun(dir, target.cliArgs ?? [], ['--query', '', '--k', '10']);
      assert.equal(cli.status, 0, cli.stderr);
      assert.deepEqual(parseRun(cli.stdout).get('0') ?? [], plain(lib!));
      const res = await fetch(`${server!.url}/search`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '', k: 10 }) });
      assert.equal(res.status, 400);
    });

    it('the library, the CLI (--query and --queries) and POST /search (one query and a batch) give the same hits', async () => {
      const lib = await opened.searcher.search(QUERIES, 10);
      const queriesFile = join(tmp, 'queries.tsv');
      writeFileSync(queriesFile, QUERIES.map((q) => `${q.id}\t${q.text}\n`).join(''));
      const many = cliRun(dir, target.cliArgs ?? [], ['--queries', queriesFile, '--k', '10']);
      assert.equal(many.status, 0, many.stderr);
      const run = parseRun(many.stdout);
      const single = cliRun(dir, target.cliArgs ?? [], ['--query', QUERIES[1]!.text, '--k', '10']);
      assert.equal(single.status, 0, single.stderr);
      assert.deepEqual(parseRun(single.stdout).get('0'), plain(lib[1]!), 'CLI --query');
      const post = async (body: unknown) => {
        const res = await fetch(`${server!.url}/search`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
        assert.equal(res.status, 200, await res.clone().text());
        return ((await res.json()) as { results: { hits: { docid: string; score: number }[] }[] }).results;
      };
      const batch = await post({ queries: QUERIES.map((q) => q.text), k: 10 });
      for (const [i, q] of QUERIES.entries()) {
        const want = plain(lib[i]!);
        assert.deepEqual(run.get(q.id) ?? [], want, `CLI --queries, query ${q.id}`);
        const [one] = await post({ query: q.text, k: 10 });
        assert.deepEqual(one!.hits.map((h) => [h.docid, h.score]), want, `POST /search one query, ${q.id}`);
        assert.deepEqual(batch[i]!.hits.map((h) => [h.docid, h.score]), want, `POST /search batch, ${q.id}`);
      }
    });
  });
}
