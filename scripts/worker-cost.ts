// What running a step in a worker thread (as the TUI does) costs against running it in-process
// (as the CLI does): the same train step, alternately in each mode, in one process.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { synthesizeDataset } from '../src/data/synth/index.js';
import { executeRun } from '../src/run/run-api.js';
import { trainStepSchema } from '../src/workflows/schema.js';
import { intFlag, scriptMain } from './lib/script-main.js';

const USAGE = `Usage: node dist/scripts/worker-cost.js [--backend native|wasm] [--rounds N] [--epochs N]

Trains digits-resnet on 200 synthetic inverted digits (batch 20) for --epochs, --rounds times in
each mode, alternating in-process and worker thread, in this one process (so module loading is
paid once by the in-process runs, before the first round, and by every worker). Prints, per mode,
the median wall time from request to result, the median time to the first optimizer step, and
the median img/s the run itself reports (its steady-state speed).`;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

await scriptMain(USAGE, { backend: { type: 'string', default: 'native' }, rounds: { type: 'string', default: '3' }, epochs: { type: 'string', default: '2' } }, async (values) => {
  const rounds = intFlag(values, 'rounds', 1);
  const epochs = intFlag(values, 'epochs', 1);
  const backend = values.backend as string;
  const work = mkdtempSync(join(tmpdir(), 'calibra-worker-cost-'));
  process.env.CALIBRA_HOME = join(work, 'home');
  const data = (await synthesizeDataset({ domain: 'inverted', out: join(work, 'data'), perClass: 20, seed: 1 })).out;
  const measured: Record<'in-process' | 'worker', { wall: number[]; first: number[]; rate: number[] }> = {
    'in-process': { wall: [], first: [], rate: [] },
    worker: { wall: [], first: [], rate: [] },
  };
  for (let round = 0; round < rounds; round++) {
    for (const mode of ['in-process', 'worker'] as const) {
      const options = trainStepSchema.parse({ model: 'digits-resnet', data, out: join(work, `${mode}-${round}`), epochs, batch: 20, seed: 0 });
      const t0 = performance.now();
      let first = NaN;
      const { outcomes } = await executeRun({ steps: [{ kind: 'train', options }], backend, record: false, inWorker: mode === 'worker' }, {
        onEvent: (e) => {
          if (e.type === 'OptimizerStepped' && Number.isNaN(first)) first = performance.now() - t0;
        },
      });
      measured[mode].wall.push((performance.now() - t0) / 1000);
      measured[mode].first.push(first / 1000);
      measured[mode].rate.push(outcomes[0]!.result.images_per_second as number);
    }
  }
  process.stdout.write(`${backend}, ${rounds} rounds, ${epochs} epochs of 200 images (medians)\n`);
  for (const [mode, m] of Object.entries(measured)) {
    process.stdout.write(`${mode.padEnd(11)} wall ${median(m.wall).toFixed(2)} s   first step after ${median(m.first).toFixed(2)} s   ${median(m.rate).toFixed(1)} img/s\n`);
  }
});
