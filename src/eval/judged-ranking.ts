/**
 * One topic's ranking joined with its judgments, with prefix sums so every trec_eval measure at any
 * cutoff is O(1) after an O(n) build. The measure functions below reproduce trec_eval 9.0.8.
 */
export class JudgedRanking {
  /** Documents retrieved (after any depth cap). */
  readonly numRet: number;
  /** Relevant documents in the qrels (grade ≥ level), retrieved or not. */
  readonly numRel: number;
  /** relevantPrefix[i]: relevant documents among the top i. */
  private readonly relevantPrefix: Int32Array;
  /** precisionSumPrefix[i]: sum of precision at each relevant rank within the top i (AP's numerator). */
  private readonly precisionSumPrefix: Float64Array;
  /** dcgPrefix[i]: DCG of the top i, gain = raw grade (positive grades only), discount log2(rank+1). */
  private readonly dcgPrefix: Float64Array;
  /** idealPrefix[i]: DCG of the best possible top i from the qrels' positive grades. */
  private readonly idealPrefix: Float64Array;

  /**
   * @param grades grade of each retrieved document in rank order, NaN when unjudged
   * @param judgedGrades every grade in the topic's qrels
   * @param level relevance threshold (trec_eval -l): relevant iff grade ≥ level
   */
  constructor(grades: ArrayLike<number>, judgedGrades: readonly number[], level: number) {
    const n = grades.length;
    this.numRet = n;
    let numRel = 0;
    const positive: number[] = [];
    for (const g of judgedGrades) {
      if (g >= level) numRel++;
      if (g > 0) positive.push(g);
    }
    this.numRel = numRel;
    this.relevantPrefix = new Int32Array(n + 1);
    this.precisionSumPrefix = new Float64Array(n + 1);
    this.dcgPrefix = new Float64Array(n + 1);
    let rel = 0;
    let precisionSum = 0;
    let dcg = 0;
    for (let i = 0; i < n; i++) {
      const g = grades[i]!;
      if (g >= level) {
        rel++;
        precisionSum += rel / (i + 1);
      }
      if (g > 0) dcg += g / Math.log2(i + 2);
      this.relevantPrefix[i + 1] = rel;
      this.precisionSumPrefix[i + 1] = precisionSum;
      this.dcgPrefix[i + 1] = dcg;
    }
    positive.sort((a, b) => b - a);
    this.idealPrefix = new Float64Array(positive.length + 1);
    let ideal = 0;
    for (let i = 0; i < positive.length; i++) {
      ideal += positive[i]! / Math.log2(i + 2);
      this.idealPrefix[i + 1] = ideal;
    }
  }

  /** Relevant documents among the top k retrieved (all retrieved when k exceeds them). */
  relevantInTop(k: number): number {
    return this.relevantPrefix[Math.min(k, this.numRet)]!;
  }

  /** 1-based rank of the first relevant document, or 0 if none is retrieved. */
  firstRelevantRank(): number {
    for (let i = 1; i <= this.numRet; i++) if (this.relevantPrefix[i] === 1) return i;
    return 0;
  }

  precisionSumInTop(k: number): number {
    return this.precisionSumPrefix[Math.min(k, this.numRet)]!;
  }

  dcgInTop(k: number): number {
    return this.dcgPrefix[Math.min(k, this.numRet)]!;
  }

  idealDcgInTop(k: number): number {
    return this.idealPrefix[Math.min(k, this.idealPrefix.length - 1)]!;
  }
}

/** trec_eval `P.k`: relevant in the top k over k (k even when fewer were retrieved). */
export function precisionAt(r: JudgedRanking, k: number): number {
  return r.relevantInTop(k) / k;
}

/** trec_eval `recall.k`: relevant in the top k over all relevant in the qrels (0 when none). */
export function recallAt(r: JudgedRanking, k: number): number {
  return r.numRel === 0 ? 0 : r.relevantInTop(k) / r.numRel;
}

/** trec_eval `map` (k = Infinity) and `map_cut.k`: precision summed at relevant ranks ≤ k, over all relevant. */
export function averagePrecision(r: JudgedRanking, k = Number.POSITIVE_INFINITY): number {
  return r.numRel === 0 ? 0 : r.precisionSumInTop(k) / r.numRel;
}

/** trec_eval `recip_rank`: 1 / rank of the first relevant document, 0 if none. */
export function reciprocalRank(r: JudgedRanking): number {
  const rank = r.firstRelevantRank();
  return rank === 0 ? 0 : 1 / rank;
}

/** trec_eval `Rprec`: precision at R = number relevant. */
export function rPrecision(r: JudgedRanking): number {
  return r.numRel === 0 ? 0 : r.relevantInTop(r.numRel) / r.numRel;
}

/**
 * trec_eval `ndcg_cut.k` (k = Infinity gives `ndcg`): DCG of the top k over the ideal DCG of the
 * top k, gains the raw positive grades (the relevance level is not used).
 */
export function ndcgAt(r: JudgedRanking, k = Number.POSITIVE_INFINITY): number {
  const ideal = r.idealDcgInTop(k);
  return ideal > 0 ? r.dcgInTop(k) / ideal : 0;
}
