// Shared by the reliability tests: stores written directly in the store's format, a dead
// process to own a `running` run, and the real binary run with control over its life.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../src/util/package-root.js';
import type { RunRecord, StoreData } from '../../src/store/run-store.js';

export const BIN = join(PACKAGE_ROOT, 'bin', 'calibra.js');

export const newHome = () => mkdtemp(join(tmpdir(), 'calibra-rel-'));

export function finishedRun(id: string, startedAt: string, padding = ''): RunRecord {
  return {
    id, command: 'eval', status: 'finished', startedAt, finishedAt: startedAt, seconds: 1, backend: 'wasm',
    config: { data: `/data/${id}`, note: padding }, epochs: [], result: { accuracy: 0.5 }, error: null,
    lineage: { parentModel: null, dataset: null, outputModel: null },
  };
}

/** The pid of a process that has exited. */
export function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

/** A `running` run whose process is gone, last seen at `lastSeen`. */
export function orphanRun(id: string, startedAt: string, lastSeen: string): RunRecord {
  return { ...finishedRun(id, startedAt), status: 'running', finishedAt: '', result: null, process: { host: hostname(), pid: deadPid(), start: null }, lastSeen };
}

export async function writeStore(home: string, runs: RunRecord[]): Promise<string> {
  const file = join(home, 'runs.json');
  await writeFile(file, JSON.stringify({ version: 1, runs } satisfies StoreData));
  return file;
}

export function readStore(home: string): StoreData | null {
  const file = join(home, 'runs.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as StoreData) : null;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** The last stdout line as JSON. */
  json: Record<string, unknown> | null;
}

export interface Running {
  child: ChildProcess;
  /** Resolves when stderr has printed a line matching `pattern`. */
  stderrMatches(pattern: RegExp): Promise<void>;
  exited: Promise<Exit>;
}

export function startCli(args: string[], home: string, env: Record<string, string> = {}): Running {
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, CALIBRA_HOME: home, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const waiters: { pattern: RegExp; resolve: () => void }[] = [];
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => {
    stderr += d;
    for (const w of waiters.filter((w) => w.pattern.test(stderr))) w.resolve();
  });
  const exited = new Promise<Exit>((resolve) => child.on('close', (code, signal) => {
    let json: Record<string, unknown> | null = null;
    try {
      json = JSON.parse(stdout.trim().split('\n').pop() ?? '');
    } catch {
      json = null;
    }
    resolve({ code, signal, stdout, stderr, json });
  }));
  return {
    child,
    exited,
    stderrMatches: (pattern) => new Promise((resolve, reject) => {
      if (pattern.test(stderr)) return resolve();
      waiters.push({ pattern, resolve });
      void exited.then((e) => reject(new Error(`exited (${e.code ?? e.signal}) before stderr matched ${pattern}:\n${e.stderr}`)));
    }),
  };
}

export const runCli = (args: string[], home: string, env: Record<string, string> = {}) => startCli(args, home, env).exited;

/** Polls the store until a run has `status`; the store is always whole, so it can be read at any time. */
export async function waitForStatus(home: string, status: string, running?: Running): Promise<RunRecord> {
  for (;;) {
    const run = readStore(home)?.runs.find((r) => r.status === status);
    if (run) return run;
    if (running && running.child.exitCode !== null) throw new Error(`exited (${running.child.exitCode}) before a run was ${status}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
