import { useCallback, useEffect, useReducer, useState } from 'react';
import { Box } from 'ink';
import { basename } from 'node:path';
import type { RunRecord } from '../store/run-record.js';
import type { Step } from '../workflows/schema.js';
import { errorHelp, type ErrorHelp } from './error-help.js';
import { KeysProvider, useKeyRouter } from './hooks/use-keys.js';
import { useRun } from './hooks/use-run.js';
import { useTerminalSize } from './hooks/use-terminal-size.js';
import { initialStack, navReducer, type Screen } from './navigation.js';
import type { ListDir } from './path-completion.js';
import { recalibrationRequest, type RecalibrateForm } from './recalibration.js';
import type { EngineInfo, RunPort, RunRequest } from './run-port.js';
import { ErrorBox } from './components/ErrorBox.js';
import { Frame } from './components/Frame.js';
import type { KeyHint } from './components/Footer.js';
import { HelpOverlay } from './components/HelpOverlay.js';
import { Compare } from './screens/Compare.js';
import { Dashboard, dashboardKeys } from './screens/Dashboard.js';
import { Home, homeKeys, type HomeAction } from './screens/Home.js';
import { Inspect, inspectKeys, measuredResult } from './screens/Inspect.js';
import { Recalibrate, recalibrateKeys } from './screens/Recalibrate.js';
import { Replay } from './screens/Replay.js';
import { RunDetails, runDetailsKeys } from './screens/RunDetails.js';
import { Runs, runsKeys, type RunsAction } from './screens/Runs.js';
import { FineTuneWizard } from './screens/fine-tune/FineTuneWizard.js';

type Props = Readonly<{ port: RunPort; listDir: ListDir; version: string; onQuit(): void }>;

const HOME_TARGETS: Record<Exclude<HomeAction, 'quit'>, Screen> = {
  'fine-tune': { name: 'fine-tune' }, recalibrate: { name: 'recalibrate' }, inspect: { name: 'inspect' }, runs: { name: 'runs' }, dashboard: { name: 'dashboard' },
};

function engineText(engine: EngineInfo | null | undefined): string {
  if (engine === undefined) return 'engine: starting…';
  if (engine === null) return 'engine: unavailable';
  if (engine.threads === null) return `engine: ${engine.backend}`;
  return `engine: ${engine.backend} · ${engine.threads} thread${engine.threads === 1 ? '' : 's'}`;
}

/** What a fine-tune's dashboard is titled by: its model and data folder. */
function fineTuneTitle(steps: readonly Step[]): string {
  const train = steps.find((s) => s.kind === 'train');
  return train?.kind === 'train' ? `${basename(train.options.model)} on ${basename(train.options.data)}` : '';
}

