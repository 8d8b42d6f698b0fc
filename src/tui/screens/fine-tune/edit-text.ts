// One line of typed text, edited by the keys ink reports. Pure, so every screen that takes a
// typed value edits it the same way and one test covers it.

export interface EditKey {
  backspace?: boolean;
  delete?: boolean;
  ctrl?: boolean;
  meta?: boolean;
  tab?: boolean;
  return?: boolean;
  escape?: boolean;
  upArrow?: boolean;
  downArrow?: boolean;
  leftArrow?: boolean;
  rightArrow?: boolean;
}

/** The text after the key, or null when the key is not an edit (navigation, Enter, Tab...). */
export function editText(value: string, input: string, key: EditKey): string | null {
  // Terminals send DEL (0x7f) for the backspace key, which ink reports as `delete`.
  if (key.backspace || key.delete) return value.slice(0, -1);
  if (key.ctrl && input === 'u') return '';
  if (key.ctrl || key.meta || key.tab || key.return || key.escape || key.upArrow || key.downArrow || key.leftArrow || key.rightArrow) return null;
  const printable = [...input].filter((c) => c >= ' ' && c !== '\u007f').join('');
  return printable === '' ? null : value + printable;
}
