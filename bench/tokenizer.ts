// Tokenizer throughput on the BEIR SciFact corpus (5,183 passages, title + " " + text, no truncation,
// then again as (title, text) pairs truncated to 256). "cold" starts from an empty word cache, "warm"
// repeats the same texts. Prints markdown table rows.
// Python peers (transformers' slow and fast BertTokenizer) run in the same command when PYTHON (default
// /tmp/stvenv/bin/python) has transformers.
// Run: npx tsc -p . && node dist/bench/tokenizer.js [rounds]
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Tokenizer } from '../src/tokenizer/tokenizer.js';

const DIR = 'test/fixtures/goldens/tokenizer/bert-base-uncased';
const rounds = Number(process.argv[2] ?? 3);

const docs = readFileSync('test/fixtures/data/scifact/corpus.jsonl', 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => JSON.parse(l) as { title: string; text: string });

function run(label: string, encodeAll: (tok: Tokenizer) => number): void {
  let best = { cold: Infinity, warm: Infinity };
  let tokens = 0;
  for (let r = 0; r < rounds; r++) {
    const tok = Tokenizer.fromVocab(readFileSync(`${DIR}/vocab.txt`, 'utf8'));
    let t0 = performance.now();
    tokens = encodeAll(tok);
    const cold = performance.now() - t0;
    t0 = performance.now();
    encodeAll(tok);
    const warm = performance.now() - t0;
    best = { cold: Math.min(best.cold, cold), warm: Math.min(best.warm, warm) };
  }
  const row = (kind: string, ms: number) =>
    `| tokenizer ${label}, ${kind} cache | ${docs.length} texts, ${tokens} tokens | ${(docs.length / (ms / 1000)).toFixed(0)} texts/s | ${(tokens / (ms / 1000) / 1e6).toFixed(2)} M tokens/s |`;
  console.log(row('cold', best.cold));
  console.log(row('warm', best.warm));
}

console.log(`| bench | input | texts/s | tokens/s |\n|---|---|---|---|`);
run('SciFact title+text (no truncation)', (tok) => {
  let n = 0;
  for (const d of docs) n += tok.encode(`${d.title} ${d.text}`).ids.length;
  return n;
});
run('SciFact (title, text) pairs, max 256', (tok) => {
  let n = 0;
  for (const d of docs) n += tok.encode(d.title, d.text, { maxLength: 256 }).ids.length;
  return n;
});

const python = process.env.PYTHON ?? '/tmp/stvenv/bin/python';
const peer = spawnSync(python, ['bench/python/tokenizer_peer.py', `${DIR}/vocab.txt`, 'test/fixtures/data/scifact/corpus.jsonl', String(rounds)], {
  encoding: 'utf8',
});
if (peer.status === 0) process.stdout.write(peer.stdout);
else console.log(`| Python peers not run (${python}: ${(peer.stderr || String(peer.error)).trim().split('\n').pop()}) | | | |`);
