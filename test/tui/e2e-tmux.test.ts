// The real binary in a real 80×24 terminal (tmux): keys in with send-keys, the screen out with
// capture-pane. Through a resumed train stopped with Ctrl+C, a recalibration with accuracy before
// and after, an inspection, a comparison of two runs and a fine-tune through the wizard, checking
// the screens and the store.
// Set CALIBRA_TUI_SCREENS to a folder to keep the captured screens there.
import test, { after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TEST_HOME, calibra } from '../helpers/cli.js';

/** The binary, from the compiled test's place in dist/test/tui/. */
const BIN = fileURLToPath(new URL('../../../bin/calibra.js', import.meta.url));
const SOCKET = `calibra-e2e-${process.pid}`;
const SESSION = 'ui';

function tmux(...args: string[]): string {
  try {
    return execFileSync('tmux', ['-L', SOCKET, '-f', '/dev/null', ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === 'ENOENT') throw new Error('tmux is not installed: the terminal UI end-to-end test needs it (.ci/run installs it)');
    throw new Error(`tmux ${args[0]} failed: ${e.stderr ?? e.message}`);
  }
}

const screen = () => tmux('capture-pane', '-p', '-t', SESSION);
const keys = (...k: string[]) => tmux('send-keys', '-t', SESSION, ...k);
const typeText = (text: string) => tmux('send-keys', '-t', SESSION, '-l', text);

/** Polls the pane until it shows `text`; fails with the last screen, never hangs. */
async function waitForScreen(text: string | RegExp, timeoutMs = 60_000): Promise<string> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const shown = screen();
    if (typeof text === 'string' ? shown.includes(text) : text.test(shown)) return shown;
    if (Date.now() > until) throw new Error(`the terminal never showed ${String(text)} within ${timeoutMs / 1000} s; last screen:\n${shown}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

function keep(name: string, text: string): void {
  const dir = process.env.CALIBRA_TUI_SCREENS;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${name}.txt`), text);
}

interface StoredRun {
  id: string;
  command: string;
  status: string;
  config: Record<string, unknown>;
  result: Record<string, unknown> | null;
  lineage: { resumedFrom?: string };
}

async function storedRuns(): Promise<StoredRun[]> {
  const r = await calibra(['runs', 'list', '--json']);
  assert.equal(r.code, 0, r.stderr);
  return (r.json as { runs: StoredRun[] }).runs;
}

