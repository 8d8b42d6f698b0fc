import { useEffect, useRef, useState } from 'react';
import { Box, Text } from 'ink';
import { useKeys } from '../../hooks/use-keys.js';
import { completePath } from '../../path-completion.js';
import { listDirFrom, resolveTyped } from '../../list-dir.js';
import { scanImages, scanLabelledFolder, scanNotes, scanProblem, type ScanView } from './data-scan.js';
import { editText } from './edit-text.js';
import { Footer } from './Footer.js';
import type { Validation } from './wizard-workflow.js';

export interface DataChoice {
  train: ScanView;
  validation: Validation;
  /** The validation folder's scan, with `validation.kind === 'folder'`. */
  valScan: ScanView | null;
}

type Props = Readonly<{
  cwd: string;
  onDone: (data: DataChoice) => void;
  onBack: () => void;
}>;

const MODES = ['none', 'folder', 'split'] as const;
type Mode = (typeof MODES)[number];
type Row = 'train' | 'mode' | 'val';

/** The largest share valSplit takes (see the train step's schema). */
const MAX_SHARE = 0.9;

export function DataStep({ cwd, onDone, onBack }: Props) {
  const [row, setRow] = useState<Row>('train');
  const [trainText, setTrainText] = useState('');
  const [valText, setValText] = useState('');
  const [shareText, setShareText] = useState('0.2');
  const [mode, setMode] = useState<Mode>('split');
  const [candidates, setCandidates] = useState<string[]>([]);
  const [train, setTrain] = useState<ScanView | null>(null);
  const [val, setVal] = useState<ScanView | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  // A scan still running for a folder the person has since changed must not overwrite the new one.
  const latest = useRef({ train: '', val: '' });
  useEffect(() => () => void (latest.current = { train: '', val: '' }), []);

  const scan = (which: 'train' | 'val', text: string) => {
    const path = resolveTyped(text, cwd);
    latest.current[which] = path;
    const set = which === 'train' ? setTrain : setVal;
    scanLabelledFolder(path, (v) => latest.current[which] === path && set(v));
  };
  const rows: Row[] = mode === 'none' ? ['train', 'mode'] : ['train', 'mode', 'val'];
  const editing = row === 'train' ? [trainText, setTrainText] as const : row === 'val' && mode === 'folder' ? [valText, setValText] as const : row === 'val' ? [shareText, setShareText] as const : null;

  const finish = () => {
    const trainProblem = train === null ? 'scan a training folder first (enter on it)' : !train.done ? 'the scan is still running' : scanProblem(train);
    if (trainProblem) return setProblem(trainProblem);
    if (mode === 'split') {
      const share = Number(shareText);
      if (shareText.trim() === '' || !(share > 0 && share <= MAX_SHARE)) return setProblem(`split ${shareText}: give the share of each class held out, above 0 and at most ${MAX_SHARE}`);
      return onDone({ train: train!, validation: { kind: 'split', share }, valScan: null });
    }
    if (mode === 'folder') {
      const valProblem = val === null ? 'scan a validation folder first (enter on it)' : !val.done ? 'the scan is still running' : scanProblem(val);
      if (valProblem) return setProblem(valProblem);
      return onDone({ train: train!, validation: { kind: 'folder', path: val!.path }, valScan: val });
    }
    onDone({ train: train!, validation: { kind: 'none' }, valScan: null });
  };

  useKeys((input, key) => {
    setProblem(null);
    if (key.escape) return onBack();
    if (key.upArrow || key.downArrow) {
      const at = rows.indexOf(row) + (key.upArrow ? -1 : 1);
      setRow(rows[Math.max(0, Math.min(rows.length - 1, at))]!);
      setCandidates([]);
      return;
    }
    if (row === 'mode' && (key.leftArrow || key.rightArrow)) {
      setMode((m) => MODES[(MODES.indexOf(m) + (key.leftArrow ? MODES.length - 1 : 1)) % MODES.length]!);
      return;
    }
    if (key.return) {
      if (row === 'train') {
        if (trainText.trim() === '') return;
        if (train?.path !== resolveTyped(trainText, cwd)) scan('train', trainText);
        return setRow('mode');
      }
      if (row === 'mode' && mode !== 'none') return setRow('val');
      if (row === 'val' && mode === 'folder' && val?.path !== resolveTyped(valText, cwd)) {
        if (valText.trim() !== '') scan('val', valText);
        return;
      }
      return finish();
    }
    if (key.tab && editing && !(row === 'val' && mode === 'split')) {
      const [text, setText] = editing;
      const c = completePath(text, listDirFrom(cwd));
      setText(c.value);
      setCandidates(c.candidates);
      return;
    }
    // Keys can arrive faster than renders (a paste), so each edit applies to the latest text.
    if (editing && editText('', input, key) !== null) {
      editing[1]((text) => editText(text, input, key) ?? text);
      setCandidates([]);
    }
  });

  const cursor = (r: Row) => (row === r ? ' ▸ ' : '   ');
  const field = (r: Row, text: string, hint: string) => <Text inverse={row === r}>{text === '' && row !== r ? hint : `${text}${row === r ? '▏' : ''}`}</Text>;
  return (
    <Box flexDirection="column">
      <Text bold> Data</Text>
      <Text wrap="truncate-end">{cursor('train')}<Text bold={row === 'train'}>{'train       '}</Text>{field('train', trainText, 'a folder with one subfolder per class')}</Text>
      {row === 'train' && candidates.length > 0 && <Text dimColor wrap="truncate-end">{`               ${candidates.join('  ')}`}</Text>}
      {train && <ScanLines view={train} />}
      <Text>{cursor('mode')}<Text bold={row === 'mode'}>{'validation  '}</Text>{MODES.map((m) => <Text key={m} inverse={m === mode}>{` ${m} `}</Text>)}</Text>
      {mode === 'folder' && <Text wrap="truncate-end">{cursor('val')}<Text bold={row === 'val'}>{'val folder  '}</Text>{field('val', valText, 'a labelled folder with the same classes')}</Text>}
      {mode === 'folder' && row === 'val' && candidates.length > 0 && <Text dimColor wrap="truncate-end">{`               ${candidates.join('  ')}`}</Text>}
      {mode === 'folder' && val && <ScanLines view={val} />}
      {mode === 'split' && <Text>{cursor('val')}<Text bold={row === 'val'}>{'hold out    '}</Text>{field('val', shareText, '0.2')}<Text dimColor> of each class (seeded)</Text></Text>}
      {problem && <Text color="red" wrap="wrap">{` ✗ ${problem}`}</Text>}
      <Footer keys={[['↑↓', 'move'], ...(row === 'mode' ? [['←→', 'change'] as const] : [['tab', 'complete'] as const]), ['enter', row === 'train' ? 'scan' : 'next'], ['esc', 'back']]} />
    </Box>
  );
}

