// Two runs side by side: which settings differ, and their metrics. Pure, so tested alone.

export interface ConfigDifference {
  key: string;
  a: unknown;
  b: unknown;
}

const same = (x: unknown, y: unknown) => JSON.stringify(x) === JSON.stringify(y);

/** Keys whose values differ (absent counts as a value), sorted by key; nested objects by dotted path. */
export function configDiff(a: Record<string, unknown>, b: Record<string, unknown>, prefix = ''): ConfigDifference[] {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  return keys.flatMap((key) => {
    const [x, y] = [a[key], b[key]];
    const path = prefix + key;
    const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
    if (isRecord(x) && isRecord(y)) return configDiff(x, y, `${path}.`);
    return same(x, y) ? [] : [{ key: path, a: x, b: y }];
  });
}
