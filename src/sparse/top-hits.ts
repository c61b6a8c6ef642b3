// Keeps the k best (score, document) pairs in trec_eval's order: score descending, then docid descending.
import { compareHits, ranksBefore } from '../results/hit-order.js';
import type { Hit } from '../results/hits.js';

/** A bounded min-heap whose root is the worst of the kept hits. */
export class TopHits {
  private readonly scores: number[] = [];
  private readonly docids: string[] = [];

  constructor(private readonly k: number) {}

  offer(score: number, docid: string): void {
    const n = this.scores.length;
    if (n < this.k) {
      this.scores.push(score);
      this.docids.push(docid);
      this.siftUp(n);
    } else if (n > 0 && ranksBefore(score, docid, this.scores[0]!, this.docids[0]!)) {
      this.scores[0] = score;
      this.docids[0] = docid;
      this.siftDown(0);
    }
  }

  /** The kept hits, best first. */
  sorted(): Hit[] {
    const hits = this.scores.map((score, i) => ({ docid: this.docids[i]!, score }));
    hits.sort(compareHits);
    return hits;
  }

  /** Heap order: a parent ranks after (is worse than) its children. */
  private worse(i: number, j: number): boolean {
    return ranksBefore(this.scores[j]!, this.docids[j]!, this.scores[i]!, this.docids[i]!);
  }

  private swap(i: number, j: number): void {
    [this.scores[i], this.scores[j]] = [this.scores[j]!, this.scores[i]!];
    [this.docids[i], this.docids[j]] = [this.docids[j]!, this.docids[i]!];
  }

  private siftUp(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.worse(i, parent)) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  private siftDown(i: number): void {
    const n = this.scores.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let worst = i;
      if (l < n && this.worse(l, worst)) worst = l;
      if (r < n && this.worse(r, worst)) worst = r;
      if (worst === i) return;
      this.swap(i, worst);
      i = worst;
    }
  }
}
