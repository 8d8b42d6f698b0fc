// Data folders for the input-reliability tests: good images from the real synthesiser, bad
// ones cut or faked on the fly, and a way to run the CLI as a user that permissions bind.
import { spawnSync } from 'node:child_process';
import { chmod, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import assert from 'node:assert/strict';
import { calibra, type CliResult } from '../helpers/cli.js';
import { ensureParent, rawPixels } from '../data/fixtures.js';

export async function tempDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `calibra-${prefix}-`));
}

/** A tiny labelled digits folder, DIR/0 … DIR/9, made by `calibra data synth`. */
export async function synthFolder(out: string, perClass = 1, seed = 1): Promise<string> {
  const r = await calibra(['data', 'synth', '--domain', 'clean', '--out', out, '--per-class', String(perClass), '--size', '32', '--seed', String(seed), '--json']);
  assert.equal(r.code, 0, r.stderr);
  return out;
}

/** A noisy image (so the encoded file is long enough to cut mid-data), cut to `keep` of its bytes. */
async function truncated(format: 'jpeg' | 'png', keep: number): Promise<Buffer> {
  const noise = rawPixels(64, 64, (x, y) => [(x * 37 + y * 11) & 255, (x * y) & 255, (x ^ y) * 4 & 255]);
  const whole = await sharp(noise, { raw: { width: 64, height: 64, channels: 3 } })[format]().toBuffer();
  return whole.subarray(0, Math.floor(whole.length * keep));
}

export async function writeTruncated(path: string, format: 'jpeg' | 'png', keep = 0.6): Promise<string> {
  await writeFile(await ensureParent(path), await truncated(format, keep));
  return path;
}

/** The one `calibra:` line of a failed run, after checking the exit code is 2. */
export function inputError(r: CliResult): string {
  assert.equal(r.code, 2, `exit 2, got ${r.code}: ${r.stderr}`);
  const lines = r.stderr.split('\n').filter((l) => l.startsWith('calibra: '));
  assert.equal(lines.length, 1, r.stderr);
  return lines[0]!;
}

/** Root reads any folder whatever its mode; a test that needs a permission to bite drops to nobody. */
export const UNPRIVILEGED = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : null;

/** Whether this process's user (or nobody, under root) is refused a listing of dir. */
export function listingRefused(dir: string): boolean {
  const probe = spawnSync(process.execPath, ['-e', `require('node:fs').readdirSync(${JSON.stringify(dir)})`], { ...(UNPRIVILEGED ?? {}), stdio: 'ignore' });
  return probe.status !== 0;
}

/** The real binary, as nobody when this process is root; its folders must be world-readable. */
export async function calibraUnprivileged(args: string[]): Promise<CliResult> {
  const home = await tempDir('home');
  await chmod(home, 0o777);
  return calibra(args, { CALIBRA_HOME: home }, UNPRIVILEGED);
}
