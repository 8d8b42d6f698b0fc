import { InputError } from '../../errors.js';
import { loadWorkflow, runSteps } from '../../workflows/runner.js';
import { parseAssignment, type VarValue } from '../../workflows/substitute.js';
import type { Step } from '../../workflows/schema.js';
import type { Command } from '../command.js';

function summarise(kind: string, r: Record<string, unknown>): string {
  if (kind === 'eval') return `accuracy ${(100 * (r.accuracy as number)).toFixed(2)}% (n=${r.n})`;
  if (kind === 'train') return `${r.steps} steps at ${(r.images_per_second as number).toFixed(1)} img/s → ${r.out}`;
  return `${r.n} images → ${r.out}`;
}

function withOverwrite(step: Step): Step {
  if (step.kind === 'synth') return { ...step, options: { ...step.options, overwrite: true } };
  if (step.kind === 'train') return { ...step, options: { ...step.options, overwrite: true } };
  return step;
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
    ctx.log(`workflow ${workflow.name}: ${steps.length} steps`);
    const outcomes = await runSteps(steps, ctx.env, (i, step) => ctx.log(`— step ${i + 1}/${steps.length}: ${step.name ?? step.kind}`));
    const text = outcomes.map((o) => `${o.name.padEnd(16)} ${summarise(o.kind, o.result)}`).join('\n');
    return { json: { workflow: workflow.name, vars, steps: outcomes }, text };
  },
};
