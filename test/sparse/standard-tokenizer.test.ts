import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_TOKEN_LENGTH, standardTokenize } from '../../src/sparse/analysis/standard-tokenizer.js';

// Expected tokens follow Lucene's StandardTokenizer (UAX#29 word breaks, Lucene 8/9 grammar).
const cases: [string, string, string[]][] = [
  ['apostrophes stay inside words (WB6/7)', "O'Reilly you're Jim's don't", ["O'Reilly", "you're", "Jim's", "don't"]],
  ['hyphens split words', 'wi-fi COVID-19 IL-6 TGF-β1 α-synuclein', ['wi', 'fi', 'COVID', '19', 'IL', '6', 'TGF', 'β1', 'α', 'synuclein']],
  ['numbers keep their dots and commas (WB11/12)', '21.35 1,000.50 216.239.63.104 1;2', ['21.35', '1,000.50', '216.239.63.104', '1;2']],
  ['letters and digits join (WB9/10)', 'R2D2 C3PO p53 5mg', ['R2D2', 'C3PO', 'p53', '5mg']],
  ['a dot joins letters to letters and digits to digits only', 'a.1 1.a U.S.A. e.g. end.', ['a', '1', '1', 'a', 'U.S.A', 'e.g', 'end']],
  ['colon is MidLetter: joins letters, not digits', 'a:b 10:30', ['a:b', '10', '30']],
  ['URLs break at / : ? = but keep dotted host names', 'http://www.example.com/path?q=1', ['http', 'www.example.com', 'path', 'q', '1']],
  ['emails split at @', 'test@example.com', ['test', 'example.com']],
  ['underscore connects (ExtendNumLet)', 'foo_bar _x_ ___', ['foo_bar', '_x_']],
  ['two quotes in a row break', "a''b", ['a', 'b']],
  ['symbols and punctuation are dropped', 'p<0.05, 37°C ±2.5 x² "QUOTED" (n=12)', ['p', '0.05', '37', 'C', '2.5', 'x', 'QUOTED', 'n', '12']],
  ['soft hyphen (Format) stays attached (WB4)', 'co\u00ADoperate', ['co\u00ADoperate']],
  ['combining marks stay attached', 'cafe\u0301 nai\u0308ve', ['cafe\u0301', 'nai\u0308ve']],
  ['narrow no-break space breaks as in Unicode 9', '10\u202Fmg', ['10', 'mg']],
  ['each Han character is a token; full-width digits and letters are words', '我是中国人。 １２３４ Ｔｅｓｔｓ ', ['我', '是', '中', '国', '人', '１２３４', 'Ｔｅｓｔｓ']],
  ['Hangul runs are words', '안녕하세요 한글입니다', ['안녕하세요', '한글입니다']],
  ['Thai runs stay whole (Complex_Context)', 'การที่ได้ต้องแสดงว่างานดี', ['การที่ได้ต้องแสดงว่างานดี']],
  ['Hebrew letters around a double quote (WB7b/c)', 'תקף את הדו"ח', ['תקף', 'את', 'הדו"ח']],
  ['emoji are tokens, sequences kept whole', '💩 💩💩 👍🏽 🇺🇸 1️⃣ 👨‍👩‍👧', ['💩', '💩', '💩', '👍🏽', '🇺🇸', '1️⃣', '👨‍👩‍👧']],
  ['Greek and micro sign are letters', 'µg/ml ΣΊΣΥΦΟΣ', ['µg', 'ml', 'ΣΊΣΥΦΟΣ']],
  ['blank and punctuation-only text gives nothing', ' \t\n.,;:!?-–—/()[]{}', []],
];

for (const [name, text, expected] of cases) {
  test(`StandardTokenizer: ${name}`, () => {
    assert.deepEqual(standardTokenize(text), expected);
  });
}

test('StandardTokenizer: tokens longer than 255 characters are cut into 255-character pieces', () => {
  const long = 'x'.repeat(600);
  assert.deepEqual(
    standardTokenize(`a ${long} b`).map((t) => t.length),
    [1, MAX_TOKEN_LENGTH, MAX_TOKEN_LENGTH, 600 - 2 * MAX_TOKEN_LENGTH, 1],
  );
});
