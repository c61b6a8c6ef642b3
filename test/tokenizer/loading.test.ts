import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Tokenizer } from '../../src/tokenizer/tokenizer.js';
import { GOLDEN_DIR, loadGoldenCases, readGoldenVocab } from './golden-cases.js';

const cases = loadGoldenCases();

function withDir(files: Record<string, string>, fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'densekit-tok-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return fn(dir).finally(() => rmSync(dir, { recursive: true, force: true }));
}

/** A tokenizer.json in the layout Hugging Face's fast BertTokenizer saves, from the golden vocab. */
function tokenizerJson(vocabText: string, normalizer: Record<string, unknown> = {}): string {
  const vocab: Record<string, number> = {};
  vocabText.split('\n').forEach((t, i) => {
    if (t !== '') vocab[t] = i;
  });
  return JSON.stringify({
    version: '1.0',
    added_tokens: [
      { id: 0, content: '[PAD]', special: true },
      { id: 100, content: '[UNK]', special: true },
      { id: 101, content: '[CLS]', special: true },
      { id: 102, content: '[SEP]', special: true },
      { id: 103, content: '[MASK]', special: true },
    ],
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true, ...normalizer },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab },
  });
}

function assertAllSingleGoldens(tok: Tokenizer): void {
  for (const c of cases.single) assert.deepEqual(tok.encode(c.text).ids, c.input_ids, JSON.stringify(c.text));
}

test('fromDir reads vocab.txt and tokenizer_config.json (model_max_length 512, uncased)', async () => {
  const tok = await Tokenizer.fromDir(GOLDEN_DIR);
  assert.equal(tok.vocabSize, 30522);
  assert.equal(tok.modelMaxLength, 512);
  assert.equal(tok.doLowerCase, true);
  assert.equal(tok.idOf('[CLS]'), 101);
  assert.equal(tok.idOf('##ing'), 2075);
  assert.equal(tok.tokenOf(102), '[SEP]');
  assert.equal(tok.padId, 0);
});

test('a CRLF vocab.txt gives the same ids and no token keeps a trailing \\r', async () => {
  const crlf = readGoldenVocab().replace(/\n/g, '\r\n');
  await withDir({ 'vocab.txt': crlf }, async (dir) => {
    const tok = await Tokenizer.fromDir(dir);
    assert.equal(tok.vocabSize, 30522);
    for (let id = 0; id < tok.vocabSize; id++) assert.ok(!tok.tokenOf(id)!.endsWith('\r'), `token ${id}`);
    assert.equal(tok.idOf('[SEP]'), 102);
    assertAllSingleGoldens(tok);
  });
  assert.deepEqual(Tokenizer.fromVocab(crlf).encode('Hello world').ids, [101, 7592, 2088, 102]);
});

test('tokenizer.json alone (fast-tokenizer format) loads and passes the goldens', async () => {
  await withDir({ 'tokenizer.json': tokenizerJson(readGoldenVocab()) }, async (dir) => {
    const tok = await Tokenizer.fromDir(dir);
    assert.equal(tok.vocabSize, 30522);
    assert.equal(tok.doLowerCase, true);
    assertAllSingleGoldens(tok);
  });
});

test("tokenizer.json's normalizer settings apply when tokenizer_config.json does not set them", async () => {
  await withDir({ 'tokenizer.json': tokenizerJson(readGoldenVocab(), { lowercase: false }) }, async (dir) => {
    const tok = await Tokenizer.fromDir(dir);
    assert.equal(tok.doLowerCase, false);
    // The uncased vocabulary has no capitals, so an unlowered "Hello" is unknown.
    assert.deepEqual(tok.tokenize('Hello hello'), ['[UNK]', 'hello']);
  });
});

test('vocab.txt and tokenizer.json together must agree', async () => {
  const vocab = readGoldenVocab();
  await withDir({ 'vocab.txt': vocab, 'tokenizer.json': tokenizerJson(vocab) }, async (dir) => {
    assertAllSingleGoldens(await Tokenizer.fromDir(dir));
  });
  const swapped = vocab.replace('\nthe\n', '\nteh\n');
  await withDir({ 'vocab.txt': swapped, 'tokenizer.json': tokenizerJson(vocab) }, async (dir) => {
    await assert.rejects(Tokenizer.fromDir(dir), (err: Error) => {
      assert.match(err.message, /vocab\.txt and .*tokenizer\.json disagree on the vocabulary/);
      return true;
    });
  });
});

test('a cased model (do_lower_case false) keeps case and accents', async () => {
  await withDir({ 'vocab.txt': readGoldenVocab(), 'tokenizer_config.json': '{"do_lower_case": false}' }, async (dir) => {
    const tok = await Tokenizer.fromDir(dir);
    assert.equal(tok.doLowerCase, false);
    assert.equal(tok.modelMaxLength, undefined);
    // With the uncased vocabulary: no lowercasing makes "Hello" unknown; kept accents make "café" unknown.
    assert.deepEqual(tok.tokenize('Hello café hello cafe'), ['[UNK]', '[UNK]', 'hello', 'cafe']);
  });
});

test('special_tokens_map.json (AddedToken objects) and the int(1e30) "no limit" max length', async () => {
  const vocab = readGoldenVocab().replace('[unused0]', '[BOS]');
  await withDir(
    {
      'vocab.txt': vocab,
      'tokenizer_config.json': '{"model_max_length": 1000000000000000019884624838656}',
      'special_tokens_map.json': '{"cls_token": {"content": "[BOS]", "lstrip": false}, "sep_token": "[SEP]"}',
    },
    async (dir) => {
      const tok = await Tokenizer.fromDir(dir);
      assert.equal(tok.modelMaxLength, undefined);
      const e = tok.encode('hi');
      assert.deepEqual(e.tokens, ['[BOS]', 'hi', '[SEP]']);
      assert.equal(e.ids[0], 1);
      assert.deepEqual(tok.tokenize('a[BOS]b'), ['a', '[BOS]', 'b'], 'a special token inside text is kept whole');
    },
  );
});

test('a missing vocabulary names the directory and the files looked for', async () => {
  await withDir({ 'tokenizer_config.json': '{}' }, async (dir) => {
    await assert.rejects(Tokenizer.fromDir(dir), (err: Error) => {
      assert.ok(err.message.includes(dir), err.message);
      assert.match(err.message, /vocab\.txt/);
      assert.match(err.message, /tokenizer\.json/);
      return true;
    });
  });
  await assert.rejects(Tokenizer.fromDir('/nonexistent/densekit-tok'), /\/nonexistent\/densekit-tok does not exist/);
});

test('bad config files give errors naming the file and field', async () => {
  await withDir({ 'vocab.txt': readGoldenVocab(), 'tokenizer_config.json': '{"do_lower_case": "yes"}' }, async (dir) => {
    await assert.rejects(Tokenizer.fromDir(dir), /tokenizer_config\.json: do_lower_case must be true or false/);
  });
  await withDir({ 'vocab.txt': readGoldenVocab(), 'tokenizer_config.json': '{not json' }, async (dir) => {
    await assert.rejects(Tokenizer.fromDir(dir), /tokenizer_config\.json: not valid JSON/);
  });
  const noUnk = readFileSync(`${GOLDEN_DIR}/vocab.txt`, 'utf8').replace('[UNK]', '[NOPE]');
  assert.throws(() => Tokenizer.fromVocab(noUnk), /unknown token "\[UNK\]" is not in the vocabulary/);
});
