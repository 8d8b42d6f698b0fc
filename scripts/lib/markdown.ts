// Markdown tables for measurement reports. Pure: strings in, string out.

/** A GitHub-flavoured markdown table; every row must have as many cells as the header. */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  for (const row of rows) {
    if (row.length !== header.length) throw new Error(`a table row has ${row.length} cells for ${header.length} columns: ${row.join(' | ')}`);
  }
  const widths = header.map((h, c) => Math.max(3, h.length, ...rows.map((r) => r[c]!.length)));
  const line = (cells: readonly string[]) => `| ${cells.map((cell, c) => cell.padEnd(widths[c]!)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

/** An accuracy in [0, 1] as a percentage with one decimal, e.g. 0.8889 → "88.9". */
export function percent(accuracy: number): string {
  return (100 * accuracy).toFixed(1);
}
