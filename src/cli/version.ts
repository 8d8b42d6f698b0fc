// `calibra --version`: the version in the package's own package.json.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../util/package-root.js';

export const VERSION_FLAGS = ['--version', '-V'] as const;

export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version?: unknown };
  if (typeof pkg.version !== 'string') throw new Error(`${join(PACKAGE_ROOT, 'package.json')}: no version`);
  return pkg.version;
}

/** Whether argv asks only for the version (with or without --json). */
export function asksForVersion(argv: readonly string[]): boolean {
  const isVersion = (a: string) => (VERSION_FLAGS as readonly string[]).includes(a);
  return argv.some(isVersion) && argv.every((a) => isVersion(a) || a === '--json');
}
