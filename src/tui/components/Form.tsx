import { useState } from 'react';
import { Box, Text } from 'ink';
import { completePath, type ListDir } from '../path-completion.js';
import { fit } from '../text.js';
import { useKeys } from '../hooks/use-keys.js';

export type FieldKind = 'path' | 'text' | 'choice';

export interface Field {
  key: string;
  label: string;
  kind: FieldKind;
  value: string;
  /** For `choice`: ←→ cycle through these. */
  choices?: readonly string[];
  hint?: string;
}

type Props = Readonly<{
  fields: readonly Field[];
  /** `edit` maps the field's value to its new one (keys can arrive faster than redraws). */
  onEdit(key: string, edit: (value: string) => string): void;
  onSubmit(): void;
  listDir: ListDir;
  width: number;
  isActive: boolean;
}>;

const LABEL = 16;

/**
 * Labelled fields, one focused: ↑↓ move, typing edits a text or path field (tab completes a
 * path), ←→ change a choice, enter submits. `?` is never typed into a field: it opens the help.
 */
export function Form({ fields, onEdit, onSubmit, listDir, width, isActive }: Props) {
  const [focus, setFocus] = useState(0);
  const [candidates, setCandidates] = useState<string[]>([]);
  const field = fields[Math.min(focus, fields.length - 1)]!;

  useKeys((input, key) => {
    if (key.upArrow || key.downArrow) {
      setFocus((f) => (f + (key.upArrow ? fields.length - 1 : 1)) % fields.length);
      setCandidates([]);
    } else if (key.return) {
      onSubmit();
    } else if (field.kind === 'choice') {
      const choices = field.choices ?? [];
      if (key.leftArrow || key.rightArrow || input === ' ') onEdit(field.key, (v) => choices[(choices.indexOf(v) + (key.leftArrow ? choices.length - 1 : 1)) % choices.length]!);
    } else if (key.tab && field.kind === 'path') {
      const done = completePath(field.value, listDir);
      onEdit(field.key, () => done.value);
      setCandidates(done.candidates);
    } else if (key.backspace || key.delete) {
      onEdit(field.key, (v) => v.slice(0, -1));
    } else if (key.ctrl && input === 'u') {
      onEdit(field.key, () => '');
    } else if (input && !key.ctrl && !key.meta && !key.escape && input !== '?' && !key.tab) {
      onEdit(field.key, (v) => v + input);
      setCandidates([]);
    }
  }, isActive);

  const valueWidth = Math.max(8, width - LABEL - 4);
  return (
    <Box flexDirection="column">
      {fields.map((f, i) => {
        const focused = i === focus;
        const shown = f.kind === 'choice'
          ? (f.choices ?? []).map((c) => (c === f.value ? `[${c}]` : ` ${c} `)).join(' ')
          : f.value.length > valueWidth - 1 ? `…${f.value.slice(-(valueWidth - 2))}` : f.value;
        return (
          <Box key={f.key}>
            <Text color={focused ? 'cyan' : undefined}>{focused ? '▸ ' : '  '}{fit(f.label, LABEL)}</Text>
            <Text inverse={focused && f.kind !== 'choice'}>{shown}{focused && f.kind !== 'choice' ? ' ' : ''}</Text>
            {f.value === '' && f.hint ? <Text dimColor> {f.hint}</Text> : null}
          </Box>
        );
      })}
      {candidates.length > 0 ? <Text dimColor wrap="truncate-end">  {candidates.join('  ')}</Text> : null}
    </Box>
  );
}
