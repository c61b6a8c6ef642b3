import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { evaluate } from '../../src/eval/evaluate.js';
import { formatFixed4 } from '../../src/eval/format.js';
import { readQrels } from '../../src/eval/qrels.js';
import { readTrecRun } from '../../src/eval/run.js';

const DATA = 'test/fixtures/data/trec-dl-2019';
const golden = JSON.parse(readFileSync('test/fixtures/goldens/metrics/trec_eval.json', 'utf8')) as {
  runs: Record<string, Record<string, { flags: string; all: Record<string, number>; per_query: Record<string, Record<string, number>> }>>;
};

/** Turns a golden's trec_eval flag string into evaluate() options. */
function optionsFromFlags(flags: string) {
  const words = flags.split(' ');
  const measures: string[] = [];
  let level: number | undefined;
  let maxDepth: number | undefined;
  let complete = false;
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w === '-m') measures.push(words[++i]!);
    else if (w === '-l') level = Number(words[++i]);
    else if (w === '-M') maxDepth = Number(words[++i]);
    else if (w === '-c') complete = true;
    else throw new Error(`unexpected flag ${w}`);
  }
  return { measures, level, maxDepth, complete };
}

/** Both sides as trec_eval prints them: integers as integers, others with %.4f. */
function shown(name: string, v: number): string {
  return name.startsWith('num_') ? String(v) : formatFixed4(v);
}

test('every trec_eval 9.0.8 golden value is reproduced to 4 decimals, per query and mean', async () => {
  const qrels = await readQrels(`${DATA}/qrels.dl19-passage.txt`);
  let checked = 0;
  for (const [runName, flagSets] of Object.entries(golden.runs)) {
    const run = await readTrecRun(`${DATA}/runs/${runName}`);
    for (const [setName, expected] of Object.entries(flagSets)) {
      const result = evaluate(qrels, run, optionsFromFlags(expected.flags));
      const where = `${runName} ${setName}`;
      assert.deepEqual(Object.keys(result.all).sort(), Object.keys(expected.all).sort(), `${where}: measures`);
      for (const [name, v] of Object.entries(expected.all)) {
        assert.equal(shown(name, result.all[name]!), shown(name, v), `${where} all ${name}`);
        checked++;
      }
      assert.deepEqual([...result.perQuery.keys()].sort(), Object.keys(expected.per_query).sort(), `${where}: topics`);
      for (const [qid, values] of Object.entries(expected.per_query)) {
        for (const [name, v] of Object.entries(values)) {
          assert.equal(shown(name, result.perQuery.get(qid)![name]!), shown(name, v), `${where} ${qid} ${name}`);
          checked++;
        }
      }
    }
  }
  assert.ok(checked > 5000, `checked ${checked} values`);
});

test("papers' nDCG@10 on TREC DL 2019: TAS-B 0.7210, BM25 0.5058 (-c -m ndcg_cut.10)", async () => {
  const qrels = await readQrels(`${DATA}/qrels.dl19-passage.txt`);
  for (const [file, expected] of [['run.D_BERT_KD_TASB.dl19.txt', '0.7210'], ['run.BM25.dl19.txt', '0.5058']] as const) {
    const run = await readTrecRun(`${DATA}/runs/${file}`);
    const result = evaluate(qrels, run, { complete: true, measures: ['ndcg_cut.10'] });
    assert.equal(formatFixed4(result.all.ndcg_cut_10!), expected, file);
  }
});
