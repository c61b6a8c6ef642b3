// A bounded min-heap keeping the `capacity` largest (score, tie) pairs seen, with typed-array storage
// so millions of pushes stay cheap. Order: score, then tie (larger tie ranks higher).

export class TopKHeap {
  readonly capacity: number;
  private readonly scores: Float64Array;
  private readonly ties: Float64Array;
  private readonly ids: Int32Array;
  private n = 0;

  constructor(capacity: number) {
    this.capacity = capacity;
    this.scores = new Float64Array(capacity);
    this.ties = new Float64Array(capacity);
    this.ids = new Int32Array(capacity);
  }

  get size(): number {
    return this.n;
  }

  get full(): boolean {
    return this.n === this.capacity;
  }

  /** Smallest kept score (the admission threshold once full). */
  minScore(): number {
    return this.n === 0 ? -Infinity : this.scores[0]!;
  }

  private less(a: number, b: number): boolean {
    const sa = this.scores[a]!, sb = this.scores[b]!;
    return sa < sb || (sa === sb && this.ties[a]! < this.ties[b]!);
  }

  private swap(a: number, b: number): void {
    const s = this.scores[a]!, t = this.ties[a]!, i = this.ids[a]!;
    this.scores[a] = this.scores[b]!; this.ties[a] = this.ties[b]!; this.ids[a] = this.ids[b]!;
    this.scores[b] = s; this.ties[b] = t; this.ids[b] = i;
  }

  /** Offers an entry; returns false when it ranks below everything kept in a full heap. */
  push(score: number, tie: number, id: number): boolean {
    if (this.capacity === 0) return false;
    if (this.n < this.capacity) {
      let i = this.n++;
      this.scores[i] = score; this.ties[i] = tie; this.ids[i] = id;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (!this.less(i, p)) break;
        this.swap(i, p);
        i = p;
      }
      return true;
    }
    const s0 = this.scores[0]!;
    if (score < s0 || (score === s0 && tie <= this.ties[0]!)) return false;
    this.scores[0] = score; this.ties[0] = tie; this.ids[0] = id;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1, r = l + 1;
      let m = i;
      if (l < this.n && this.less(l, m)) m = l;
      if (r < this.n && this.less(r, m)) m = r;
      if (m === i) break;
      this.swap(i, m);
      i = m;
    }
    return true;
  }

  /** The kept entries, best first; empties the heap. */
  drainDescending(): { scores: number[]; ids: number[] } {
    const order = Array.from({ length: this.n }, (_, i) => i);
    order.sort((a, b) => this.scores[b]! - this.scores[a]! || this.ties[b]! - this.ties[a]!);
    const out = { scores: order.map((i) => this.scores[i]!), ids: order.map((i) => this.ids[i]!) };
    this.n = 0;
    return out;
  }
}
