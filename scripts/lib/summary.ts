// Summaries of measurement rows. Pure.

/** Per key, the mean over rows of that key's value; every row must carry every key of the first. */
export function meanPerKey(rows: readonly Readonly<Record<string, number>>[]): Record<string, number> {
  if (rows.length === 0) throw new Error('no rows to average');
  const keys = Object.keys(rows[0]!);
  const out: Record<string, number> = {};
  for (const key of keys) {
    let sum = 0;
    for (const row of rows) {
      const v = row[key];
      if (v === undefined) throw new Error(`a row has no value for '${key}'`);
      sum += v;
    }
    out[key] = sum / rows.length;
  }
  return out;
}
