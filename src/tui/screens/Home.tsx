import { Box, Text } from 'ink';
import { localStamp } from '../../cli/format.js';
import { dataName, keyMetric, modelName } from '../../store/run-summary.js';
import type { RunRecord, RunStatus } from '../../store/run-record.js';
import { fit } from '../text.js';
import type { KeyHint } from '../components/Footer.js';
import { useKeys } from '../hooks/use-keys.js';

export type HomeAction = 'fine-tune' | 'recalibrate' | 'inspect' | 'runs' | 'dashboard' | 'quit';

type Props = Readonly<{
  runs: readonly RunRecord[] | null;
  zoo: readonly string[];
  /** A run is in progress, or one ended this session: d opens its dashboard. */
  hasRun: boolean;
  onAction(action: HomeAction): void;
  width: number;
  height: number;
  isActive: boolean;
}>;

const KEYS: Record<string, HomeAction> = { n: 'fine-tune', a: 'recalibrate', i: 'inspect', r: 'runs', d: 'dashboard', q: 'quit' };

export function homeKeys(hasRun: boolean): KeyHint[] {
  return [['n', 'fine-tune'], ['a', 'recalibrate'], ['i', 'inspect'], ['r', 'runs'], ...(hasRun ? [['d', 'dashboard'] as const] : []), ['?', 'help'], ['q', 'quit']];
}

const GLYPH: Record<RunStatus, string> = { finished: '✓', running: '▸', stopped: '■', failed: '✗', killed: '✗' };
/** Short enough to leave the model and data their room at 80 columns. */
const COMMAND: Record<string, string> = { recalibrate: 'recal', pretrain: 'pretrain' };

function runLine(run: RunRecord, width: number): string {
  const m = keyMetric(run);
  const figure = run.status !== 'finished' ? run.status : m === null ? '' : m.kind === 'count' ? `${m.value} img` : `${m.label} ${(100 * m.value).toFixed(1)}%`;
  const head = `${GLYPH[run.status]} ${localStamp(run.startedAt)} ${fit(COMMAND[run.command] ?? run.command, 7)} `;
  const tail = ` ${figure.padStart(9)}`;
  return head + fit(`${modelName(run)}→${dataName(run)}`, Math.max(4, width - head.length - tail.length)) + tail;
}

/** What Calibra can do, the runs so far, and (in the title line) the engine. */
export function Home({ runs, zoo, hasRun, onAction, width, height, isActive }: Props) {
  useKeys((input) => {
    const action = KEYS[input];
    if (action && (action !== 'dashboard' || hasRun)) onAction(action);
  }, isActive);
  const left = 28;
  // Inside the right box: its width less the two border columns and a leading space.
  const right = Math.max(20, width - left - 3);
  const recent = (runs ?? []).slice(-Math.max(1, height - 4)).reverse();
  return (
    <Box>
      <Box flexDirection="column" borderStyle="single" width={left}>
        <Text bold> Actions</Text>
        <Text> <Text color="cyan">n</Text>  Fine-tune a model</Text>
        <Text> <Text color="cyan">a</Text>  Recalibrate BN (AdaBN)</Text>
        <Text> <Text color="cyan">i</Text>  Inspect BN drift</Text>
        <Text> <Text color="cyan">r</Text>  Runs</Text>
        {hasRun ? <Text> <Text color="cyan">d</Text>  Dashboard (last run)</Text> : null}
        <Text> </Text>
        <Text wrap="truncate-end" dimColor> Zoo: {zoo.length > 0 ? zoo.join(', ') : 'none shipped'}</Text>
      </Box>
      <Box flexDirection="column" borderStyle="single" width={right + 3}>
        <Text bold> Recent runs</Text>
        {runs === null ? <Text dimColor> reading the store…</Text>
          : recent.length === 0 ? <Text dimColor> no runs yet: n fine-tunes a model on a folder</Text>
          : recent.map((r) => <Text key={r.id} wrap="truncate-end"> {runLine(r, right)}</Text>)}
      </Box>
    </Box>
  );
}
