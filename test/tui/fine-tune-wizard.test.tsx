import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { render } from 'ink-testing-library';
import type { ReactNode } from 'react';
import { FineTuneWizard } from '../../src/tui/screens/fine-tune/FineTuneWizard.js';
import { KeysProvider, useKeyRouter } from '../../src/tui/hooks/use-keys.js';
import { PRETRAINED_DIR } from '../../src/models/zoo.js';
import { loadWorkflow } from '../../src/workflows/runner.js';
import type { Step } from '../../src/workflows/schema.js';
import { TEST_HOME, calibra } from '../helpers/cli.js';

// The wizard lists registered models from the store: the tests' own, never the person's.
process.env.CALIBRA_HOME = TEST_HOME;

const KEY = { enter: '\r', esc: '\u001B', tab: '\t', up: '\u001B[A', down: '\u001B[B', right: '\u001B[C', left: '\u001B[D', backspace: '\u007F' };
const manifest = JSON.parse(readFileSync(join(PRETRAINED_DIR, 'digits-resnet', 'manifest.json'), 'utf8')) as { bnLayers: number; groups: { name: string }[]; inputShape: number[] };

/** A working folder: a labelled train set with a stray image and a note, a val set, and a copy of the shipped model. */
function workspace(): string {
  const root = mkdtempSync(join(tmpdir(), 'calibra-wizard-'));
  for (const [set, n] of [['train', 3], ['val', 1]] as const) {
    for (const cls of ['ants', 'bees']) {
      mkdirSync(join(root, 'data', set, cls), { recursive: true });
      for (let i = 0; i < n + (cls === 'bees' && set === 'train' ? 1 : 0); i++) writeFileSync(join(root, 'data', set, cls, `${i}.png`), '');
    }
  }
  writeFileSync(join(root, 'data', 'train', 'stray.png'), '');
  writeFileSync(join(root, 'data', 'train', 'bees', 'notes.txt'), 'x');
  cpSync(join(PRETRAINED_DIR, 'digits-resnet'), join(root, 'mymodels', 'digits-copy'), { recursive: true });
  return root;
}

/** Each key is handled with the state of the last render; a person's keys come slower than renders. */
const settle = () => new Promise((r) => setTimeout(r, 60));

/** Keys reach screens through the App's router; this is one with no global keys. */
function WithKeys({ children }: { children: ReactNode }) {
  return <KeysProvider value={useKeyRouter(() => false)}>{children}</KeysProvider>;
}

