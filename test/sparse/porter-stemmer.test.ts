import assert from 'node:assert/strict';
import { test } from 'node:test';
import { porterStem } from '../../src/sparse/analysis/porter-stemmer.js';

// Word pairs from Porter's paper and his reference vocabulary/output lists, as Lucene's PorterStemmer
// produces them (including Porter's later "bli" → "ble" and "logi" → "log" rules).
const pairs: [string, string][] = [
  ['caresses', 'caress'], ['ponies', 'poni'], ['ties', 'ti'], ['caress', 'caress'], ['cats', 'cat'],
  ['feed', 'feed'], ['agreed', 'agre'], ['plastered', 'plaster'], ['bled', 'bled'], ['motoring', 'motor'],
  ['sing', 'sing'], ['conflated', 'conflat'], ['troubled', 'troubl'], ['sized', 'size'], ['hopping', 'hop'],
  ['tanned', 'tan'], ['falling', 'fall'], ['hissing', 'hiss'], ['fizzed', 'fizz'], ['failing', 'fail'],
  ['filing', 'file'], ['happy', 'happi'], ['sky', 'sky'], ['relational', 'relat'], ['conditional', 'condit'],
  ['rational', 'ration'], ['valenci', 'valenc'], ['hesitanci', 'hesit'], ['digitizer', 'digit'],
  ['conformabli', 'conform'], ['radicalli', 'radic'], ['differentli', 'differ'], ['vileli', 'vile'],
  ['analogousli', 'analog'], ['vietnamization', 'vietnam'], ['predication', 'predic'], ['operator', 'oper'],
  ['feudalism', 'feudal'], ['decisiveness', 'decis'], ['hopefulness', 'hope'], ['callousness', 'callous'],
  ['formaliti', 'formal'], ['sensitiviti', 'sensit'], ['sensibiliti', 'sensibl'], ['triplicate', 'triplic'],
  ['formative', 'form'], ['formalize', 'formal'], ['electriciti', 'electr'], ['electrical', 'electr'],
  ['hopeful', 'hope'], ['goodness', 'good'], ['revival', 'reviv'], ['allowance', 'allow'], ['inference', 'infer'],
  ['airliner', 'airlin'], ['gyroscopic', 'gyroscop'], ['adjustable', 'adjust'], ['defensible', 'defens'],
  ['irritant', 'irrit'], ['replacement', 'replac'], ['adjustment', 'adjust'], ['dependent', 'depend'],
  ['adoption', 'adopt'], ['homologou', 'homolog'], ['communism', 'commun'], ['activate', 'activ'],
  ['angulariti', 'angular'], ['homologous', 'homolog'], ['effective', 'effect'], ['bowdlerize', 'bowdler'],
  ['probate', 'probat'], ['rate', 'rate'], ['cease', 'ceas'], ['controll', 'control'], ['roll', 'roll'],
  ['generalizations', 'gener'], ['oscillators', 'oscil'], ['archaeology', 'archaeolog'], ['ability', 'abil'],
  ['studies', 'studi'], ['proteins', 'protein'], ['cells', 'cell'], ['inhibition', 'inhibit'],
];

test('Porter stemmer: reference word pairs', () => {
  const wrong = pairs.filter(([w, s]) => porterStem(w) !== s).map(([w, s]) => `${w} → ${porterStem(w)} (expected ${s})`);
  assert.deepEqual(wrong, []);
});

test('Porter stemmer: words of one or two characters are left alone; digits count as consonants', () => {
  assert.equal(porterStem('is'), 'is');
  assert.equal(porterStem('ys'), 'ys');
  assert.equal(porterStem('1990s'), '1990');
  assert.equal(porterStem('il6'), 'il6');
  assert.equal(porterStem('ion'), 'ion');
});