/** The shell: one screen stack, one run at a time, the help overlay, and the keys that work everywhere. */
export function App({ port, listDir, version, onQuit }: Props) {
  const { columns, rows } = useTerminalSize();
  const [stack, nav] = useReducer(navReducer, initialStack);
  const [help, setHelp] = useState(false);
  const [quitting, setQuitting] = useState(false);
  const [notice, setNotice] = useState<ErrorHelp | null>(null);
  const [runs, setRuns] = useState<RunRecord[] | null>(null);
  const [engine, setEngine] = useState<EngineInfo | null | undefined>(undefined);
  const run = useRun(port);
  const screen = stack.at(-1)!;

  useEffect(() => {
    port.engine().then(setEngine, () => setEngine(null));
  }, [port]);
  // The home list is read again whenever home shows and whenever a run changes status.
  useEffect(() => {
    if (screen.name === 'home') port.listRuns().then(setRuns, (err: unknown) => setNotice(errorHelp(err)));
  }, [port, screen, run.state.status]);
  // q with a run in progress stops it first, and quits once it is recorded.
  useEffect(() => {
    if (quitting && !run.active) onQuit();
  }, [quitting, run.active, onQuit]);

  const startRun = useCallback((request: RunRequest, title: string, dashboard = true) => {
    const started = run.start(request, title);
    if (started && dashboard) nav({ type: 'push', screen: { name: 'dashboard' } });
    return started;
  }, [run.start]);
  const recalibrate = useCallback((form: RecalibrateForm) => {
    let request: RunRequest;
    try {
      request = recalibrationRequest(form);
    } catch (err) {
      return setNotice(errorHelp(err));
    }
    nav({ type: 'push', screen: { name: 'recalibrate', draft: form } });
    startRun(request, `Recalibrate ${form.model} on ${form.images} (${form.groups || 'all groups'})`);
  }, [startRun]);
  const resume = useCallback((id: string) => {
    port.resumeRequest(id).then((request) => {
      if (!startRun(request, `Resume ${id}`)) setNotice({ message: 'a run is in progress', fix: 'wait for it, or stop it (s on its dashboard)' });
    }, (err: unknown) => setNotice(errorHelp(err)));
  }, [port, startRun]);

  // Ctrl+C, ? and Esc work on every screen; other keys go to the screen in view. The wizard
  // keeps Esc (a step back) and ? (typed text) for itself.
  const keys = useKeyRouter((input, key) => {
    setNotice(null);
    const wizard = screen.name === 'fine-tune';
    if (key.ctrl && input === 'c') {
      if (run.active) {
        run.stop();
        if (screen.name !== 'dashboard') nav({ type: 'push', screen: { name: 'dashboard' } });
      } else if (screen.name === 'home') onQuit();
      else nav({ type: 'home' });
    } else if (input === '?' && !wizard) setHelp((h) => !h);
    else if (key.escape && !wizard) {
      if (help) setHelp(false);
      else nav({ type: 'back' });
    } else return false;
    return true;
  });

  const onHome = (action: HomeAction) => {
    if (action === 'quit') {
      if (run.active) run.stop();
      setQuitting(true);
    } else nav({ type: 'push', screen: HOME_TARGETS[action] });
  };
  const onRuns = (action: RunsAction) => {
    if (action.type === 'resume') resume(action.id);
    else if (action.type === 'details') nav({ type: 'push', screen: { name: 'run', id: action.id } });
    else if (action.type === 'replay') nav({ type: 'push', screen: { name: 'replay', id: action.id } });
    else nav({ type: 'push', screen: { name: 'compare', a: action.a, b: action.b } });
  };

  const active = !help;
  if (screen.name === 'fine-tune') {
    // The wizard draws its own title (Fine-tune ▸ step), step header and keys, on the whole screen.
    return (
      <KeysProvider value={keys}>
        <Box flexDirection="column" width={columns} height={rows - 1}>
          <FineTuneWizard
            onRun={(steps) => {
              // The dashboard takes the wizard's place: esc from it goes home, not to a wizard started over.
              if (startRun({ steps }, `Fine-tune ${fineTuneTitle(steps)}`, false)) nav({ type: 'replace', screen: { name: 'dashboard' } });
            }}
            onCancel={() => nav({ type: 'back' })}
          />
          {notice ? <ErrorBox help={notice} /> : null}
        </Box>
      </KeysProvider>
    );
  }
  const height = rows - 3 - (notice ? 4 : 0);
  const width = columns - 1;
  let title: string;
  let hints: KeyHint[];
  let body;
  switch (screen.name) {
    case 'home':
      title = `Calibra ${version} — BN-aware fine-tuning`;
      hints = homeKeys(run.title !== null);
      body = <Home runs={runs} zoo={port.zoo()} hasRun={run.title !== null} onAction={onHome} width={width} height={height} isActive={active} />;
      break;
    case 'recalibrate':
      title = 'Recalibrate';
      hints = recalibrateKeys;
      body = (
        <Recalibrate
          draft={screen.draft}
          zoo={port.zoo()}
          onRun={(request, runTitle, form) => {
            // The form's values stay on the stack under the dashboard, for esc back to them.
            nav({ type: 'replace', screen: { name: 'recalibrate', draft: form } });
            return startRun(request, runTitle);
          }}
          listDir={listDir}
          width={width}
          isActive={active}
        />
      );
      break;
    case 'inspect':
      title = 'Inspect';
      hints = inspectKeys(measuredResult(run, true) !== null);
      body = <Inspect run={run} zoo={port.zoo()} onRun={startRun} onRecalibrate={recalibrate} listDir={listDir} width={width} height={height} isActive={active} />;
      break;
    case 'dashboard':
      title = `Dashboard — ${run.title ?? 'no run yet'}`;
      hints = dashboardKeys(run);
      body = <Dashboard run={run} onResume={resume} width={width} height={height} isActive={active} />;
      break;
    case 'runs':
      title = 'Runs';
      hints = runsKeys;
      body = <Runs port={port} onAction={onRuns} width={width} height={height} isActive={active} />;
      break;
    case 'run':
      title = `Runs ▸ ${screen.id}`;
      hints = runDetailsKeys;
      body = <RunDetails port={port} id={screen.id} onReplay={(id) => nav({ type: 'push', screen: { name: 'replay', id } })} height={height} isActive={active} />;
      break;
    case 'replay':
      title = `Runs ▸ replay ${screen.id}`;
      hints = [['esc', 'back'], ['?', 'help']];
      body = <Replay port={port} id={screen.id} width={width} height={height} />;
      break;
    case 'compare':
      title = 'Runs ▸ compare';
      hints = [['esc', 'back'], ['?', 'help']];
      body = <Compare port={port} a={screen.a} b={screen.b} width={width} height={height} />;
      break;
  }
  return (
    <KeysProvider value={keys}>
      <Frame title={title} aside={screen.name === 'home' ? engineText(engine) : undefined} keys={hints} columns={columns} rows={rows - 1}>
        {help ? <HelpOverlay screen={title} keys={hints} /> : body}
        {notice ? <Box><ErrorBox help={notice} /></Box> : null}
      </Frame>
    </KeysProvider>
  );
}
