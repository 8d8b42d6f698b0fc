// The CLI entry: finds the command in the table, parses its flags, runs it, prints its result,
// and maps errors to exit codes. The only process.exit in Calibra is here.
import { parseArgs } from 'node:util';
import { InputError } from '../errors.js';
import { describeBackend, initEngine, parseBackendName, type BackendReport } from '../engine/backend.js';
import type { Command, CommandContext } from './command.js';
import { commands } from './commands/index.js';
import { attachNegativeValues } from './argv.js';
import { mainHelp } from './help.js';
import { progressPrinter } from './progress.js';
import { fanOut } from '../events/run-events.js';
import { RunStore } from '../store/run-store.js';
import { createRunRecorder } from '../store/run-recorder.js';

const GLOBAL_OPTIONS = {
  json: { type: 'boolean' },
  backend: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

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

async function run(argv: string[]): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    process.stdout.write(mainHelp(commands));
    return 0;
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
  if (parsed.values.help) {
    process.stdout.write(command.usage.endsWith('\n') ? command.usage : `${command.usage}\n`);
    return 0;
  }
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const json = parsed.values.json === true;
  if (typeof parsed.values.backend === 'string') parseBackendName(parsed.values.backend, '--backend');
  const engine = engineStarter(parsed.values.backend as string | undefined, log);
  const recorder = createRunRecorder(new RunStore());
  const ctx: CommandContext = {
    values: parsed.values,
    positionals: parsed.positionals,
    json,
    log,
    engine,
    env: { engine, emit: fanOut(progressPrinter(), recorder.sink), log },
  };
  let result;
  try {
    result = await command.run(ctx);
  } finally {
    await recorder.flush().then(
      (ids) => ids.forEach((id) => log(`recorded run ${id}`)),
      (err: Error) => log(`warning: could not record the run: ${err.message}`),
    );
  }
  process.stdout.write(json ? `${JSON.stringify(result.json)}\n` : result.text.endsWith('\n') ? result.text : `${result.text}\n`);
  return 0;
}

const wantsJson = process.argv.includes('--json');
run(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    const input = err instanceof InputError;
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`calibra: ${message}\n`);
    if (!input && process.env.CALIBRA_DEBUG && err instanceof Error) process.stderr.write(`${err.stack}\n`);
    if (wantsJson) process.stdout.write(`${JSON.stringify({ error: message, exitCode: input ? 2 : 1 })}\n`);
    process.exit(input ? 2 : 1);
  },
);
