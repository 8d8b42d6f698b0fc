import { existsSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { useState } from 'react';
import { Box, Text } from 'ink';
import { useKeys } from '../../hooks/use-keys.js';
import { writeFileAtomically } from '../../../util/atomic.js';
import type { Step } from '../../../workflows/schema.js';
import { editText } from './edit-text.js';
import { Footer } from './Footer.js';
import { buildWorkflow, presetName, workflowSteps, workflowYaml, type WizardChoices } from './wizard-workflow.js';

type Props = Readonly<{
  choices: Omit<WizardChoices, 'out' | 'overwrite'>;
  cwd: string;
  onRun: (steps: Step[]) => void;
  onBack: () => void;
}>;

type Mode = 'view' | 'out' | 'name' | 'confirm';

/** YAML lines shown at once, so the screen fits 24 rows; ↑↓ scroll the rest. */
const WINDOW = 15;

export function ReviewStep({ choices, cwd, onRun, onBack }: Props) {
  const [out, setOut] = useState(() => join(cwd, 'finetuned', choices.modelId));
  const [overwrite, setOverwrite] = useState(false);
  const [mode, setMode] = useState<Mode>('view');
  const [draft, setDraft] = useState('');
  const [name, setName] = useState(() => presetName(choices));
  const [scroll, setScroll] = useState(0);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  const workflow = buildWorkflow({ ...choices, out, overwrite });
  const yaml = workflowYaml(workflow);
  const lines = yaml.trimEnd().split('\n');
  const file = join(cwd, 'workflows', `${name}.yaml`);

  const save = (target: string) => {
    writeFileAtomically(target, yaml).then(
      () => setMessage({ ok: true, text: `saved ${relative(cwd, target)}: calibra run ${relative(cwd, target)}` }),
      (err: Error) => setMessage({ ok: false, text: `${target}: not saved (${err.message})` }),
    );
  };

  useKeys((input, key) => {
    if (mode === 'confirm') {
      if (input === 'y') save(file);
      else setMessage({ ok: true, text: `kept the existing ${relative(cwd, file)}` });
      return setMode('view');
    }
    if (mode === 'out' || mode === 'name') {
      if (key.escape) return setMode('view');
      if (key.return) {
        const text = draft.trim();
        if (mode === 'out' && text !== '') setOut(isAbsolute(text) ? text : join(cwd, text));
        if (mode === 'name') {
          if (!/^[A-Za-z0-9][\w.-]*$/.test(text)) return setMessage({ ok: false, text: `name ${text}: letters, digits, . _ - only` });
          setName(text);
          const target = join(cwd, 'workflows', `${text}.yaml`);
          if (existsSync(target)) {
            setMessage({ ok: false, text: `${relative(cwd, target)} exists: y replaces it, any other key keeps it` });
            return setMode('confirm');
          }
          save(target);
        }
        return setMode('view');
      }
      setDraft((text) => editText(text, input, key) ?? text);
      return;
    }
    setMessage(null);
    if (key.escape) return onBack();
    if (key.upArrow || key.downArrow) return setScroll((s) => Math.max(0, Math.min(Math.max(0, lines.length - WINDOW), s + (key.upArrow ? -1 : 1))));
    if (input === 'o') {
      setDraft(relative(cwd, out));
      return setMode('out');
    }
    if (input === 'w') return setOverwrite((o) => !o);
    if (input === 's') {
      setDraft(name);
      return setMode('name');
    }
    if (key.return) {
      try {
        onRun(workflowSteps(workflow));
      } catch (err) {
        setMessage({ ok: false, text: (err as Error).message });
      }
    }
  });

  const outTaken = existsSync(out) && !overwrite;
  const shown = lines.slice(scroll, scroll + WINDOW);
  return (
    <Box flexDirection="column">
      <Text dimColor>{` the preset, as calibra run loads it${lines.length > WINDOW ? ` (lines ${scroll + 1}-${scroll + shown.length} of ${lines.length})` : ''}`}</Text>
      <Box flexDirection="column" borderStyle="single" borderDimColor paddingX={1}>
        {shown.map((line, i) => <Text key={`${scroll + i}`} wrap="truncate-end">{line}</Text>)}
      </Box>
      {mode === 'out' && <Text> out folder: <Text inverse>{`${draft}▏`}</Text></Text>}
      {mode === 'name' && <Text> save as workflows/<Text inverse>{`${draft}▏`}</Text>.yaml</Text>}
      {outTaken && mode === 'view' && <Text color="yellow" wrap="truncate-end">{` ⚠ ${relative(cwd, out) || out} exists: o another folder, or w replace (only a Calibra model)`}</Text>}
      {message && <Text color={message.ok ? 'green' : 'red'} wrap="wrap">{` ${message.ok ? '✓' : '✗'} ${message.text}`}</Text>}
      <Footer keys={mode === 'view'
        ? [['enter', 'run'], ['s', 'save preset'], ['o', 'out folder'], ['w', overwrite ? 'keep existing out' : 'replace out'], ['↑↓', 'scroll'], ['esc', 'back']]
        : mode === 'confirm' ? [['y', 'replace'], ['any key', 'keep']] : [['enter', 'done'], ['esc', 'cancel']]} />
    </Box>
  );
}