function ScanLines({ view }: Readonly<{ view: ScanView }>) {
  const problem = scanProblem(view);
  const perClass = view.classNames.map((c, i) => `${c} ${view.counts[i] ?? '…'}`).join(' · ');
  const status = view.done
    ? `${view.classNames.length} classes, ${scanImages(view)} images`
    : `scanning… ${view.counts.length} of ${view.classNames.length || '?'} classes, ${scanImages(view)} images so far`;
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end" dimColor={!view.done}>{`               ${status}`}</Text>
      {perClass !== '' && <Text wrap="truncate-end">{`               ${perClass}`}</Text>}
      {scanNotes(view).map((n) => <Text key={n} color="yellow" wrap="truncate-end">{`               ⚠ ${n}`}</Text>)}
      {problem && <Text color="red" wrap="wrap">{`               ✗ ${problem}`}</Text>}
    </Box>
  );
}

/** "ants/bees: 2 classes, 245 images · val 153", for the header once chosen. */
export function dataLine(d: DataChoice): string {
  const name = d.train.path.split('/').filter(Boolean).pop() ?? d.train.path;
  const train = `${name}: ${d.train.classNames.length} classes, ${scanImages(d.train)} images`;
  const val = d.validation.kind === 'folder' ? ` · val ${scanImages(d.valScan!)} images`
    : d.validation.kind === 'split' ? ` · val: ${Math.round(d.validation.share * 100)}% of each class` : ' · no validation';
  return train + val;
}
