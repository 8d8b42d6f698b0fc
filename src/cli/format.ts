// Small text formats shared by the commands' terminal output. Pure, so tested alone.

/** An image or step count with thousands separators: 1,000. */
export function count(n: number): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: 0 });
}

/** "1 step", "2 steps", "1,000 images". */
export function plural(n: number, word: string): string {
  return `${count(n)} ${word}${n === 1 ? '' : 's'}`;
}

/** A fraction as a percentage: 0.9312 → "93.1%". */
export function percent(x: number, digits = 1): string {
  return `${(100 * x).toFixed(digits)}%`;
}

/** An ISO time as local MM-DD HH:MM (the process's time zone), or "—" when it does not parse. */
export function localStamp(iso: string): string {
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) return '—';
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(t.getMonth() + 1)}-${two(t.getDate())} ${two(t.getHours())}:${two(t.getMinutes())}`;
}

/** Cuts `text` to at most `width` characters, marking a cut with "…". */
export function clip(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}…`;
}

export type Align = 'left' | 'right';

/**
 * Rows of cells as aligned columns, two spaces apart; the last column is not padded, so no
 * line ends in spaces. `align` gives each column's alignment (default left).
 */
export function columns(rows: readonly (readonly string[])[], align: readonly Align[] = []): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) => row.map((cell, i) => {
    const last = i === row.length - 1;
    if (align[i] === 'right') return cell.padStart(widths[i]!);
    return last ? cell : cell.padEnd(widths[i]!);
  }).join('  ').trimEnd());
}
