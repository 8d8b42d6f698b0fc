// For every option of every command, the command line and a preset reach the same options: with
// nothing but the required flags (so the defaults agree), with each valid value (the ends of its
// range, each choice, each switch), and both refuse the same invalid values, the flag's message
// naming the flag.
import test from 'node:test';
import assert from 'node:assert/strict';
import { parseArgs } from 'node:util';
import type { z } from 'zod';
import { InputError } from '../../src/errors.js';
import { COMMAND_OPTIONS, type OptionsCommand } from '../../src/options/index.js';
import type { OptionSpec } from '../../src/options/option-spec.js';
import { flagTable } from '../../src/options/flag-table.js';
import { flagValues } from '../../src/options/flag-values.js';
import { optionsObject } from '../../src/options/zod-object.js';
import { attachNegativeValues } from '../../src/cli/argv.js';
import { stepOptions } from '../../src/cli/step-options.js';
import { adaptStepSchema, evalStepSchema, inspectStepSchema, recalibrateStepSchema, synthStepSchema, trainStepSchema } from '../../src/workflows/schema.js';

const SCHEMAS: Record<OptionsCommand, z.ZodTypeAny> = {
  synth: synthStepSchema, eval: evalStepSchema, train: trainStepSchema, recalibrate: recalibrateStepSchema,
  inspect: inspectStepSchema, adapt: adaptStepSchema, predict: optionsObject(COMMAND_OPTIONS.predict),
};

/** Values a checked text option accepts; a new checked option needs its own here. */
const VALID_TEXT: Record<string, string[]> = {
  freeze: ['none', 'backbone', 'last:2'],
  preprocess: ['0-1', '-1-1', 'imagenet', 'mean=0.5,0.4,0.3/std=0.2,0.2,0.2'],
};

type Value = string | number | boolean | string[];

function validValues(spec: OptionSpec): Value[] {
  switch (spec.kind) {
    case 'flag': return [!spec.negated];
    case 'choice': return [...spec.choices!];
    case 'path': return ['some/folder'];
    case 'text':
      if (spec.list) return [['stem'], ['stem', 'block1']];
      if (spec.check) return VALID_TEXT[spec.flag] ?? assert.fail(`no valid samples for --${spec.flag}`);
      return ['a=b'];
    case 'number':
    case 'integer': {
      const step = spec.kind === 'integer' ? 1 : 0.25;
      const low = spec.min ?? (spec.greaterThan !== undefined ? spec.greaterThan + step : -7);
      const high = spec.max ?? (spec.lessThan !== undefined ? spec.lessThan - step : low + 40 * step);
      return [low, high];
    }
  }
}

/** Out of range, or not a number at all, each with the message the flag gets. */
function invalidNumbers(spec: OptionSpec): [raw: string, why: string][] {
  const step = spec.kind === 'integer' ? 1 : 0.5;
  const bad: [string, string][] = [['x1', `expected ${spec.kind === 'integer' ? 'an integer' : 'a number'}`]];
  if (spec.kind === 'integer') bad.push(['1.5', 'expected an integer']);
  if (spec.min !== undefined) bad.push([String(spec.min - step), `must be at least ${spec.min}`]);
  if (spec.max !== undefined) bad.push([String(spec.max + step), `must be at most ${spec.max}`]);
  if (spec.greaterThan !== undefined) bad.push([String(spec.greaterThan), `must be greater than ${spec.greaterThan}`]);
  if (spec.lessThan !== undefined) bad.push([String(spec.lessThan), `must be less than ${spec.lessThan}`]);
  return bad;
}

function argsFor(spec: OptionSpec, value: Value): string[] {
  if (spec.kind === 'flag') return value === !spec.negated ? [`--${spec.flag}`] : [];
  return [`--${spec.flag}`, Array.isArray(value) ? value.join(',') : String(value)];
}

