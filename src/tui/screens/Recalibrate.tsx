import { useState } from 'react';
import { Box, Text } from 'ink';
import { DEFAULT_MIN_IMAGES } from '../../bn/min-images.js';
import { errorHelp, type ErrorHelp } from '../error-help.js';
import { recalibrationRequest, type RecalibrateForm } from '../recalibration.js';
import type { RunRequest } from '../run-port.js';
import type { ListDir } from '../path-completion.js';
import { Form, type Field } from '../components/Form.js';
import { ErrorBox } from '../components/ErrorBox.js';
import type { KeyHint } from '../components/Footer.js';
import type { RecalibrateDraft } from '../navigation.js';

type Props = Readonly<{
  draft?: RecalibrateDraft;
  zoo: readonly string[];
  /** Starts the run; false when another is in progress. `form` is kept for esc back to it. */
  onRun(request: RunRequest, title: string, form: RecalibrateForm): boolean;
  listDir: ListDir;
  width: number;
  isActive: boolean;
}>;

export const recalibrateKeys: KeyHint[] = [['↑↓', 'field'], ['tab', 'complete path'], ['←→', 'mode'], ['enter', 'run'], ['esc', 'back'], ['?', 'help']];

/** AdaBN on a folder of target images; with a labelled target folder, eval before and after. */
export function Recalibrate({ draft, zoo, onRun, listDir, width, isActive }: Props) {
  const [form, setForm] = useState<RecalibrateForm>({ model: zoo[0] ?? '', images: '', target: '', mode: 'exact', groups: '', minImages: '', out: '', ...draft });
  const [error, setError] = useState<ErrorHelp | null>(null);
  const fields: Field[] = [
    { key: 'model', label: 'Model', kind: 'path', value: form.model, hint: `zoo id (${zoo.join(', ') || 'none'}) or model.json` },
    { key: 'images', label: 'Unlabelled', kind: 'path', value: form.images, hint: 'folder of target-domain images' },
    { key: 'target', label: 'Labelled target', kind: 'path', value: form.target, hint: 'optional: one folder per class, for before/after' },
    { key: 'mode', label: 'Mode', kind: 'choice', value: form.mode, choices: ['exact', 'fast'] },
    { key: 'groups', label: 'Groups', kind: 'text', value: form.groups, hint: 'comma-separated; empty for all' },
    { key: 'minImages', label: 'Min images', kind: 'text', value: form.minImages, hint: `AdaBN's floor; empty for ${DEFAULT_MIN_IMAGES}` },
    { key: 'out', label: 'Out', kind: 'path', value: form.out, hint: 'new folder for the recalibrated model' },
  ];
  const submit = () => {
    try {
      const request = recalibrationRequest(form);
      if (!onRun(request, `Recalibrate ${form.model} on ${form.images}`, form)) setError({ message: 'a run is in progress', fix: 'wait for it, or stop it from its dashboard (d on home)' });
    } catch (err) {
      setError(errorHelp(err, 'form'));
    }
  };
  return (
    <Box flexDirection="column">
      <Text dimColor> AdaBN: BN statistics re-estimated on the target images; weights unchanged.</Text>
      <Text> </Text>
      <Form fields={fields} onEdit={(key, edit) => { setError(null); setForm((f) => ({ ...f, [key]: edit(f[key as keyof RecalibrateForm]) })); }} onSubmit={submit} listDir={listDir} width={width} isActive={isActive} />
      <Text> </Text>
      {error ? <ErrorBox help={error} /> : null}
    </Box>
  );
}
