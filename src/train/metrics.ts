// Classification metrics over predicted and true labels: pure, so tested without tfjs.

export interface ClassCount {
  n: number;
  correct: number;
}

export class ConfusionTally {
  private readonly counts: ClassCount[];
  constructor(readonly classes: readonly string[]) {
    this.counts = classes.map(() => ({ n: 0, correct: 0 }));
  }

  add(predicted: ArrayLike<number>, actual: ArrayLike<number>): void {
    for (let i = 0; i < actual.length; i++) {
      const c = this.counts[actual[i]!]!;
      c.n++;
      if (predicted[i] === actual[i]) c.correct++;
    }
  }

  get n(): number {
    return this.counts.reduce((s, c) => s + c.n, 0);
  }

  get accuracy(): number {
    const n = this.n;
    return n === 0 ? 0 : this.counts.reduce((s, c) => s + c.correct, 0) / n;
  }

  /** Per class present in the data: its accuracy and count. */
  perClass(): Record<string, { accuracy: number; n: number }> {
    const out: Record<string, { accuracy: number; n: number }> = {};
    this.classes.forEach((name, i) => {
      const c = this.counts[i]!;
      if (c.n > 0) out[name] = { accuracy: c.correct / c.n, n: c.n };
    });
    return out;
  }
}
