// Loads the tokenizer goldens (transformers 3.4.0 BertTokenizer outputs) shared by the tokenizer tests.
import { readFileSync } from 'node:fs';

export const GOLDEN_DIR = 'test/fixtures/goldens/tokenizer/bert-base-uncased';
export const GOLDEN_VOCAB = `${GOLDEN_DIR}/vocab.txt`;

export interface SingleCase {
  text: string;
  tokens: string[];
  input_ids: number[];
}
export interface PairCase {
  text: string;
  text_pair: string;
  max_length: number | null;
  truncation: 'longest_first' | null;
  input_ids: number[];
  token_type_ids: number[];
}
export interface TruncatedCase {
  text: string;
  max_length: number;
  input_ids: number[];
}
export interface GoldenCases {
  single: SingleCase[];
  pairs: PairCase[];
  single_truncated: TruncatedCase[];
}

export function loadGoldenCases(): GoldenCases {
  return JSON.parse(readFileSync('test/fixtures/goldens/tokenizer_cases.json', 'utf8')) as GoldenCases;
}

export function readGoldenVocab(): string {
  return readFileSync(GOLDEN_VOCAB, 'utf8');
}
