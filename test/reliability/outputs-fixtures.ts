// Shared by the output and model-loading reliability tests: tiny data, one-step training through
// the real binary, and a snapshot of a folder tree to prove that a refused command changed nothing.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, lstat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { calibra, type CliResult } from '../helpers/cli.js';

export async function workDir(tag: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `calibra-${tag}-`));
}

/** Two 32×32 images per digit: enough for one training step of batch 4. */
export async function tinyDigits(dir: string, seed = 1): Promise<string> {
  const r = await calibra(['data', 'synth', '--domain', 'inverted', '--out', dir, '--per-class', '2', '--seed', String(seed), '--json']);
  assert.equal(r.code, 0, r.stderr);
  return dir;
}

export function trainArgs(model: string, data: string, out: string, ...more: string[]): string[] {
  return ['train', '--model', model, '--data', data, '--out', out, '--steps', '1', '--batch', '4', '--no-augment', ...more];
}

/** Lines of stderr other than the backend report and the run store's note. */
export function reportLines(r: CliResult): string[] {
  return r.stderr.split('\n').filter((l) => l !== '' && !l.startsWith('backend: ') && !l.startsWith('recorded run '));
}

/** For `run`, whose stderr also carries step headings and progress: exit 2 and one error line, the last. */
export function runRefusal(r: CliResult): string {
  assert.equal(r.code, 2, r.stderr);
  const errors = r.stderr.split('\n').filter((l) => l.startsWith('calibra: '));
  assert.equal(errors.length, 1, r.stderr);
  assert.equal(r.stderr.trimEnd().split('\n').pop(), errors[0]);
  return errors[0]!;
}

/** Asserts exit 2 with exactly one printable error line, and returns that line. */
export function oneLineRefusal(r: CliResult): string {
  assert.equal(r.code, 2, r.stderr);
  const lines = reportLines(r);
  assert.equal(lines.length, 1, JSON.stringify(r.stderr));
  assert.match(lines[0]!, /^calibra: [\x20-\x7e\u00a0-\u2fff]+$/, 'one printable line');
  return lines[0]!;
}

/** Every path under `root` with a digest of its bytes (files) or a mark (folders, links). */
export async function snapshot(root: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const walk = async (rel: string): Promise<void> => {
    const path = join(root, rel);
    const info = await lstat(path);
    if (info.isDirectory()) {
      out.set(rel + '/', 'dir');
      for (const name of (await readdir(path)).sort()) await walk(join(rel, name));
    } else {
      out.set(rel, info.isSymbolicLink() ? 'link' : createHash('sha256').update(await readFile(path)).digest('hex'));
    }
  };
  await walk('.');
  return out;
}

export async function manifestOf(dir: string): Promise<{ contentHash: string; recipe: { seed?: number } }> {
  return JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8'));
}
