// The CLI entry: finds the command in the table, parses its flags, runs it, prints its result,
// and maps errors to exit codes. The only process.exit in Calibra is here.
import { parseArgs } from 'node:util';
import { InputError } from '../errors.js';
import { parseBackendName } from '../engine/backend.js';
import type { Command, CommandContext, CommandResult } from './command.js';
import { commands } from './commands/index.js';
import { attachNegativeValues } from './argv.js';
import { mainHelp } from './help.js';
import { asksForVersion, packageVersion } from './version.js';
import { progressPrinter } from './progress.js';
import { Interrupted, listenForInterrupts, type Interrupts } from './interrupt.js';
import { fanOut } from '../events/run-events.js';
import { engineStarter } from '../run/engine-starter.js';
import { RunStore } from '../store/run-store.js';
import { executeRun, type RunHooks } from '../run/run-api.js';
import type { StepResults } from '../workflows/runner.js';
import type { Step } from '../workflows/schema.js';

const GLOBAL_OPTIONS = {
  json: { type: 'boolean' },
  backend: { type: 'string' },
  'no-record': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** What the process prints on stdout last, and its exit code. */
interface Outcome {
  code: number;
  stdout: string;
}

function findCommand(argv: string[]): { command: Command; rest: string[] } | null {
  const twoWord = commands.find((c) => c.name === `${argv[0]} ${argv[1]}`);
  if (twoWord) return { command: twoWord, rest: argv.slice(2) };
  const oneWord = commands.find((c) => c.name === argv[0]);
  return oneWord ? { command: oneWord, rest: argv.slice(1) } : null;
}

function failure(err: unknown, json: boolean, runIds: Record<string, unknown>, signal: NodeJS.Signals | null): Outcome {
  const code = signal !== null ? 130 : err instanceof InputError ? 2 : 1;
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`calibra: ${message}\n`);
  if (code === 1 && process.env.CALIBRA_DEBUG && err instanceof Error) process.stderr.write(`${err.stack}\n`);
  return { code, stdout: json ? `${JSON.stringify({ error: message, exitCode: code, ...runIds })}\n` : '' };
}

async function run(argv: string[], interrupts: Interrupts): Promise<Outcome> {
  // The UI reads keys from stdin and draws on stdout: both must be a terminal.
  if (argv.length === 0 && process.stdout.isTTY && process.stdin.isTTY) {
    // With CI set, ink draws nothing until it exits (it assumes a log, not a screen); a TTY on
    // both ends is a person at a terminal, so the UI draws. Cleared before ink is first loaded.
    delete process.env.CI;
    delete process.env.CONTINUOUS_INTEGRATION;
    return { code: await (await import('../tui/index.js')).runTui(), stdout: '' };
  }
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') return { code: 0, stdout: mainHelp(commands) };
  if (asksForVersion(argv)) {
    const version = packageVersion();
    return { code: 0, stdout: `${argv.includes('--json') ? JSON.stringify({ version }) : version}\n` };
  }
  const found = findCommand(argv);
  if (!found) throw new InputError(`unknown command '${argv[0]}' (see 'calibra --help')`);
  const { command, rest } = found;
  let parsed;
  try {
    parsed = parseArgs({ args: attachNegativeValues(rest, command.options), options: { ...command.options, ...GLOBAL_OPTIONS }, strict: true, allowPositionals: command.positionals ?? false });
  } catch (err) {
    throw new InputError(`${command.name}: ${(err as Error).message.split('\n')[0]} (see 'calibra ${command.name} --help')`);
  }
  if (parsed.values.help) return { code: 0, stdout: command.usage.endsWith('\n') ? command.usage : `${command.usage}\n` };
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const json = parsed.values.json === true;
  if (typeof parsed.values.backend === 'string') parseBackendName(parsed.values.backend, '--backend');
  const backend = parsed.values.backend as string | undefined;
  const record = parsed.values['no-record'] !== true;
  // Every command opens the store first (it also holds registered models), so a broken store
  // stops it before any work is done; --no-record is the way past one.
  if (record) await new RunStore().open();
  const ids: string[] = [];
  const hooks: RunHooks = { signal: interrupts.signal, log, onEvent: fanOut(progressPrinter(), interrupts.sink), onRecorded: (recorded) => ids.push(...recorded) };
  const runSteps = async (steps: Step[]) => (await executeRun({ steps, backend, record }, hooks)).outcomes;
  const ctx: CommandContext = {
    values: parsed.values,
    positionals: parsed.positionals,
    json,
    log,
    engine: engineStarter(backend, log),
    runSteps,
    runStep: async <S extends Step>(step: S) => (await runSteps([step]))[0]!.result as unknown as StepResults[S['kind']],
  };
  let result: CommandResult | undefined;
  let error: unknown = null;
  try {
    result = await command.run(ctx);
  } catch (err) {
    error = err;
  }
  for (const id of ids) log(`recorded run ${id}`);
  const runIds = ids.length === 1 ? { runId: ids[0] } : ids.length > 1 ? { runIds: ids } : {};
  const signal = interrupts.received();
  if (error === null && signal !== null) error = new Interrupted(`interrupted by ${signal}`);
  if (error !== null || result === undefined) return failure(error, json, runIds, signal);
  return { code: 0, stdout: json ? `${JSON.stringify({ ...result.json, ...runIds })}\n` : result.text.endsWith('\n') ? result.text : `${result.text}\n` };
}

/**
 * Exits once stdout and stderr have taken everything: a pipe holds only 64 KiB, and exiting
 * earlier would cut a large --json object short. A reader that went away (EPIPE) ends it too.
 */
function exitWhenWritten({ code, stdout }: Outcome): void {
  const exit = () => process.exit(code);
  process.stdout.on('error', exit);
  process.stdout.write(stdout, () => process.stderr.write('', exit));
}

const interrupts = listenForInterrupts((line) => process.stderr.write(`${line}\n`), (reason) => {
  process.stderr.write(`calibra: ${reason}\n`);
  process.exit(130);
});
const wantsJson = process.argv.includes('--json');
run(process.argv.slice(2), interrupts).then(exitWhenWritten, (err: unknown) => exitWhenWritten(failure(err, wantsJson, {}, interrupts.received())));
