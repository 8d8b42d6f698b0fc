import { useEffect, useState } from 'react';
import { Box, Text } from 'ink';
import { useKeys } from '../../hooks/use-keys.js';
import type { ModelSummary } from '../../../models/model-summary.js';
import { formatBytes } from '../../../models/train-memory.js';
import type { OptionSpec } from '../../../options/option-spec.js';
import { SMALL_BN_BATCH } from '../../../bn/small-batch.js';
import { editText } from './edit-text.js';
import { Footer } from './Footer.js';
import { loadPresetStrategy, TRAIN_PRESETS, type PresetStrategy, type StrategyValues } from './presets.js';
import { NEEDS_VALIDATION, SET_BY_STAGES, STRATEGY_OPTIONS } from './strategy-options.js';
import { adviseFreezingStatistics, finalStrategy, parseTypedNumber, firstFreeze, freezeForLast, memoryFor, presetValues, STRATEGY_DEFAULTS, trainingGroups } from './strategy-state.js';

export interface StrategyChoice {
  /** The shipped preset the values started from, if any. */
  preset: string | null;
  /** Whether the person changed the preset's values. */
  edited: boolean;
  values: StrategyValues;
}

type Props = Readonly<{
  model: ModelSummary;
  hasValidation: boolean;
  onDone: (choice: StrategyChoice) => void;
  onBack: () => void;
}>;

/** What the wasm heap (which the native engine shares) can ever hold. */
const HEAP_LIMIT = 4 * 2 ** 30;
const OWN = 'own';
const PRESET_CHOICES = [OWN, ...TRAIN_PRESETS];

/** The first value the form starts from: the safest recipe, the head on a frozen backbone. */
const FIRST_PRESET = 'feature-extraction';

