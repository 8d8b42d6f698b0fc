import { useEffect, useState } from 'react';
import { Box, Text } from 'ink';
import { useKeys } from '../../hooks/use-keys.js';
import { describeModel } from '../../../models/describe-model.js';
import type { ModelSummary } from '../../../models/model-summary.js';
import { listRegisteredModels, listShippedModels, type ZooEntry } from '../../../models/zoo.js';
import { completePath } from '../../path-completion.js';
import { listDirFrom, resolveTyped } from '../../list-dir.js';
import { editText } from './edit-text.js';
import { Footer } from './Footer.js';
import { groupsLine, modelLine } from './model-line.js';

type Props = Readonly<{
  cwd: string;
  onDone: (ref: string, summary: ModelSummary) => void;
  onBack: () => void;
}>;

type Load = { state: 'idle' } | { state: 'loading'; ref: string } | { state: 'loaded'; ref: string; summary: ModelSummary } | { state: 'failed'; ref: string; message: string };

const MAX_CANDIDATES = 4;

export function ModelStep({ cwd, onDone, onBack }: Props) {
  const [zoo, setZoo] = useState<ZooEntry[]>(listShippedModels);
  // Registered models (models pull, models add) come from the store; a store that cannot be read
  // leaves the shipped ones, and a typed path still reaches any model.
  useEffect(() => {
    listRegisteredModels().then((registered) => setZoo((shipped) => [...shipped, ...registered]), () => undefined);
  }, []);
  const [row, setRow] = useState(0);
  const [typed, setTyped] = useState('');
  const [candidates, setCandidates] = useState<string[]>([]);
  const [load, setLoad] = useState<Load>({ state: 'idle' });
  const onPath = row === zoo.length;
  const ref = onPath ? resolveTyped(typed, cwd) : zoo[row]?.id ?? '';

  const start = (target: string) => {
    setLoad({ state: 'loading', ref: target });
    describeModel(target).then(
      (summary) => setLoad((l) => (l.state === 'loading' && l.ref === target ? { state: 'loaded', ref: target, summary } : l)),
      (err: Error) => setLoad((l) => (l.state === 'loading' && l.ref === target ? { state: 'failed', ref: target, message: err.message } : l)),
    );
  };

  useKeys((input, key) => {
    if (key.escape) return onBack();
    if (key.upArrow || key.downArrow) {
      setRow((r) => Math.max(0, Math.min(zoo.length, r + (key.upArrow ? -1 : 1))));
      setCandidates([]);
      return;
    }
    if (key.return) {
      if (onPath && typed.trim() === '') return;
      if (load.state === 'loaded' && load.ref === ref) return onDone(onPath ? ref : load.ref, load.summary);
      if (load.state !== 'loading') start(ref);
      return;
    }
    if (!onPath) return;
    if (key.tab) {
      const c = completePath(typed, listDirFrom(cwd));
      setTyped(c.value);
      setCandidates(c.candidates);
      return;
    }
    // Keys can arrive faster than renders (a paste), so each edit applies to the latest text.
    if (editText('', input, key) !== null) {
      setTyped((text) => editText(text, input, key) ?? text);
      setCandidates([]);
    }
  });

  const shown = load.state !== 'idle' && load.ref === ref ? load : null;
  return (
    <Box flexDirection="column">
      <Text bold> Model</Text>
      {zoo.map((m, i) => (
        <Text key={m.id} wrap="truncate-end">
          {i === row ? ' ▸ ' : '   '}
          <Text bold={i === row}>{m.id.padEnd(22)}</Text>
          <Text dimColor>{`${m.inputShape.join('×')} · ${m.classes.length} classes · ${m.bnLayers} BN · ${m.description}`}</Text>
        </Text>
      ))}
      <Text wrap="truncate-end">
        {onPath ? ' ▸ ' : '   '}
        <Text bold={onPath}>path  </Text>
        <Text inverse={onPath}>{typed === '' && !onPath ? 'a model.json or its folder' : `${typed}${onPath ? '▏' : ''}`}</Text>
      </Text>
      {candidates.length > 0 && (
        <Text dimColor wrap="truncate-end">{`       ${candidates.slice(0, MAX_CANDIDATES * 4).join('  ')}${candidates.length > MAX_CANDIDATES * 4 ? '  …' : ''}`}</Text>
      )}
      <Text> </Text>
      {shown?.state === 'loading' && <Text dimColor> loading the model…</Text>}
      {shown?.state === 'failed' && (
        <Box flexDirection="column">
          <Text color="red" wrap="wrap">{` ✗ ${shown.message}`}</Text>
          <Text dimColor> choose a zoo model, or a path to a tfjs layers model.json or its folder</Text>
        </Box>
      )}
      {shown?.state === 'loaded' && <ModelDetails summary={shown.summary} />}
      <Footer keys={[['↑↓', 'choose'], ...(onPath ? [['tab', 'complete'] as const] : []), ['enter', shown?.state === 'loaded' ? 'next' : 'load'], ['esc', 'cancel']]} />
    </Box>
  );
}

function ModelDetails({ summary }: Readonly<{ summary: ModelSummary }>) {
  const classes = summary.classes.length > 8 ? `${summary.classes.slice(0, 8).join(', ')}, …` : summary.classes.join(', ');
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">{` ${modelLine(summary)}`}</Text>
      {summary.preprocessingGuessed && <Text color="yellow"> ⚠ the preprocessing is a guess: nothing in the model's folder states it</Text>}
      <Text wrap="wrap">{` groups   ${groupsLine(summary)}`}</Text>
      <Text wrap="truncate-end">{` classes  ${summary.classes.length}: ${classes}`}</Text>
      <Text wrap="truncate-end">{` params   ${summary.params.toLocaleString('en-US')}`}</Text>
    </Box>
  );
}
