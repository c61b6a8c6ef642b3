import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Command } from 'commander';
import { registerIndex } from '../../src/cli/commands/build-index.js';
import { Bm25Index } from '../../src/sparse/bm25-index.js';

test('densekit index --bm25 --fields multifield builds a BM25 index from a BEIR corpus', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'densekit-bm25-cli-'));
  const stderr = process.stderr.write.bind(process.stderr);
  try {
    const corpus = join(dir, 'corpus.jsonl');
    await writeFile(
      corpus,
      '{"_id": "a", "title": "Protein folding", "text": "How proteins fold."}\n' +
        '{"_id": "b", "title": "Cell division", "text": "Mitosis in cells."}\n',
    );
    const program = new Command().exitOverride();
    registerIndex(program);
    process.stderr.write = () => true;
    await program.parseAsync(['node', 'densekit', 'index', '--bm25', '--fields', 'multifield', '--corpus', corpus, '--out', join(dir, 'idx')]);
    process.stderr.write = stderr;
    const index = await Bm25Index.open(join(dir, 'idx'));
    assert.equal(index.fieldMode, 'multifield');
    assert.equal(index.size, 2);
    const [q] = await index.search([{ id: 'q', text: 'folded protein' }], 10);
    assert.deepEqual(q!.hits.map((h) => h.docid), ['a']);
  } finally {
    process.stderr.write = stderr;
    await rm(dir, { recursive: true, force: true });
  }
});
