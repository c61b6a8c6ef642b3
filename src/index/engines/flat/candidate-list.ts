// One query's coarse candidates: a growable list of (coarse score, row) in typed arrays, so that the
// hundreds of thousands of candidates a batch can collect stay compact and cheap to append.

export class CandidateList {
  private scores = new Float32Array(64);
  private rows = new Int32Array(64);
  private n = 0;

  get size(): number {
    return this.n;
  }

  push(score: number, row: number): void {
    if (this.n === this.rows.length) {
      const scores = new Float32Array(this.n * 2);
      scores.set(this.scores);
      this.scores = scores;
      const rows = new Int32Array(this.n * 2);
      rows.set(this.rows);
      this.rows = rows;
    }
    this.scores[this.n] = score;
    this.rows[this.n++] = row;
  }

  /** Positions of the entries scoring above `tau`, ordered by coarse score descending. */
  order(tau: number): { scores: Float32Array; rows: Int32Array; byScore: Uint32Array } {
    const scores = this.scores.subarray(0, this.n), rows = this.rows.subarray(0, this.n);
    let m = 0;
    for (let i = 0; i < this.n; i++) if (scores[i]! > tau) m++;
    const byScore = new Uint32Array(m);
    m = 0;
    for (let i = 0; i < this.n; i++) if (scores[i]! > tau) byScore[m++] = i;
    byScore.sort((a, b) => scores[b]! - scores[a]!);
    return { scores, rows, byScore };
  }
}