/** A train run stopped with Ctrl+C after its first epoch, as a person would leave one. */
async function stoppedTrain(data: string, out: string): Promise<void> {
  const child = spawn(process.execPath, [BIN, 'train', '--model', 'digits-resnet', '--data', data, '--epochs', '60', '--batch', '8', '--out', out], {
    env: { ...process.env, CALIBRA_HOME: TEST_HOME }, stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  let asked = false;
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  child.stderr.on('data', (d) => {
    stderr += d;
    // Once: a second SIGINT means "quit now", and the run would be left killed, not stopped.
    if (!asked && /^epoch 1: loss/m.test(stderr)) {
      asked = true;
      child.kill('SIGINT');
    }
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
  const code = await exited;
  clearTimeout(timer);
  assert.equal(code, 130, `train should stop on SIGINT after epoch 1:\n${stderr}`);
}

after(() => {
  try {
    tmux('kill-server');
  } catch {
    // No server left to kill: the session ended with the UI.
  }
});

test('the UI in tmux: resume and stop a train, recalibrate with before/after, inspect, compare runs, quit', { timeout: 600_000 }, async () => {
  const work = mkdtempSync(join(tmpdir(), 'calibra-e2e-'));
  const data = join(work, 'inverted');
  const synth = await calibra(['data', 'synth', '--domain', 'inverted', '--per-class', '3', '--out', data]);
  assert.equal(synth.code, 0, synth.stderr);
  await stoppedTrain(data, join(work, 'trained'));
  const [stopped] = await storedRuns();
  assert.equal(stopped!.status, 'stopped');

  // From the work folder, so the wizard's relative paths and its default output land there.
  const command = `cd '${work}' && env CALIBRA_HOME='${TEST_HOME}' '${process.execPath}' '${BIN}'; echo "[calibra exited $?]"; sleep 600`;
  tmux('new-session', '-d', '-s', SESSION, '-x', '80', '-y', '24', command);

  await waitForScreen(/■ .*train .*stopped/);
  const home = await waitForScreen(/engine: (native|wasm|cpu|tfjs-node)/);
  assert.match(home, /Calibra \d+\.\d+\.\d+ — BN-aware fine-tuning/);
  assert.match(home, /n fine-tune {2}a recalibrate {2}i inspect {2}r runs {2}\? help {2}q quit/);

  // Runs: the stopped train is the newest; s resumes it, and its dashboard follows the training.
  keys('r');
  await waitForScreen(/\d+ runs · 1 selected/);
  keys('s');
  await waitForScreen(/^ Dashboard — Resume /);
  // Three finished epochs, so the curves have a shape.
  const training = await waitForScreen(/epoch +loss +acc +val.*(\n +\d+ +\d\.\d{3} .*){3}/, 120_000);
  assert.match(training, /running · native · run \d{8}-\d{6}-\w+/);
  assert.match(training, /epoch \d+\/60 █*░+ +\d+% +\d+ img\/s +ETA \d+:\d\d/);
  assert.match(training, / loss +train accuracy/);
  assert.match(training, /s stop \(checkpoint\)/);
  keep('dashboard-mid-training', training);
  // Ctrl+C stops the run (checkpoint first) and the UI stays.
  keys('C-c');
  const afterStop = await waitForScreen(/stopped · native/);
  assert.match(afterStop, /■ resume \S+ \(train\): stopped after epoch \d+/);
  assert.match(afterStop, /r resumes from it/);
  const resumed = (await storedRuns()).at(-1)!;
  assert.equal(resumed.command, 'train');
  assert.equal(resumed.status, 'stopped');
  assert.equal(resumed.lineage.resumedFrom, stopped!.id);

  // Recalibrate: AdaBN on the folder, with it as the labelled target for before and after.
  keys('Escape');
  await waitForScreen(/^ Runs/);
  keys('Escape');
  await waitForScreen(/^ Calibra/);
  keys('a');
  await waitForScreen(/^ Recalibrate/);
  keys('Down');
  typeText(data.slice(0, -3));
  keys('Tab');
  await waitForScreen(`${data}/`);
  keys('Down');
  typeText(data);
  keys('Down', 'Down', 'Down');
  typeText('30');
  keys('Down');
  const out = join(work, 'recalibrated');
  typeText(out);
  await waitForScreen(out);
  keys('Enter');
  await waitForScreen(/^ Dashboard — Recalibrate digits-resnet/);
  const recalibrated = await waitForScreen(/accuracy before \d+\.\d% → after \d+\.\d% \([+-]\d+\.\d points\)/, 180_000);
  assert.match(recalibrated, /finished · native/);
  assert.match(recalibrated, /✓ before \(eval\): accuracy \d+\.\d% on 30 images/);
  assert.match(recalibrated, /✓ recalibrate \(recalibrate\): \d+ BN layers from 30 images/);
  const runs = await storedRuns();
  const [before, recal, afterEval] = runs.slice(-3);
  assert.deepEqual([before!.command, recal!.command, afterEval!.command], ['eval', 'recalibrate', 'eval']);
  for (const r of [before, recal, afterEval]) assert.equal(r!.status, 'finished');
  assert.equal(recal!.result!.out, out);
  assert.equal(afterEval!.config.model, out);
  const shownGain = /accuracy before (\d+\.\d)% → after (\d+\.\d)%/.exec(recalibrated)!;
  assert.equal(shownGain[1], (100 * (before!.result!.accuracy as number)).toFixed(1));
  assert.equal(shownGain[2], (100 * (afterEval!.result!.accuracy as number)).toFixed(1));

  // Inspect: drift bars grouped, the advice.
  keys('Escape');
  await waitForScreen(/^ Recalibrate/);
  keys('Escape');
  await waitForScreen(/^ Calibra/);
  keys('i');
  await waitForScreen(/^ Inspect/);
  keys('Down');
  typeText(data);
  keys('Enter');
  const inspected = await waitForScreen(/Advice: /, 120_000);
  assert.match(inspected, /stem \(mean \d+\.\d\d\)/);
  assert.match(inspected, /stem_bn +█+ +\d+\.\d\d/);
  assert.match(inspected, /g recalibrates /);
  keep('inspector', inspected);
  assert.equal((await storedRuns()).at(-1)!.command, 'inspect');

  // Runs: compare the evals before and after recalibration.
  keys('Escape');
  await waitForScreen(/^ Calibra/);
  keys('r');
  await waitForScreen(/\d+ runs · 1 selected/);
  // Newest first: inspect, eval after, recalibrate, eval before.
  keys('Down', 'c');
  await waitForScreen('comparing with');
  keys('Down', 'Down', 'c');
  const compared = await waitForScreen(/accuracy +\d+\.\d% +\d+\.\d%/);
  assert.match(compared, /^ Runs ▸ compare/);
  assert.ok(compared.includes(`a ${afterEval!.id}`) && compared.includes(`b ${before!.id}`), compared);
  assert.match(compared, /model +\S+ +digits-resnet/);
  keep('run-comparison', compared);

  // Replay: the resumed train's stored events, folded into its curves and epochs again.
  keys('Escape');
  await waitForScreen(/\d+ runs · 1 selected/);
  keys('Down', 'Down', 'Down', 'Down');
  await waitForScreen('5 selected');
  keys('p');
  const replayed = await waitForScreen(/^ Runs ▸ replay[\s\S]*stopped · native/);
  assert.ok(replayed.includes(resumed.id), replayed);
  assert.match(replayed, / loss +train accuracy[\s\S]*epoch +loss +acc/);
  keep('run-replay', replayed);

  // Fine-tune through the wizard: the zoo model, the folder typed relative to where calibra
  // started, a validation share, the feature-extraction preset, and the run from the review.
  keys('Escape');
  await waitForScreen(/^ Runs/);
  keys('Escape');
  await waitForScreen(/^ Calibra/);
  keys('n');
  await waitForScreen(/^ Fine-tune ▸ model/);
  await waitForScreen('digits-resnet');
  keys('Enter');
  await waitForScreen('params');
  keys('Enter');
  await waitForScreen(/^ Fine-tune ▸ model ✓ ▸ data/);
  typeText('inver');
  keys('Tab');
  await waitForScreen('inverted/');
  keys('Enter');
  const scanned = await waitForScreen('10 classes, 30 images');
  keep('wizard-data', scanned);
  keys('Enter');
  keys('Enter');
  const strategy = await waitForScreen(/^ Fine-tune ▸ model ✓ ▸ data ✓ ▸ strategy/);
  assert.match(strategy, /feature-extraction/);
  keep('wizard-strategy', strategy);
  keys('Enter');
  const review = await waitForScreen('calibra run loads it');
  assert.match(review, /freeze: backbone/);
  keys('Enter');
  await waitForScreen(/^ Dashboard — Fine-tune digits-resnet on inverted/);
  const fineTuned = await waitForScreen(/finished · native/, 180_000);
  keep('dashboard-fine-tune-finished', fineTuned);
  const train = (await storedRuns()).at(-1)!;
  assert.deepEqual([train.command, train.status, train.config.freeze, train.config.out], ['train', 'finished', 'backbone', join(work, 'finetuned', 'digits-resnet')]);
  assert.equal(train.result!.featureCache, 'built', 'head-only with frozen statistics trains on cached features');
  const onDisk = await calibra(['eval', '--model', join(work, 'finetuned', 'digits-resnet'), '--data', data, '--json']);
  assert.equal(onDisk.code, 0, onDisk.stderr);

  // Every screen fits 80×24; q on home quits with exit code 0.
  for (const shown of [home, training, recalibrated, inspected, compared, replayed, scanned, strategy, review, fineTuned]) {
    for (const line of shown.split('\n')) assert.ok(line.length <= 80, line);
  }
  keys('Escape');
  await waitForScreen(/^ Calibra/);
  keys('q');
  await waitForScreen('[calibra exited 0]');
});
