// The inverted index of one field: for each term, the documents holding it and how often, in flat
// typed arrays (CSR layout), plus each document's one-byte length norm and the field statistics BM25 needs.
import { lengthToNormByte } from './lucene-length-norm.js';

export interface FieldPostings {
  readonly name: string;
  /** Terms in id order: term i's postings are docs/freqs[offsets[i] .. offsets[i + 1]). */
  readonly terms: readonly string[];
  readonly offsets: Uint32Array;
  /** Document ordinals, ascending within each term. */
  readonly docs: Uint32Array;
  readonly freqs: Uint16Array | Uint32Array;
  /** SmallFloat.intToByte4 of each document's number of indexed terms in this field. */
  readonly norms: Uint8Array;
  /** Documents with at least one term in this field (Lucene's CollectionStatistics.docCount). */
  readonly docCount: number;
  /** Sum over documents of their number of indexed terms (Lucene's sumTotalTermFreq). */
  readonly sumTotalTermFreq: number;
}

/** A Uint32Array that doubles when full; build-time storage without per-posting JS objects. */
class GrowableUint32 {
  data = new Uint32Array(1024);
  length = 0;
  push(v: number): void {
    if (this.length === this.data.length) {
      const bigger = new Uint32Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = v;
  }
}

/**
 * Collects one field's postings document by document, then sorts them by term once at the end.
 * Memory while building: 12 bytes per (term, document) pair plus the vocabulary.
 */
export class FieldPostingsBuilder {
  private readonly termIds = new Map<string, number>();
  private readonly termList: string[] = [];
  private readonly pairTerm = new GrowableUint32();
  private readonly pairDoc = new GrowableUint32();
  private readonly pairFreq = new GrowableUint32();
  private readonly norms: number[] = [];
  private docCount = 0;
  private sumTotalTermFreq = 0;
  private maxFreq = 0;

  constructor(readonly name: string) {}

  /** Adds the analyzed terms of document `doc`; documents must be added in ordinal order 0, 1, 2, … */
  addDocument(doc: number, terms: readonly string[]): void {
    if (doc !== this.norms.length) throw new Error(`field ${this.name}: document ${doc} added out of order`);
    this.norms.push(lengthToNormByte(terms.length));
    if (terms.length === 0) return;
    this.docCount++;
    this.sumTotalTermFreq += terms.length;
    const counts = new Map<string, number>();
    for (const t of terms) counts.set(t, (counts.get(t) ?? 0) + 1);
    for (const [term, freq] of counts) {
      let id = this.termIds.get(term);
      if (id === undefined) {
        id = this.termList.length;
        this.termIds.set(term, id);
        this.termList.push(term);
      }
      this.pairTerm.push(id);
      this.pairDoc.push(doc);
      this.pairFreq.push(freq);
      if (freq > this.maxFreq) this.maxFreq = freq;
    }
  }

  finish(): FieldPostings {
    const numTerms = this.termList.length;
    const numPairs = this.pairTerm.length;
    const offsets = new Uint32Array(numTerms + 1);
    for (let i = 0; i < numPairs; i++) offsets[this.pairTerm.data[i]! + 1]!++;
    for (let t = 0; t < numTerms; t++) offsets[t + 1]! += offsets[t]!;
    const docs = new Uint32Array(numPairs);
    const freqs = this.maxFreq <= 0xffff ? new Uint16Array(numPairs) : new Uint32Array(numPairs);
    // Counting sort by term; pairs arrive in document order, so each term's documents stay ascending.
    const cursor = offsets.slice(0, numTerms);
    for (let i = 0; i < numPairs; i++) {
      const at = cursor[this.pairTerm.data[i]!]!++;
      docs[at] = this.pairDoc.data[i]!;
      freqs[at] = this.pairFreq.data[i]!;
    }
    return {
      name: this.name,
      terms: this.termList,
      offsets,
      docs,
      freqs,
      norms: Uint8Array.from(this.norms),
      docCount: this.docCount,
      sumTotalTermFreq: this.sumTotalTermFreq,
    };
  }
}
