// BERT WordPiece tokenization, written to match transformers 3.4.0's slow BertTokenizer token for
// token. Written by hand rather than with @huggingface/tokenizers (npm, 0.2.0), which was tried: it
// matched all 33 single-text goldens but has no truncation (the pair goldens need longest_first), and
// on the SciFact corpus (5,183 title+text passages, 1.75M tokens) it encoded ~2,600 texts/s, against
// ~9,200 texts/s (empty word cache) to ~17,000 texts/s (warm) for this code (bench/tokenizer.ts).
// The speed comes from one pass over UTF-16 code units per text and a word → ids cache.
import { loadTokenizerFiles } from './load-dir.js';
import { splitWordOnPunctuation, splitWords, stripAccents } from './basic-tokenizer.js';
import { lowerOutsideSpecials, lowerPerChar, splitOnNoSplitTokens } from './special-split.js';
import { truncatedLengths } from './truncation.js';
import type { EncodeOptions, Encoding } from './types.js';
import { parseVocabTxt, type Vocab } from './vocab.js';
import { WordPiece } from './wordpiece.js';

/** The special tokens of a BERT tokenizer (special_tokens_map.json). */
export interface SpecialTokens {
  readonly unk: string;
  readonly sep: string;
  readonly pad: string;
  readonly cls: string;
  readonly mask: string;
  readonly additional: readonly string[];
}

export const DEFAULT_SPECIAL_TOKENS: SpecialTokens = {
  unk: '[UNK]',
  sep: '[SEP]',
  pad: '[PAD]',
  cls: '[CLS]',
  mask: '[MASK]',
  additional: [],
};

/** Settings as tokenizer_config.json / tokenizer.json give them; every field has BertTokenizer's default. */
export interface TokenizerOptions {
  /** Default true (BertTokenizer's default; cased models set false). */
  doLowerCase?: boolean;
  /** undefined/null: strip accents exactly when lowercasing (the reference's default). */
  stripAccents?: boolean | null;
  /** Default true: each CJK ideograph becomes its own word. */
  tokenizeChineseChars?: boolean;
  /** The model's maximum input length, when the tokenizer config states a usable one. */
  modelMaxLength?: number;
  specialTokens?: Partial<SpecialTokens>;
  /** added_tokens.json: extra tokens (outside vocab.txt) that are never split, with their ids. */
  addedTokens?: Readonly<Record<string, number>>;
  /** Default "##". */
  continuingSubwordPrefix?: string;
  /** Default 100: a longer word becomes the unknown token. */
  maxInputCharsPerWord?: number;
}

/** Past this many distinct words the word cache is emptied, bounding memory on huge corpora. */
const WORD_CACHE_LIMIT = 500_000;

export class Tokenizer {
  readonly doLowerCase: boolean;
  readonly stripAccents: boolean | null;
  readonly tokenizeChineseChars: boolean;
  readonly modelMaxLength?: number;
  readonly specialTokens: SpecialTokens;
  /** Number of ids in the vocabulary (vocab.txt lines, plus added tokens). */
  readonly vocabSize: number;
  readonly clsId: number;
  readonly sepId: number;
  readonly padId: number;
  readonly unkId: number;

  private readonly vocab: Vocab;
  private readonly addedTokens: ReadonlyMap<string, number>;
  private readonly addedById: ReadonlyMap<number, string>;
  private readonly wordPiece: WordPiece;
  /** BasicTokenizer's never_split: a whitespace word equal to one of these skips lowercasing and punctuation splitting. */
  private readonly specialSet: ReadonlySet<string>;
  /** all_special_tokens, in the reference's order (unk, sep, pad, cls, mask, additional). */
  private readonly allSpecials: readonly string[];
  /** unique_no_split_tokens: special and added tokens, sorted as the reference keeps them. */
  private readonly noSplitSorted: readonly string[];
  private readonly noSplitSet: ReadonlySet<string>;
  private readonly wordCache = new Map<string, readonly number[]>();
  private readonly scratchWords: string[] = [];
  private readonly scratchPieces: string[] = [];

