// The confusion matrix as reported: only the classes that occur, as a true or a predicted
// class. A 1000-class model scored on ten folders gives a matrix over those ten (and any class
// it wrongly answered), not a million zeros. Pure, so tested alone.

export interface Confusion {
  /** Row and column order. */
  classes: string[];
  /** matrix[true][predicted], counts. */
  matrix: number[][];
}

export function compactConfusion(classes: readonly string[], matrix: readonly (readonly number[])[]): Confusion {
  const keep = classes.map((_, i) => matrix[i]!.some((v) => v > 0) || matrix.some((row) => row[i]! > 0));
  const index = classes.flatMap((_, i) => (keep[i] ? [i] : []));
  return { classes: index.map((i) => classes[i]!), matrix: index.map((i) => index.map((j) => matrix[i]![j]!)) };
}
