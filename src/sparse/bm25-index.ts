// A BM25 index that scores like Anserini/Pyserini (Lucene's BM25Similarity with one-byte length norms,
// Anserini's default English analysis, bag-of-words queries).
//   flat:       one field "contents" = title + "\n" + text (Anserini's BeirFlatCollection)
//   multifield: "contents" = text and "title" = title, each scored on its own and summed with weight 1
//               (BeirMultifieldCollection searched with -fields contents=1.0 title=1.0)
import { requirePositiveInt } from '../checks/positive-int.js';
import type { CorpusRecord } from '../corpus/types.js';
import type { Hit, QueryHits, Searcher } from '../results/hits.js';
import { analyzeEnglish } from './analysis/english-analyzer.js';
import {
  BM25_FORMAT_VERSION,
  BM25_KIND,
  type Bm25FieldMode,
  type Bm25Manifest,
  readBm25Files,
  readBm25Manifest,
  writeBm25Files,
} from './bm25-files.js';
import { bm25AverageLength, bm25Idf, bm25NormInverseCache, bm25TermScore } from './bm25-similarity.js';
import { type FieldPostings, FieldPostingsBuilder } from './field-postings.js';
import { encodePostings } from './postings-codec.js';
import { TopHits } from './top-hits.js';

export type { Bm25FieldMode } from './bm25-files.js';

export interface Bm25BuildOptions {
  readonly fields: Bm25FieldMode;
  /** Term-frequency saturation; Pyserini's BEIR default 0.9. */
  readonly k1?: number;
  /** Length normalisation; Pyserini's BEIR default 0.4. */
  readonly b?: number;
}

export const DEFAULT_K1 = 0.9;
export const DEFAULT_B = 0.4;
const ANALYZER_NAME = 'anserini-default-english: lucene StandardTokenizer, EnglishPossessiveFilter, LowerCaseFilter, ENGLISH_STOP_WORDS_SET, PorterStemFilter';

/** The text each indexed field holds for a record. */
function fieldTexts(mode: Bm25FieldMode, r: CorpusRecord): string[] {
  if (mode === 'flat') return [r.title ? `${r.title}\n${r.text}` : r.text];
  return [r.text, r.title ?? ''];
}

function fieldNames(mode: Bm25FieldMode): string[] {
  return mode === 'flat' ? ['contents'] : ['contents', 'title'];
}

function checkParameters(k1: number, b: number): void {
  if (!Number.isFinite(k1) || k1 < 0) throw new RangeError(`BM25 k1 must be a non-negative finite number, got ${k1}`);
  if (!Number.isFinite(b) || b < 0 || b > 1) throw new RangeError(`BM25 b must be within [0, 1], got ${b}`);
}

export class Bm25Index implements Searcher {
  private constructor(
    readonly manifest: Bm25Manifest,
    private readonly docids: readonly string[],
    private readonly fields: readonly FieldPostings[],
    private readonly termIndex: readonly Map<string, number>[],
    /** Postings as saved on disk, kept from build() so that save() need not encode them again. */
    private readonly encodedPostings: ReadonlyMap<string, Uint8Array> = new Map(),
  ) {}

  /** Number of indexed documents. */
  get size(): number {
    return this.docids.length;
  }

  get fieldMode(): Bm25FieldMode {
    return this.manifest.fields;
  }

  /** Analyzes and indexes every record. Records need a unique, non-empty id without line breaks. */
  static async build(
    records: AsyncIterable<CorpusRecord> | Iterable<CorpusRecord>,
    options: Bm25BuildOptions,
  ): Promise<Bm25Index> {
    const mode = options.fields;
    if (mode !== 'flat' && mode !== 'multifield') throw new Error(`BM25 fields must be "flat" or "multifield", got ${String(mode)}`);
    const k1 = options.k1 ?? DEFAULT_K1;
    const b = options.b ?? DEFAULT_B;
    checkParameters(k1, b);
    const builders = fieldNames(mode).map((n) => new FieldPostingsBuilder(n));
    const docids: string[] = [];
    const seen = new Set<string>();
    for await (const r of records) {
      const ordinal = docids.length;
      if (typeof r?.id !== 'string' || r.id === '') throw new Error(`corpus record #${ordinal + 1}: missing or empty "id"`);
      if (/[\r\n]/.test(r.id)) throw new Error(`corpus record #${ordinal + 1} (id ${JSON.stringify(r.id)}): id contains a line break`);
      if (typeof r.text !== 'string') throw new Error(`corpus record #${ordinal + 1} (id ${r.id}): "text" must be a string`);
      if (r.title !== undefined && typeof r.title !== 'string') throw new Error(`corpus record #${ordinal + 1} (id ${r.id}): "title" must be a string`);
      if (seen.has(r.id)) throw new Error(`corpus record #${ordinal + 1}: duplicate id ${JSON.stringify(r.id)}`);
      seen.add(r.id);
      docids.push(r.id);
      fieldTexts(mode, r).forEach((text, i) => builders[i]!.addDocument(ordinal, analyzeEnglish(text)));
    }
    const fields = builders.map((bld) => bld.finish());
    const encoded = new Map(fields.map((f) => [f.name, encodePostings(f.offsets, f.docs, f.freqs)]));
    const manifest: Bm25Manifest = {
      kind: BM25_KIND,
      formatVersion: BM25_FORMAT_VERSION,
      fields: mode,
      analyzer: ANALYZER_NAME,
      k1,
      b,
      numDocs: docids.length,
      indexedFields: fields.map((f) => ({
        name: f.name,
        numTerms: f.terms.length,
        numPostings: f.docs.length,
        docCount: f.docCount,
        sumTotalTermFreq: f.sumTotalTermFreq,
        freqBits: f.freqs instanceof Uint16Array ? 16 : 32,
        postingsBytes: encoded.get(f.name)!.length,
      })),
    };
    return new Bm25Index(manifest, docids, fields, fields.map(indexTerms), encoded);
  }

