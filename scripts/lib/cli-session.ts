// Runs the real `calibra` binary the way a person would, one command at a time, and keeps the
// exact command lines so a measurement can be repeated by hand. A command that exits non-zero
// ends the measurement: a table with a silently missing cell would read as a result.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../src/util/package-root.js';

/** A calibra command that exited non-zero: its line, its code, and its stderr and last stdout line. */
export class StepFailed extends Error {
  override readonly name = 'StepFailed';
  constructor(readonly command: string, readonly code: number, readonly output: string) {
    super(`command failed (exit ${code}): ${command}\n${output.trimEnd()}`);
  }
}

/** Quotes one argument for a POSIX shell, only when it needs it. */
export function shellQuote(arg: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** The last non-empty stdout line parsed as a JSON object, or null when it is not one. */
export function lastJsonLine(stdout: string): Record<string, unknown> | null {
  const line = stdout.trimEnd().split('\n').pop() ?? '';
  try {
    const parsed: unknown = JSON.parse(line);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

export interface CliSessionArgs {
  /** CALIBRA_HOME for every command: the measurement's runs stay out of the person's store. */
  home: string;
  /** Passed as --backend to every command when set. */
  backend?: string;
  /** Where each command line and its duration are reported as it runs. */
  log: (line: string) => void;
}

export class CliSession {
  /** Every command run so far, as a shell line run from the package root. */
  readonly commands: string[] = [];

  constructor(private readonly args: CliSessionArgs) {}

  /** The environment line that every recorded command assumes. */
  get envLine(): string {
    return `export CALIBRA_HOME=${shellQuote(this.args.home)}   # from ${shellQuote(PACKAGE_ROOT)}`;
  }

  /** Runs `calibra ARGS --json` and returns its JSON; throws StepFailed on a non-zero exit. */
  async run(argv: readonly string[]): Promise<Record<string, unknown>> {
    const full = [...argv, '--json', ...(this.args.backend ? ['--backend', this.args.backend] : [])];
    const command = ['node', 'bin/calibra.js', ...full].map(shellQuote).join(' ');
    this.commands.push(command);
    this.args.log(`$ ${command}`);
    const started = Date.now();
    const { code, stdout, stderr } = await spawnCalibra(full, this.args.home);
    // With --json a refusal is printed as {"error",…} on stdout, so both streams tell why.
    if (code !== 0) throw new StepFailed(command, code, [stderr.trimEnd(), stdout.trimEnd().split('\n').pop() ?? ''].filter((t) => t !== '').join('\n'));
    const json = lastJsonLine(stdout);
    if (json === null) throw new StepFailed(command, code, `${stderr}\nits last stdout line is not a JSON object: ${stdout.trimEnd().split('\n').pop() ?? ''}`);
    this.args.log(`  done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return json;
  }

  /** Runs `calibra ARGS --json` and returns the number its JSON holds under KEY. */
  async measure(argv: readonly string[], key: string): Promise<number> {
    const json = await this.run(argv);
    const v = json[key];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new StepFailed(this.commands[this.commands.length - 1]!, 0, `its JSON has no numeric "${key}": ${JSON.stringify(json).slice(0, 300)}`);
    }
    return v;
  }
}

function spawnCalibra(argv: string[], home: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(PACKAGE_ROOT, 'bin', 'calibra.js'), ...argv], {
      cwd: PACKAGE_ROOT,
      env: { ...process.env, CALIBRA_HOME: home },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    // A signal leaves code null; -1 keeps it a failure.
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

