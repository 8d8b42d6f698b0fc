// The CLI entry: finds the command in the table, parses its flags, runs it, prints its result,
// and maps errors to exit codes. The only process.exit in Calibra is here.
import { parseArgs } from 'node:util';
import { InputError } from '../errors.js';
import { describeBackend, initEngine, parseBackendName, type BackendReport } from '../engine/backend.js';
import type { Command, CommandContext, CommandResult } from './command.js';
import { commands } from './commands/index.js';
import { attachNegativeValues } from './argv.js';
import { mainHelp } from './help.js';
import { asksForVersion, packageVersion } from './version.js';
import { progressPrinter } from './progress.js';
import { Interrupted, listenForInterrupts, type Interrupts } from './interrupt.js';
import { fanOut } from '../events/run-events.js';
import { RunStore } from '../store/run-store.js';
import { createRunRecorder } from '../store/run-recorder.js';

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

function engineStarter(requested: string | undefined, log: (line: string) => void): () => Promise<BackendReport> {
  let report: Promise<BackendReport> | null = null;
  return () => {
    report ??= (async () => {
      const fromEnv = process.env.CALIBRA_BACKEND;
      const name = requested !== undefined ? parseBackendName(requested, '--backend')
        : fromEnv ? parseBackendName(fromEnv, 'CALIBRA_BACKEND=') : undefined;
      const r = await initEngine(name);
      log(describeBackend(r));
      return r;
    })();
    return report;
  };
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
  if (argv.length === 0 && process.stdout.isTTY && process.stdin.isTTY) return { code: await (await import('../tui/index.js')).runTui(), stdout: '' };
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
  const engine = engineStarter(parsed.values.backend as string | undefined, log);
  // Opened before the command runs, so a broken store stops it before any work is done.
  const store = new RunStore();
  const recorder = parsed.values['no-record'] === true ? null : createRunRecorder(store, { interrupted: () => interrupts.received() !== null });
  if (recorder) await store.open();
  const ctx: CommandContext = {
    values: parsed.values,
    positionals: parsed.positionals,
    json,
    log,
    engine,
    env: { engine, emit: fanOut(progressPrinter(), interrupts.sink, ...(recorder ? [recorder.sink] : [])), log, signal: interrupts.signal },
  };
  let result: CommandResult | undefined;
  let error: unknown = null;
  try {
    result = await command.run(ctx);
  } catch (err) {
    error = err;
  }
  let ids: string[] = [];
  try {
    ids = (await recorder?.flush()) ?? [];
  } catch (storeError) {
    // A command that worked but could not be recorded fails; one that failed keeps its own error.
    if (error === null) error = storeError;
    else log(`calibra: ${(storeError as Error).message}`);
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