export function StrategyStep({ model, hasValidation, onDone, onBack }: Props) {
  const [presets, setPresets] = useState<Map<string, PresetStrategy> | null>(null);
  const [preset, setPreset] = useState<string>(FIRST_PRESET);
  const [edited, setEdited] = useState(false);
  const [values, setValues] = useState<StrategyValues>(STRATEGY_DEFAULTS);
  const [row, setRow] = useState(0);
  const [draft, setDraft] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    void Promise.all(TRAIN_PRESETS.map((n) => loadPresetStrategy(n))).then((loaded) => {
      if (!live) return;
      const byName = new Map(loaded.map((p) => [p.name, p]));
      setPresets(byName);
      setValues(presetValues(byName.get(FIRST_PRESET)!.values));
    });
    return () => void (live = false);
  }, []);

  const specs = STRATEGY_OPTIONS.filter((o) => hasValidation || !NEEDS_VALIDATION.has(o.field));
  const staged = values.stages !== undefined;
  const focused = row === 0 ? null : specs[row - 1]!;
  const set = (field: string, v: unknown) => {
    setEdited(true);
    setValues((vs) => ({ ...vs, [field]: v }));
  };

  /** Takes the typed draft into the values; false (with the reason shown) when it is not valid. */
  const commit = (): boolean => {
    if (draft === null || focused === null) return true;
    const parsed = parseTypedNumber(focused, draft);
    if (typeof parsed === 'string') {
      setProblem(parsed);
      return false;
    }
    set(focused.field, parsed ?? undefined);
    setDraft(null);
    return true;
  };

  /** A preset replaces the values; `own` keeps them, to be changed from there. */
  const applyPreset = (name: string) => {
    setPreset(name);
    setEdited(false);
    const p = presets?.get(name);
    if (p) setValues(presetValues(p.values));
  };

  const finish = () => {
    if (!commit()) return;
    onDone({ preset: preset === OWN ? null : preset, edited: preset !== OWN && edited, values: finalStrategy(values, hasValidation) });
  };

  useKeys((input, key) => {
    setProblem(null);
    if (key.escape) return onBack();
    if (key.return) return finish();
    if (key.upArrow || key.downArrow) {
      if (commit()) setRow((r) => Math.max(0, Math.min(specs.length, r + (key.upArrow ? -1 : 1))));
      return;
    }
    if (input === 'f' && draft === null) return set('bnStats', 'freeze');
    if (focused === null) {
      if (key.leftArrow || key.rightArrow) applyPreset(cycle(PRESET_CHOICES, preset, key.leftArrow ? -1 : 1));
      return;
    }
    if (staged && SET_BY_STAGES.has(focused.field)) return;
    if (key.leftArrow || key.rightArrow) {
      const step = key.leftArrow ? -1 : 1;
      if (focused.kind === 'choice') set(focused.field, cycle(focused.choices!, String(values[focused.field] ?? focused.default), step));
      else if (focused.field === 'freeze') {
        const training = trainingGroups(model, values).size;
        set('freeze', freezeForLast(Math.max(1, Math.min(model.groups.length, training + step)), model.groups.length));
      } else if (focused.kind === 'integer' && draft === null) {
        const now = typeof values[focused.field] === 'number' ? (values[focused.field] as number) : (focused.min ?? 0);
        set(focused.field, Math.max(focused.min ?? 0, now + step));
      }
      return;
    }
    if (focused.kind === 'integer' || focused.kind === 'number') {
      if (editText('', input, key) === null) return;
      setEdited(true);
      setDraft((text) => {
        const next = editText(text ?? '', input, key);
        return next !== null && /^[0-9.eE+-]*$/.test(next) ? next : text;
      });
    }
  });

  if (presets === null) return <Text dimColor> reading the presets…</Text>;
  const description = preset === OWN ? 'your own choices below' : `${edited ? 'edited: ' : ''}${presets.get(preset)!.description}`;
  const memory = memoryFor(model, values);
  const extras = Object.entries(values).filter(([f]) => !STRATEGY_OPTIONS.some((o) => o.field === f));
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        {row === 0 ? ' ▸ ' : '   '}<Text bold={row === 0}>{'preset       '}</Text>
        <Text inverse={row === 0}>{` ${preset} `}</Text><Text dimColor>{`  ${description}`}</Text>
      </Text>
      {specs.map((spec, i) => (
        <Text key={spec.field} wrap="truncate-end">
          {row === i + 1 ? ' ▸ ' : '   '}<Text bold={row === i + 1}>{spec.flag.padEnd(13)}</Text>
          {staged && SET_BY_STAGES.has(spec.field) ? <Text dimColor>{stagesText(values)}</Text>
            : spec.field === 'freeze' ? <FreezeBar model={model} values={values} />
            : <OptionValue spec={spec} value={values[spec.field]} draft={row === i + 1 ? draft : null} />}
          {spec.field === 'accum' && <Text dimColor>{`   ≈ ${formatBytes(memory.total)} of 4 GiB per step (approximate)`}</Text>}
        </Text>
      ))}
      {extras.length > 0 && <Text dimColor wrap="truncate-end">{`   also         ${extras.map(([f, v]) => `${f} ${typeof v === 'object' ? '…' : String(v)}`).join(' · ')}`}</Text>}
      {memory.total > HEAP_LIMIT && <Text color="red"> ✗ this step needs more than the 4 GiB heap: lower the batch and raise accum, or freeze more groups</Text>}
      {adviseFreezingStatistics(model, values) && (
        <Text color="yellow" wrap="truncate-end">{` ⚠ passes under ${SMALL_BN_BATCH} images with BN updating: noisy statistics — f freezes them`}</Text>
      )}
      {problem ? <Text color="red" wrap="truncate-end">{` ✗ ${problem}`}</Text> : <Text dimColor wrap="truncate-end">{` ${focused ? focused.help : 'a shipped recipe to start from; ←→ to change'}`}</Text>}
      <Footer keys={[['↑↓', 'move'], ['←→', 'change'], ...(focused && (focused.kind === 'number' || focused.kind === 'integer') ? [['0-9', 'type'] as const] : []), ['f', 'freeze BN stats'], ['enter', 'review'], ['esc', 'back']]} />
    </Box>
  );
}

function cycle<T extends string>(list: readonly T[], now: string, step: number): T {
  const at = Math.max(0, list.indexOf(now as T));
  return list[(at + step + list.length) % list.length]!;
}

function OptionValue({ spec, value, draft }: Readonly<{ spec: OptionSpec; value: unknown; draft: string | null }>) {
  if (spec.kind === 'choice') {
    const chosen = value ?? spec.default;
    return <Text>{spec.choices!.map((c) => (c === chosen ? `[${c}]` : ` ${c} `)).join(' ')}{chosen === undefined && <Text dimColor>  unset</Text>}</Text>;
  }
  if (draft !== null) return <Text inverse>{`${draft}▏`}</Text>;
  return <Text>{value === undefined ? <Text dimColor>{spec.field === 'lr' ? 'optimizer default' : 'none'}</Text> : String(value)}</Text>;
}

function FreezeBar({ model, values }: Readonly<{ model: ModelSummary; values: StrategyValues }>) {
  const training = trainingGroups(model, values);
  return (
    <Text>
      {model.groups.map((g) => `${g.name} ${training.has(g.name) ? '█' : '░'}`).join(' ')}
      <Text dimColor>{`  (${firstFreeze(values)})`}</Text>
    </Text>
  );
}

function stagesText(values: StrategyValues): string {
  const stages = values.stages as { freeze: string; epochs: number }[];
  return `by stages: ${stages.map((s) => `${s.freeze} ${s.epochs} ep`).join(' → ')}`;
}
