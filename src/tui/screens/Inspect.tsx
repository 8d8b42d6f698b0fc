import { existsSync } from 'node:fs';
import { useState } from 'react';
import { Box, Text } from 'ink';
import { errorHelp, type ErrorHelp } from '../error-help.js';
import { driftLines, freshPath, groupsToRecalibrate } from '../drift-view.js';
import type { RecalibrateForm } from '../recalibration.js';
import { currentStep } from '../run-state.js';
import { buildStep } from '../build-step.js';
import type { InspectStepResult } from '../../workflows/steps/inspect.js';
import type { RunHandle } from '../hooks/use-run.js';
import type { RunRequest } from '../run-port.js';
import type { ListDir } from '../path-completion.js';
import { Form } from '../components/Form.js';
import { ErrorBox } from '../components/ErrorBox.js';
import { ProgressLine } from '../components/ProgressLine.js';
import type { KeyHint } from '../components/Footer.js';
import { useKeys } from '../hooks/use-keys.js';

type Props = Readonly<{
  run: RunHandle;
  zoo: readonly string[];
  /** Starts the measurement, shown on this screen; false when another run is in progress. */
  onRun(request: RunRequest, title: string, dashboard: false): boolean;
  /** Starts the recalibration the result calls for, with its form under the dashboard to come back to. */
  onRecalibrate(form: RecalibrateForm): void;
  listDir: ListDir;
  width: number;
  height: number;
  isActive: boolean;
}>;

export function inspectKeys(measured: boolean): KeyHint[] {
  return measured
    ? [['g', 'recalibrate the drifting groups'], ['a', 'recalibrate all'], ['↑↓', 'scroll'], ['esc', 'back'], ['?', 'help']]
    : [['↑↓', 'field'], ['tab', 'complete path'], ['enter', 'measure'], ['esc', 'back'], ['?', 'help']];
}

/** The result of the inspect run this screen started, once it finished. */
export function measuredResult(run: RunHandle, started: boolean): InspectStepResult | null {
  const step = currentStep(run.state);
  if (!started || step?.command !== 'inspect' || step.status !== 'finished') return null;
  return step.result as unknown as InspectStepResult;
}

/** Per-layer BN drift of a model on a folder, the advice, and one key to act on it. */
export function Inspect({ run, zoo, onRun, onRecalibrate, listDir, width, height, isActive }: Props) {
  const [form, setForm] = useState({ model: zoo[0] ?? '', images: '' });
  const [started, setStarted] = useState(false);
  const [scroll, setScroll] = useState(0);
  const [error, setError] = useState<ErrorHelp | null>(null);
  const result = measuredResult(run, started);
  const measuring = started && result === null && run.state.error === null;

  const recalibrate = (groups: string[]) => {
    const images = form.images.trim().replace(/\/+$/, '');
    onRecalibrate({ model: form.model.trim(), images, target: '', mode: 'exact', groups: groups.join(','), minImages: '', out: freshPath(`${images}-adabn`, existsSync) });
  };
  const lines = result ? driftLines(result, width - 2) : [];
  const visible = Math.max(3, height - 6);
  useKeys((input, key) => {
    if (result === null) return;
    if (input === 'g') recalibrate(groupsToRecalibrate(result));
    else if (input === 'a') recalibrate([]);
    else if (key.upArrow) setScroll((s) => Math.max(0, s - 1));
    else if (key.downArrow) setScroll((s) => Math.min(Math.max(0, lines.length - visible), s + 1));
  }, isActive && result !== null);

  const measure = () => {
    try {
      const step = buildStep({ name: 'inspect', inspect: { model: form.model.trim(), images: form.images.trim() } });
      setError(null);
      if (onRun({ steps: [step] }, `Inspect ${form.model} on ${form.images}`, false)) setStarted(true);
      else setError({ message: 'a run is in progress', fix: 'wait for it, or stop it from its dashboard (d on home)' });
    } catch (err) {
      setError(errorHelp(err, 'form'));
    }
  };
  const runError = started && run.state.error !== null ? errorHelp(run.failure ?? new Error(run.state.error)) : null;
  const step = currentStep(run.state);

  if (result !== null) {
    const targets = groupsToRecalibrate(result);
    return (
      <Box flexDirection="column">
        <Text wrap="truncate-end"> {form.model} on {form.images} ({result.images} images) · symmetric KL per BN layer</Text>
        {lines.slice(scroll, scroll + visible).map((l, i) => <Text key={i} wrap="truncate-end"> {l}</Text>)}
        {lines.length > visible ? <Text dimColor> lines {scroll + 1}–{Math.min(lines.length, scroll + visible)} of {lines.length} (↑↓)</Text> : null}
        <Text wrap="wrap"> Advice: {result.advice}</Text>
        <Text color="cyan" wrap="truncate-end"> g recalibrates {targets.join(', ') || 'nothing'} · a every group</Text>
        {error ? <ErrorBox help={error} /> : null}
      </Box>
    );
  }
  return (
    <Box flexDirection="column">
      <Text dimColor> Per-layer BN drift: stored statistics vs the images' own; no labels needed.</Text>
      <Text> </Text>
      <Form
        fields={[
          { key: 'model', label: 'Model', kind: 'path', value: form.model, hint: `zoo id (${zoo.join(', ') || 'none'}) or model.json` },
          { key: 'images', label: 'Images', kind: 'path', value: form.images, hint: 'folder of target-domain images' },
        ]}
        onEdit={(key, edit) => { setError(null); setStarted(false); setForm((f) => ({ ...f, [key]: edit(f[key as keyof typeof f]) })); }}
        onSubmit={measure}
        listDir={listDir}
        width={width}
        isActive={isActive && !measuring}
      />
      <Text> </Text>
      {measuring && step ? <ProgressLine step={step} width={width} /> : measuring ? <Text dimColor> starting the engine…</Text> : null}
      {error ? <ErrorBox help={error} /> : runError ? <ErrorBox help={runError} /> : null}
    </Box>
  );
}