  constructor(vocab: Vocab, options: TokenizerOptions = {}) {
    this.vocab = vocab;
    this.doLowerCase = options.doLowerCase ?? true;
    this.stripAccents = options.stripAccents ?? null;
    this.tokenizeChineseChars = options.tokenizeChineseChars ?? true;
    if (options.modelMaxLength !== undefined) this.modelMaxLength = options.modelMaxLength;
    const st = { ...DEFAULT_SPECIAL_TOKENS, ...options.specialTokens };
    this.specialTokens = st;
    this.allSpecials = [...new Set([st.unk, st.sep, st.pad, st.cls, st.mask, ...st.additional])];
    this.specialSet = new Set(this.allSpecials);

    const added = new Map<string, number>();
    for (const [token, id] of Object.entries(options.addedTokens ?? {})) {
      // The reference lowercases non-special added tokens of an uncased tokenizer (_add_tokens).
      added.set(this.doLowerCase && !this.specialSet.has(token) ? lowerPerChar(token) : token, id);
    }
    this.addedTokens = added;
    this.addedById = new Map([...added].map(([t, id]) => [id, t]));
    this.noSplitSorted = [...new Set([...this.allSpecials, ...added.keys()])].sort(comparePython);
    this.noSplitSet = new Set(this.noSplitSorted);

    const unkId = vocab.tokenToId.get(st.unk);
    if (unkId === undefined) throw new Error(`the unknown token ${JSON.stringify(st.unk)} is not in the vocabulary`);
    this.unkId = unkId;
    this.clsId = this.requireId(st.cls, 'classifier (cls)');
    this.sepId = this.requireId(st.sep, 'separator (sep)');
    this.padId = this.requireId(st.pad, 'padding (pad)');
    let size = vocab.idToToken.length;
    for (const id of added.values()) size = Math.max(size, id + 1);
    this.vocabSize = size;
    this.wordPiece = new WordPiece(vocab, unkId, options.continuingSubwordPrefix ?? '##', options.maxInputCharsPerWord ?? 100);
  }

  /** A tokenizer from the text of a vocab.txt (LF or CRLF line ends). */
  static fromVocab(vocabText: string, options?: TokenizerOptions): Tokenizer {
    return new Tokenizer(parseVocabTxt(vocabText), options);
  }

  /** Loads vocab.txt and/or tokenizer.json with tokenizer_config.json and special_tokens_map.json from a directory. */
  static async fromDir(dir: string): Promise<Tokenizer> {
    const { vocab, options } = await loadTokenizerFiles(dir);
    return new Tokenizer(vocab, options);
  }

  /** The id of a token (added tokens included), or undefined when the vocabulary lacks it. */
  idOf(token: string): number | undefined {
    return this.addedTokens.get(token) ?? this.vocab.tokenToId.get(token);
  }

  /** The token behind an id, or undefined for an id outside the vocabulary. */
  tokenOf(id: number): string | undefined {
    return this.addedById.get(id) ?? this.vocab.idToToken[id];
  }

  /** The WordPiece tokens of a text, without special tokens (BertTokenizer.tokenize). */
  tokenize(text: string): string[] {
    const ids: number[] = [];
    const tokens: string[] = [];
    this.appendText(text, ids, tokens);
    return tokens;
  }

  /**
   * Encodes a text, or a text pair, as `tokenizer(text, text_pair, max_length=..., truncation=...)`:
   * [CLS] text [SEP] (pair [SEP]), token types 0 then 1. With maxLength (special tokens included) the
   * default truncation is longest_first. An empty pair ("") still counts as a second sequence.
   */
  encode(text: string, pair?: string, options: EncodeOptions = {}): Encoding {
    const addSpecial = options.addSpecialTokens ?? true;
    const aIds: number[] = [];
    const aTokens: string[] = [];
    this.appendText(text, aIds, aTokens);
    let bIds: number[] | undefined;
    let bTokens: string[] | undefined;
    if (pair !== undefined) {
      bIds = [];
      bTokens = [];
      this.appendText(pair, bIds, bTokens);
    }

    if (options.maxLength !== undefined) {
      const maxLength = options.maxLength;
      const specials = addSpecial ? (pair !== undefined ? 3 : 2) : 0;
      if (!Number.isInteger(maxLength) || maxLength < Math.max(1, specials)) {
        throw new Error(`maxLength must be an integer of at least ${Math.max(1, specials)} (the special tokens alone take ${specials}), got ${maxLength}`);
      }
      const total = aIds.length + (bIds?.length ?? 0) + specials;
      if (total > maxLength) {
        const [keepA, keepB] = truncatedLengths(aIds.length, bIds?.length, total - maxLength, options.truncation ?? 'longest_first');
        aIds.length = keepA;
        aTokens.length = keepA;
        if (bIds && bTokens && keepB !== undefined) {
          bIds.length = keepB;
          bTokens.length = keepB;
        }
      }
    }

    if (!addSpecial) {
      const ids = bIds ? aIds.concat(bIds) : aIds;
      const typeIds = new Array<number>(ids.length).fill(0, 0, aIds.length).fill(1, aIds.length);
      return { ids, typeIds, tokens: bTokens ? aTokens.concat(bTokens) : aTokens };
    }
    const cls = this.specialTokens.cls;
    const sep = this.specialTokens.sep;
    const ids = [this.clsId, ...aIds, this.sepId];
    const tokens = [cls, ...aTokens, sep];
    const firstLen = ids.length;
    if (bIds && bTokens) {
      for (const id of bIds) ids.push(id);
      ids.push(this.sepId);
      for (const t of bTokens) tokens.push(t);
      tokens.push(sep);
    }
    const typeIds = new Array<number>(ids.length).fill(0, 0, firstLen).fill(1, firstLen);
    return { ids, typeIds, tokens };
  }

