// Runs the real binary, as a person would.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../src/util/package-root.js';

/** Tests never write into the person's ~/.calibra. */
export const TEST_HOME = mkdtempSync(join(tmpdir(), 'calibra-home-'));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  /** The last stdout line parsed as JSON, when it is JSON. */
  json: Record<string, unknown> | null;
}

/** `as` runs the binary under another user (tests that need a file permission to bite as root). */
export function calibra(args: string[], env: Record<string, string> = {}, as: { uid: number; gid: number } | null = null): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(PACKAGE_ROOT, 'bin', 'calibra.js'), ...args], {
      ...(as ?? {}),
      env: { ...process.env, CALIBRA_HOME: TEST_HOME, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => {
      let json: Record<string, unknown> | null = null;
      try {
        json = JSON.parse(stdout.trim().split('\n').pop() ?? '');
      } catch {
        json = null;
      }
      resolve({ code: code ?? -1, stdout, stderr, json });
    });
  });
}