function required(specs: readonly OptionSpec[]): { preset: Record<string, Value>; args: string[] } {
  const needed = specs.filter((s) => s.required);
  const pairs = needed.map((s) => [s, validValues(s)[0]!] as const);
  return { preset: Object.fromEntries(pairs.map(([s, v]) => [s.field, v])), args: pairs.flatMap(([s, v]) => argsFor(s, v)) };
}

function fromFlags(specs: readonly OptionSpec[], schema: z.ZodTypeAny, args: string[]): unknown {
  const options = flagTable(specs);
  const { values } = parseArgs({ args: attachNegativeValues(args, options), options, strict: true });
  return stepOptions(schema, flagValues(specs, values));
}

function fromPreset(schema: z.ZodTypeAny, preset: Record<string, unknown>): unknown {
  const parsed = schema.safeParse(preset);
  assert.ok(parsed.success, parsed.success ? '' : JSON.stringify(parsed.error.issues[0]));
  return parsed.data;
}

function flagRefusal(specs: readonly OptionSpec[], schema: z.ZodTypeAny, args: string[]): string {
  try {
    fromFlags(specs, schema, args);
  } catch (err) {
    assert.ok(err instanceof InputError, String(err));
    return err.message;
  }
  return assert.fail(`accepted ${args.join(' ')}`);
}

function presetRefusal(schema: z.ZodTypeAny, preset: Record<string, unknown>): { path: string; message: string } {
  const parsed = schema.safeParse(preset);
  assert.equal(parsed.success, false, `accepted ${JSON.stringify(preset)}`);
  const issue = parsed.success ? assert.fail() : parsed.error.issues[0]!;
  return { path: issue.path.join('.'), message: issue.message };
}

for (const kind of Object.keys(COMMAND_OPTIONS) as OptionsCommand[]) {
  const specs: readonly OptionSpec[] = COMMAND_OPTIONS[kind];
  const schema = SCHEMAS[kind];
  const base = required(specs);

  test(`${kind}: with only the required options, flags and preset give the same options`, () => {
    const viaFlags = fromFlags(specs, schema, base.args);
    assert.deepEqual(viaFlags, fromPreset(schema, base.preset));
    for (const spec of specs.filter((s) => s.default !== undefined)) {
      assert.deepEqual((viaFlags as Record<string, unknown>)[spec.field], spec.default, `${spec.field} defaults to its declaration`);
    }
  });

  test(`${kind}: each valid value of each option reaches the same options by flag and by preset`, () => {
    for (const spec of specs) {
      for (const value of validValues(spec)) {
        const viaFlags = fromFlags(specs, schema, [...base.args, ...argsFor(spec, value)]);
        assert.deepEqual(viaFlags, fromPreset(schema, { ...base.preset, [spec.field]: value }), `--${spec.flag} ${String(value)}`);
        assert.deepEqual((viaFlags as Record<string, unknown>)[spec.field], value, `--${spec.flag} ${String(value)}`);
      }
    }
  });

  test(`${kind}: both refuse what is out of range, not a choice or fails its check`, () => {
    for (const spec of specs.filter((s) => s.kind === 'number' || s.kind === 'integer')) {
      for (const [raw, why] of invalidNumbers(spec)) {
        assert.equal(flagRefusal(specs, schema, [...base.args, `--${spec.flag}`, raw]), `--${spec.flag} ${raw}: ${why}`);
        const asNumber = Number(raw);
        const preset = { ...base.preset, [spec.field]: Number.isNaN(asNumber) ? raw : asNumber };
        assert.equal(presetRefusal(schema, preset).path, spec.field, `${spec.field}: ${raw}`);
      }
    }
    for (const spec of specs.filter((s) => s.kind === 'choice' || s.check !== undefined)) {
      const bad = 'no-such-value';
      const viaPreset = presetRefusal(schema, { ...base.preset, [spec.field]: bad });
      assert.equal(viaPreset.path, spec.field);
      assert.equal(flagRefusal(specs, schema, [...base.args, `--${spec.flag}`, bad]), `--${spec.flag}: ${viaPreset.message}`);
    }
  });
}