  private requireId(token: string, role: string): number {
    const id = this.idOf(token);
    if (id === undefined) throw new Error(`the ${role} token ${JSON.stringify(token)} is not in the vocabulary`);
    return id;
  }

  /** PreTrainedTokenizer.tokenize(): lowercasing and no-split tokens first, then BERT's own tokenizer. */
  private appendText(text: string, ids: number[], tokens: string[]): void {
    const lowered = this.doLowerCase ? lowerPerChar(text) : text;
    if (!this.containsNoSplitToken(text, lowered)) {
      this.appendPlain(lowered, ids, tokens);
      return;
    }
    const prepared = this.doLowerCase ? lowerOutsideSpecials(text, this.allSpecials) : text;
    const isNoSplit = (t: string) => this.noSplitSet.has(t);
    for (const piece of splitOnNoSplitTokens(prepared, this.noSplitSorted, isNoSplit)) {
      if (piece.noSplit) {
        ids.push(this.idOf(piece.text) ?? this.unkId);
        tokens.push(piece.text);
      } else {
        this.appendPlain(piece.text, ids, tokens);
      }
    }
  }

  /** Special tokens keep their case in the text; added tokens of an uncased tokenizer are lowercase. */
  private containsNoSplitToken(text: string, lowered: string): boolean {
    for (const t of this.allSpecials) if (t !== '' && text.includes(t)) return true;
    for (const t of this.addedTokens.keys()) if (t !== '' && lowered.includes(t)) return true;
    return false;
  }

  /** BertTokenizer._tokenize on text that holds no no-split token. */
  private appendPlain(text: string, ids: number[], tokens: string[]): void {
    const words = this.scratchWords;
    words.length = 0;
    splitWords(text, this.tokenizeChineseChars, words);
    const idToToken = this.vocab.idToToken;
    for (let w = 0; w < words.length; w++) {
      const word = words[w]!;
      let wordIds = this.wordCache.get(word);
      if (wordIds === undefined) {
        wordIds = this.computeWordIds(word);
        if (this.wordCache.size >= WORD_CACHE_LIMIT) this.wordCache.clear();
        this.wordCache.set(word, wordIds);
      }
      for (let k = 0; k < wordIds.length; k++) {
        const id = wordIds[k]!;
        ids.push(id);
        tokens.push(idToToken[id]!);
      }
    }
  }

  /** One whitespace word: lowercase and strip accents as configured, split punctuation, then WordPiece. */
  private computeWordIds(word: string): number[] {
    const out: number[] = [];
    if (this.specialSet.has(word)) {
      this.wordPiece.appendIds(word, out);
      return out;
    }
    let w = word;
    if (this.doLowerCase) {
      w = w.toLowerCase();
      if (this.stripAccents !== false) w = stripAccents(w);
    } else if (this.stripAccents === true) {
      w = stripAccents(w);
    }
    const pieces = this.scratchPieces;
    pieces.length = 0;
    splitWordOnPunctuation(w, pieces);
    for (const p of pieces) this.wordPiece.appendIds(p, out);
    return out;
  }
}

/** Python's default string order: by code point (JS's default sort compares UTF-16 units). */
function comparePython(a: string, b: string): number {
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done || y.done) return x.done ? (y.done ? 0 : -1) : 1;
    const cx = x.value.codePointAt(0)!;
    const cy = y.value.codePointAt(0)!;
    if (cx !== cy) return cx - cy;
  }
}
