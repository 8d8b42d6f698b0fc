// node's parseArgs reads any token that starts with '-' as a flag, so `--batch -3` fails as
// "argument is ambiguous" before the value can be checked. A negative number after a flag that
// takes a value is that flag's value: joining them (`--batch=-3`) lets the flag's own check
// answer, e.g. "--batch -3: must be at least 1".
import type { Options } from './command.js';

const NEGATIVE_NUMBER = /^-(\d|\.\d)/;

export function attachNegativeValues(args: readonly string[], options: Options): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const token = args[i]!;
    if (token === '--') return [...out, ...args.slice(i)];
    const next = args[i + 1];
    const name = token.startsWith('--') ? token.slice(2) : null;
    if (name !== null && options[name]?.type === 'string' && next !== undefined && NEGATIVE_NUMBER.test(next)) {
      out.push(`${token}=${next}`);
      i++;
    } else {
      out.push(token);
    }
  }
  return out;
}
