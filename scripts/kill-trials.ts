// Randomised crash trials: run `train`, `recalibrate` and `eval` through the real CLI, kill -9 each
// at a random moment, then check what a person would find afterwards. Every --out must be absent
// or a complete loadable model, a model being replaced must survive whole (old or new), the run
// store must parse, no later command may wait on a stale lock, and every killed run must be
// marked as such. Deterministic per seed; prints the counts.
//
//   node dist/scripts/kill-trials.js [--trials 50] [--seed 1]
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PACKAGE_ROOT } from '../src/util/package-root.js';
import { createRng } from '../src/util/rng.js';

const { values } = parseArgs({ options: { trials: { type: 'string', default: '50' }, seed: { type: 'string', default: '1' } } });
const trials = Number(values.trials);
const rng = createRng(Number(values.seed));
const work = await mkdtemp(join(tmpdir(), 'calibra-kill-'));
const home = join(work, 'home');
const BIN = join(PACKAGE_ROOT, 'bin', 'calibra.js');

interface Outcome { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; ms: number }

function calibra(args: string[], killAfterMs?: number): Promise<Outcome> {
  return new Promise((resolve) => {
    const start = Date.now();
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, CALIBRA_HOME: home }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = killAfterMs === undefined ? null : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: Date.now() - start });
    });
  });
}

function must(o: Outcome, what: string): Outcome {
  if (o.code !== 0) throw new Error(`${what} failed (exit ${o.code}): ${o.stderr.trim().split('\n').pop()}`);
  return o;
}

const lastJson = (o: Outcome) => JSON.parse(o.stdout.trim().split('\n').pop() ?? '{}') as Record<string, unknown>;

const data = join(work, 'data');
must(await calibra(['data', 'synth', '--domain', 'inverted', '--out', data, '--per-class', '12', '--seed', '1']), 'data synth');
const base = join(work, 'base');
must(await calibra(['train', '--model', 'digits-resnet', '--data', data, '--out', base, '--steps', '1', '--batch', '8']), 'base train');

type Kind = 'train-new' | 'train-replace' | 'recalibrate' | 'eval';
const commandFor = (kind: Kind, out: string): string[] => {
  switch (kind) {
    case 'train-new': return ['train', '--model', base, '--data', data, '--out', out, '--epochs', '1', '--batch', '16'];
    case 'train-replace': return ['train', '--model', base, '--data', data, '--out', out, '--epochs', '1', '--batch', '16', '--overwrite'];
    case 'recalibrate': return ['recalibrate', '--model', base, '--images', data, '--out', out, '--mode', 'exact', '--overwrite'];
    case 'eval': return ['eval', '--model', base, '--data', data];
  }
};

// How long each command takes when left alone, so kills land anywhere from start-up to the end.
const kinds: Kind[] = ['train-new', 'train-replace', 'recalibrate', 'eval'];
const duration = new Map<Kind, number>();
for (const kind of kinds) {
  const out = join(work, `timing-${kind}`);
  if (kind === 'train-replace') must(await calibra(commandFor('train-new', out)), 'timing setup');
  duration.set(kind, must(await calibra(commandFor(kind, out)), `timing ${kind}`).ms);
}

const problems: string[] = [];
const counts = { trials: 0, killed: 0, finishedBeforeKill: 0, outAbsent: 0, outNew: 0, outOld: 0, storeChecks: 0 };
const hashOf = async (dir: string): Promise<string | null> => {
  const o = await calibra(['eval', '--model', dir, '--data', data, '--json']);
  return o.code === 0 ? String(lastJson(o).modelHash) : null;
};

for (let t = 0; t < trials; t++) {
  const kind = kinds[rng.int(kinds.length)]!;
  const out = join(work, `out-${t}`);
  let oldHash: string | null = null;
  if (kind === 'train-replace' || kind === 'recalibrate') {
    if (rng.next() < 0.5 || kind === 'train-replace') {
      must(await calibra(commandFor('train-new', out)), 'replace setup');
      oldHash = await hashOf(out);
    }
  }
  const at = Math.floor(rng.next() * duration.get(kind)! * 1.1);
  const o = await calibra(commandFor(kind, out), at);
  counts.trials++;
  if (o.signal === 'SIGKILL') counts.killed++;
  else counts.finishedBeforeKill++;

  if (kind !== 'eval') {
    // The check itself is the next command that touches the path: it finishes or rolls back
    // an interrupted swap before loading.
    const hash = existsSync(out) ? await hashOf(out) : null;
    if (!existsSync(out)) {
      if (oldHash !== null) problems.push(`trial ${t} (${kind}, kill at ${at} ms): the model being replaced is gone`);
      counts.outAbsent++;
    } else if (hash === null) {
      problems.push(`trial ${t} (${kind}, kill at ${at} ms): ${out} exists but does not load`);
    } else if (hash === oldHash) counts.outOld++;
    else counts.outNew++;
    const leftovers = (await readdir(work)).filter((f) => f.startsWith(`.out-${t}.`));
    if (leftovers.length > 0) problems.push(`trial ${t} (${kind}): leftovers ${leftovers.join(', ')}`);
  }
  const list = await calibra(['runs', 'list', '--json'], 20_000);
  counts.storeChecks++;
  if (list.code !== 0) problems.push(`trial ${t}: runs list exit ${list.code}: ${list.stderr.trim().split('\n').pop()}`);
  else if (list.ms > 10_000) problems.push(`trial ${t}: runs list took ${list.ms} ms (a stale lock?)`);
  else {
    const running = (lastJson(list).runs as { id: string; status: string }[]).filter((r) => r.status === 'running');
    if (running.length > 0) problems.push(`trial ${t}: runs still marked running after their process died: ${running.map((r) => r.id).join(', ')}`);
  }
}

const runs = lastJson(must(await calibra(['runs', 'list', '--json']), 'final runs list')).runs as { status: string }[];
const byStatus = runs.reduce<Record<string, number>>((m, r) => ({ ...m, [r.status]: (m[r.status] ?? 0) + 1 }), {});
console.log(JSON.stringify({ ...counts, runsByStatus: byStatus, problems: problems.length, work }, null, 1));
for (const p of problems) console.log(`problem: ${p}`);
process.exitCode = problems.length === 0 ? 0 : 1;