  /** Writes the index into `dir` (created if needed; an index already there is replaced). */
  async save(dir: string): Promise<void> {
    await writeBm25Files(dir, { manifest: this.manifest, docids: this.docids, fields: this.fields, encodedPostings: this.encodedPostings });
  }

  static async open(dir: string): Promise<Bm25Index> {
    const data = await readBm25Files(dir);
    checkParameters(data.manifest.k1, data.manifest.b);
    return new Bm25Index(data.manifest, data.docids, data.fields, data.fields.map(indexTerms));
  }

  /** True when `dir` holds a BM25 index (its manifest.json has kind "bm25"). */
  static async isBm25Dir(dir: string): Promise<boolean> {
    return (await readBm25Manifest(dir)) !== undefined;
  }

  async search(queries: readonly { id: string; text: string }[], k: number): Promise<QueryHits[]> {
    requirePositiveInt('k', k);
    const scratch = new ScoringScratch(this.docids.length, this.fields.length);
    return queries.map((q) => ({ qid: q.id, hits: this.searchOne(q.text, k, scratch) }));
  }

  private searchOne(text: string, k: number, scratch: ScoringScratch): Hit[] {
    // Anserini's BagOfWordsQueryGenerator: one clause per distinct term, boosted by its count in the query.
    const queryTerms = new Map<string, number>();
    for (const t of analyzeEnglish(text)) queryTerms.set(t, (queryTerms.get(t) ?? 0) + 1);
    if (queryTerms.size === 0) return [];

    this.fields.forEach((field, fi) => {
      const acc = scratch.fieldScores[fi]!;
      const avgdl = bm25AverageLength(field.sumTotalTermFreq, field.docCount);
      const normInverse = bm25NormInverseCache(this.manifest.k1, this.manifest.b, avgdl);
      for (const [term, count] of queryTerms) {
        const id = this.termIndex[fi]!.get(term);
        if (id === undefined) continue;
        const start = field.offsets[id]!;
        const end = field.offsets[id + 1]!;
        // Field boost (1.0) times term boost (count), then times idf: Lucene's float products.
        const weight = Math.fround(Math.fround(count) * bm25Idf(end - start, field.docCount));
        for (let p = start; p < end; p++) {
          const doc = field.docs[p]!;
          if (scratch.touched[doc] === 0) {
            scratch.touched[doc] = 1;
            scratch.touchedList.push(doc);
          }
          acc[doc]! += bm25TermScore(weight, field.freqs[p]!, normInverse[field.norms[doc]!]!);
        }
      }
    });

    // Lucene sums a BooleanQuery's clauses in double and returns a float, at each nesting level.
    const top = new TopHits(k);
    for (const doc of scratch.touchedList) {
      let total = 0;
      for (const acc of scratch.fieldScores) {
        total += Math.fround(acc[doc]!);
        acc[doc] = 0;
      }
      scratch.touched[doc] = 0;
      top.offer(this.fields.length === 1 ? total : Math.fround(total), this.docids[doc]!);
    }
    scratch.touchedList.length = 0;
    return top.sorted();
  }
}

function indexTerms(field: FieldPostings): Map<string, number> {
  return new Map(field.terms.map((t, i) => [t, i]));
}

/** Per-document accumulators reused across the queries of one search call. */
class ScoringScratch {
  readonly fieldScores: Float64Array[];
  readonly touched: Uint8Array;
  readonly touchedList: number[] = [];
  constructor(numDocs: number, numFields: number) {
    this.fieldScores = Array.from({ length: numFields }, () => new Float64Array(numDocs));
    this.touched = new Uint8Array(numDocs);
  }
}
