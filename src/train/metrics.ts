// Classification metrics over predicted and true labels: pure, so tested without tfjs.

export interface ClassScores {
  /** Of the images of this class, the share predicted as it (recall). */
  accuracy: number;
  n: number;
  precision: number;
  recall: number;
  f1: number;
}

export class ConfusionTally {
  /** matrix[actual][predicted] */
  private readonly matrix: number[][];
  constructor(readonly classes: readonly string[]) {
    this.matrix = classes.map(() => classes.map(() => 0));
  }

  add(predicted: ArrayLike<number>, actual: ArrayLike<number>): void {
    for (let i = 0; i < actual.length; i++) this.matrix[actual[i]!]![predicted[i]!]!++;
  }

  get n(): number {
    return this.matrix.reduce((s, row) => s + row.reduce((a, b) => a + b, 0), 0);
  }

  get accuracy(): number {
    const n = this.n;
    return n === 0 ? 0 : this.matrix.reduce((s, row, i) => s + row[i]!, 0) / n;
  }

  /** Rows are the true class, columns the predicted one, in `classes` order. */
  confusion(): number[][] {
    return this.matrix.map((row) => row.slice());
  }

  /**
   * Per class present in the data. Precision is 0 for a class never predicted (scikit-learn's
   * zero_division=0), so a model that ignores a class is not rewarded for it.
   */
  perClass(): Record<string, ClassScores> {
    const out: Record<string, ClassScores> = {};
    this.classes.forEach((name, i) => {
      const row = this.matrix[i]!;
      const n = row.reduce((a, b) => a + b, 0);
      if (n === 0) return;
      const hit = row[i]!;
      const predicted = this.matrix.reduce((s, r) => s + r[i]!, 0);
      const recall = hit / n;
      const precision = predicted === 0 ? 0 : hit / predicted;
      const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
      out[name] = { accuracy: recall, n, precision, recall, f1 };
    });
    return out;
  }
}
