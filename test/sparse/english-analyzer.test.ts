import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeEnglish, ENGLISH_STOP_WORDS, lowerCaseLikeLucene, stripPossessive } from '../../src/sparse/analysis/english-analyzer.js';

test("English analyzer: Lucene's 33 English stop words", () => {
  assert.equal(ENGLISH_STOP_WORDS.size, 33);
  assert.deepEqual(analyzeEnglish('The cat is on the mat, and it was not there'), ['cat', 'mat']);
});

test('English analyzer: possessive, lowercase, stop words, then Porter stemming, in that order', () => {
  assert.deepEqual(
    analyzeEnglish("Alzheimer's Disease: the patients' RESPONSES to O'Reilly’s treatments"),
    ['alzheim', 'diseas', 'patient', 'respons', "o'reilli", 'treatment'],
  );
  // A trailing apostrophe is not part of a token (patients' → patients).
  // The possessive filter runs before lowercasing and the stop filter after it: "THE" is a stop word.
  assert.deepEqual(analyzeEnglish('THE IT'), []);
});

test('English analyzer: possessive filter strips only a trailing quote + s', () => {
  assert.equal(stripPossessive("John's"), 'John');
  assert.equal(stripPossessive('JOHN\u2019S'), 'JOHN');
  assert.equal(stripPossessive('JOHN\uFF07s'), 'JOHN');
  assert.equal(stripPossessive("s's"), 's');
  assert.equal(stripPossessive("it's'"), "it's'");
  assert.equal(stripPossessive('s'), 's');
});

test('English analyzer: lowercasing maps each code point on its own, like Java', () => {
  assert.equal(lowerCaseLikeLucene('ΣΊΣΥΦΟΣ'), 'σίσυφοσ');
  assert.equal(lowerCaseLikeLucene('İSTANBUL'), 'istanbul');
  assert.equal(lowerCaseLikeLucene('ＴＥＳＴ'), 'ｔｅｓｔ');
});

test('English analyzer: scientific text', () => {
  assert.deepEqual(
    analyzeEnglish('IL-6 levels (p<0.05) were 1,000.5 ng/mL in TGF-β1-treated mice.'),
    ['il', '6', 'level', 'p', '0.05', 'were', '1,000.5', 'ng', 'ml', 'tgf', 'β1', 'treat', 'mice'],
  );
});
