import { InputError } from '../../errors.js';
import { loadWorkflow, type StepOutcome } from '../../workflows/runner.js';
import { parseAssignment, type VarValue } from '../../workflows/substitute.js';
import type { Step } from '../../workflows/schema.js';
import type { Command } from '../command.js';
import { count, plural } from '../format.js';

const pct = (x: unknown) => `${(100 * (x as number)).toFixed(1)}%`;

function summarise(kind: Step['kind'], r: Record<string, unknown>): string {
  switch (kind) {
    case 'eval': return `accuracy ${pct(r.accuracy)} (n=${count(r.n as number)})`;
    case 'train': return `${plural(r.steps as number, 'step')} at ${(r.images_per_second as number).toFixed(1)} img/s → ${r.out}`;
    case 'recalibrate': return `${r.layers} BN layers from ${plural(r.images as number, 'image')} (${r.mode}) → ${r.out}`;
    case 'inspect': return String(r.advice);
    case 'adapt': return `${plural(r.steps as number, 'step')} → ${r.out}`;
    case 'synth': return `${plural(r.n as number, 'image')} → ${r.out}`;
  }
}

/** The evaluations of a preset side by side: what each stage of the adaptation bought. */
function accuracyTable(outcomes: readonly StepOutcome[], steps: readonly Step[]): string {
  const rows = outcomes.flatMap((o, i) => {
    const step = steps[i]!;
    return step.kind === 'eval' ? [[o.name, step.options.model, step.options.data, pct(o.result.accuracy)]] : [];
  });
  if (rows.length < 2) return '';
  const header = ['step', 'model', 'data', 'accuracy'];
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (cells: string[]) => cells.map((cell, c) => (c === 3 ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join('  ');
  return ['', line(header), ...rows.map(line)].join('\n');
}

function withOverwrite(step: Step): Step {
  return 'overwrite' in step.options ? ({ ...step, options: { ...step.options, overwrite: true } } as Step) : step;
}

export const runCommand: Command = {
  name: 'run',
  summary: 'run a workflow preset (workflows/*.yaml)',
  usage: `Usage: calibra run FILE.yaml [--set name=value]... [--overwrite] [--json]

Runs a preset's steps in order. A preset is YAML:

  name: quickstart
  vars: { work: /tmp/calibra, domain: inverted }     # --set domain=textured overrides
  steps:
    - synth: { domain: "\${domain}", out: "\${work}/train", perClass: 100, seed: 1 }
    - eval:  { model: digits-resnet, data: "\${work}/test" }
    - train: { model: digits-resnet, data: "\${work}/train", out: "\${work}/adapted", epochs: 1 }

Step fields are the long flags of 'calibra data synth', 'eval' and 'train' in camelCase
(per-class → perClass, bn-momentum → bnMomentum, no-augment → augment: false). Every step is
checked before the first one runs. A step that writes replaces an output already at its 'out'
only with 'overwrite: true' (or --overwrite for every step), and only an output Calibra wrote.`,
  options: { set: { type: 'string', multiple: true }, overwrite: { type: 'boolean' } },
  positionals: true,
  async run(ctx) {
    const file = ctx.positionals[0];
    if (!file) throw new InputError('run: give a preset file, e.g. calibra run workflows/quickstart.yaml');
    if (ctx.positionals.length > 1) throw new InputError(`run: one preset at a time (got ${ctx.positionals.join(' ')})`);
    const overrides: Record<string, VarValue> = {};
    for (const text of (ctx.values.set as string[] | undefined) ?? []) {
      const kv = parseAssignment(text);
      if (!kv) throw new InputError(`--set ${text}: expected name=value`);
      overrides[kv[0]] = kv[1];
    }
    const loaded = await loadWorkflow(file, overrides);
    const { workflow, vars } = loaded;
    const steps = ctx.values.overwrite === true ? loaded.steps.map(withOverwrite) : loaded.steps;
    ctx.log(`workflow ${workflow.name}: ${plural(steps.length, 'step')}`);
    const outcomes = await ctx.runSteps(steps);
    const text = outcomes.map((o) => `${o.name.padEnd(16)} ${summarise(o.kind, o.result)}`).join('\n') + accuracyTable(outcomes, steps);
    return { json: { workflow: workflow.name, vars, steps: outcomes }, text };
  },
};