function wizard(cwd: string) {
  const runs: Step[][] = [];
  let cancelled = 0;
  const app = render(<WithKeys><FineTuneWizard cwd={cwd} onRun={(steps) => runs.push(steps)} onCancel={() => cancelled++} /></WithKeys>);
  const frame = () => app.lastFrame() ?? '';
  const until = async (text: string | RegExp, ms = 15000) => {
    const start = Date.now();
    while (!(typeof text === 'string' ? frame().includes(text) : text.test(frame()))) {
      if (Date.now() - start > ms) assert.fail(`waited for ${text} in:\n${frame()}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    await settle();
  };
  const press = async (...keys: string[]) => {
    for (const k of keys) {
      app.stdin.write(k);
      await settle();
    }
  };
  const type = (text: string) => press(...text);
  return { app, frame, until, press, type, runs, cancelled: () => cancelled };
}

/** From the start to the strategy step: the zoo model, the train folder, the val folder. */
async function toStrategy(w: ReturnType<typeof wizard>) {
  await w.until('digits-resnet');
  await w.press(KEY.enter);
  await w.until('params');
  await w.press(KEY.enter);
  await w.until('Data');
  await w.type('data/train');
  await w.press(KEY.enter);
  await w.until('2 classes, 7 images');
  await w.press(KEY.left, KEY.enter);
  await w.type('data/val');
  await w.press(KEY.enter);
  await w.until('2 classes, 2 images');
  await w.press(KEY.enter);
  await w.until('preset');
}

test('model step: a zoo model shows its groups, BN layers, input size and preprocessing with its source', async () => {
  const w = wizard(workspace());
  await w.until('Fine-tune');
  assert.match(w.frame(), /↑↓ choose .*esc cancel/);
  await w.press(KEY.enter);
  await w.until('params');
  const f = w.frame();
  assert.ok(f.includes(`digits-resnet · ${manifest.groups.length} groups · ${manifest.bnLayers} BN · ${manifest.inputShape.join('×')} · [0,1] from the Calibra manifest`), f);
  for (const g of manifest.groups) assert.match(f, new RegExp(`${g.name} \\d+ BN`));
  await w.press(KEY.esc);
  assert.equal(w.cancelled(), 1);
  w.app.unmount();
});

test('model step: a model registered with models add is offered after the shipped ones, and loads', async () => {
  const cwd = workspace();
  // A home of its own, so the other tests' model lists stay as shipped.
  const home = mkdtempSync(join(tmpdir(), 'calibra-wizard-home-'));
  const added = await calibra(['models', 'add', join(cwd, 'mymodels', 'digits-copy'), '--name', 'my-digits'], { CALIBRA_HOME: home });
  assert.equal(added.code, 0, added.stderr);
  process.env.CALIBRA_HOME = home;
  const w = wizard(cwd);
  await w.until('my-digits');
  assert.ok(w.frame().indexOf('digits-resnet') < w.frame().indexOf('my-digits'), 'shipped first');
  await w.press(KEY.down);
  await w.press(KEY.enter);
  await w.until('params');
  assert.match(w.frame(), /▸ my-digits[\s\S]*digits-resnet · 5 groups · 9 BN/);
  w.app.unmount();
  process.env.CALIBRA_HOME = TEST_HOME;
});

test('model step: a typed path completes with tab and loads; a wrong one shows the error inside the screen', async () => {
  const cwd = workspace();
  const w = wizard(cwd);
  await w.until('digits-resnet');
  await w.press(KEY.down);
  await w.type('nowhere');
  await w.press(KEY.enter);
  await w.until('✗');
  assert.match(w.frame(), /nowhere: not a zoo id [\s\S]* nor a model\.json\s+or its folder/);
  await w.press(...Array(7).fill(KEY.backspace));
  await w.type('mym');
  await w.press(KEY.tab);
  await w.until('mymodels/');
  await w.press(KEY.tab);
  await w.until('mymodels/digits-copy/');
  await w.press(KEY.enter);
  await w.until('params');
  await w.press(KEY.enter);
  await w.until('Data');
  assert.match(w.frame(), /model ✓/);
  w.app.unmount();
});

test('data step: the scan shows classes, images per class and what it passed over; a split share is checked', async () => {
  const w = wizard(workspace());
  await w.until('digits-resnet');
  await w.press(KEY.enter);
  await w.until('params');
  await w.press(KEY.enter);
  await w.until('Data');
  await w.type('data/nothing');
  await w.press(KEY.enter);
  await w.until('✗ folder not found');
  await w.press(KEY.up, ...Array(7).fill(KEY.backspace));
  await w.type('train');
  await w.press(KEY.enter);
  await w.until('2 classes, 7 images');
  const f = w.frame();
  assert.match(f, /ants 3 · bees 4/);
  assert.match(f, /1 image\(s\) directly in the folder belong to no class/);
  assert.match(f, /ignored 1 entry .*1 \.txt/);
  await w.press(KEY.enter, ...Array(3).fill(KEY.backspace));
  await w.type('0.95');
  await w.press(KEY.enter);
  await w.until('at most 0.9');
  await w.press(...Array(4).fill(KEY.backspace));
  await w.type('0.25');
  await w.press(KEY.enter);
  await w.until('strategy');
  assert.match(w.frame(), /train: 2 classes, 7 images · val: 25% of each class/);
  w.app.unmount();
});

test('strategy step: presets fill the form; small accumulated passes with BN updating bring the advice, f freezes', async () => {
  const w = wizard(workspace());
  await toStrategy(w);
  assert.match(w.frame(), /feature-extraction/);
  assert.match(w.frame(), /stem ░ block1 ░ block2 ░ block3 ░ head █ {2}\(backbone\)/);
  assert.match(w.frame(), /≈ \d+ MiB of 4 GiB per step \(approximate\)/);
  await w.press(KEY.right, KEY.right);
  await w.until('small-batch-accumulation');
  assert.match(w.frame(), /bn-stats +\[freeze\]/);
  assert.doesNotMatch(w.frame(), /⚠/);
  // bn-stats is the third row; one step right moves it from freeze to update.
  await w.press(KEY.down, KEY.down, KEY.right);
  await w.until(/bn-stats +freeze +\[update\]/);
  await w.until('⚠ passes under 16 images with BN updating');
  await w.press('f');
  await w.until(/bn-stats +\[freeze\]/);
  assert.doesNotMatch(w.frame(), /⚠/);
  // A typed value out of range is refused with the option named.
  await w.press(KEY.down, KEY.down);
  await w.type('0');
  await w.press(KEY.down);
  await w.until('✗ batch 0: at least 1');
  w.app.unmount();
});

test('review: the YAML shown is what calibra run loads, and the steps run are the steps it yields', async () => {
  const cwd = workspace();
  const w = wizard(cwd);
  await toStrategy(w);
  await w.press(KEY.enter);
  await w.until('calibra run loads it');
  assert.match(w.frame(), /freeze: backbone/);
  await w.press('s');
  await w.until('save as workflows/');
  await w.press(KEY.enter);
  await w.until('✓ saved workflows/finetune-digits-resnet.yaml');
  await w.press(KEY.enter);
  assert.equal(w.runs.length, 1);
  const file = join(cwd, 'workflows', 'finetune-digits-resnet.yaml');
  const loaded = await loadWorkflow(file);
  assert.deepEqual(loaded.steps, w.runs[0]);
  const train = w.runs[0]![0]!;
  assert.equal(train.kind, 'train');
  if (train.kind !== 'train') return;
  assert.equal(train.options.freeze, 'backbone');
  assert.equal(train.options.bnStats, 'freeze');
  assert.equal(train.options.val, join(cwd, 'data', 'val'));
  assert.equal(train.options.out, join(cwd, 'finetuned', 'digits-resnet'));
  w.app.unmount();
});

test('review: saving over an existing preset asks first, and keeps it unless told y', async () => {
  const cwd = workspace();
  mkdirSync(join(cwd, 'workflows'));
  const file = join(cwd, 'workflows', 'mine.yaml');
  writeFileSync(file, 'kept: true\n');
  const w = wizard(cwd);
  await toStrategy(w);
  await w.press(KEY.enter);
  await w.until('calibra run loads it');
  await w.press('s', ...Array(30).fill(KEY.backspace));
  await w.type('mine');
  await w.press(KEY.enter);
  await w.until('workflows/mine.yaml exists: y replaces it');
  await w.press('n');
  await w.until('kept the existing workflows/mine.yaml');
  assert.equal(readFileSync(file, 'utf8'), 'kept: true\n');
  await w.press('s', ...Array(30).fill(KEY.backspace));
  await w.type('mine');
  await w.press(KEY.enter);
  await w.until('exists: y replaces it');
  await w.press('y');
  await w.until('✓ saved workflows/mine.yaml');
  assert.match(readFileSync(file, 'utf8'), /name: finetune-digits-resnet/);
  w.app.unmount();
});
