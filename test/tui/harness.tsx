// Renders the App in memory with a fake port: runs are driven by hand-fed events, and the store
// is a list the test gives.
import { render } from 'ink-testing-library';
import { App } from '../../src/tui/App.js';
import type { DirEntry } from '../../src/tui/path-completion.js';
import type { EngineInfo, RunHooks, RunPort, RunRequest, RunResult, StampedEvent } from '../../src/tui/run-port.js';
import type { RunRecord } from '../../src/store/run-record.js';

export interface ExecuteCall {
  request: RunRequest;
  hooks: RunHooks;
  emit(events: readonly StampedEvent[]): void;
  resolve(result?: RunResult): void;
  reject(error: Error): void;
}

export interface FakePort extends RunPort {
  calls: ExecuteCall[];
  resumed: string[];
}

export function fakePort(options: { runs?: RunRecord[]; events?: Record<string, StampedEvent[]>; engine?: EngineInfo; resume?: RunRequest } = {}): FakePort {
  const calls: ExecuteCall[] = [];
  const resumed: string[] = [];
  return {
    calls,
    resumed,
    execute(request, hooks) {
      return new Promise<RunResult>((resolve, reject) => {
        const call: ExecuteCall = {
          request, hooks,
          emit: (events) => events.forEach((e) => hooks.onEvent?.(e)),
          resolve: (result = { outcomes: [], runIds: [] }) => resolve(result),
          reject,
        };
        // As the run API does: an abort makes the run reject once its step has stopped.
        hooks.signal?.addEventListener('abort', () => setTimeout(() => reject(new Error('stopped by the stop key')), 5));
        calls.push(call);
      });
    },
    resumeRequest: async (id) => {
      resumed.push(id);
      if (!options.resume) throw Object.assign(new Error(`runs resume ${id}: no checkpoint`), { name: 'InputError' });
      return options.resume;
    },
    readEvents: async (id) => options.events?.[id] ?? [],
    listRuns: async () => options.runs ?? [],
    engine: async () => options.engine ?? { backend: 'native', threads: 2 },
    zoo: () => ['digits-resnet'],
  };
}

export const KEY = { enter: '\r', esc: '\u001B', up: '\u001B[A', down: '\u001B[B', left: '\u001B[D', right: '\u001B[C', tab: '\t', ctrlC: '\u0003', backspace: '\u007F' };

/** Longer than ink's frame interval (30 fps), so a frame after a key shows the key's effect. */
export const settle = (ms = 80) => new Promise((r) => setTimeout(r, ms));

export function renderApp(port: FakePort, tree: Record<string, DirEntry[]> = {}) {
  let quits = 0;
  const instance = render(<App port={port} listDir={(dir) => tree[dir] ?? []} version="0.1.0" onQuit={() => { quits++; }} />);
  // ink-testing-library's stdout is 100 columns and has no rows: make it the 80×24 terminal the UI is designed for.
  const resize = (columns: number, rows: number) => {
    Object.defineProperty(instance.stdout, 'columns', { value: columns, configurable: true });
    Object.defineProperty(instance.stdout, 'rows', { value: rows, configurable: true });
    instance.stdout.emit('resize');
  };
  resize(80, 24);
  return {
    instance,
    resize,
    quits: () => quits,
    frame: () => instance.lastFrame() ?? '',
    /** Each key separately, with time to redraw in between. */
    async press(...keys: string[]) {
      for (const k of keys) {
        instance.stdin.write(k);
        await settle();
      }
    },
    async type(text: string) {
      for (const ch of text) {
        instance.stdin.write(ch);
        await settle(10);
      }
      await settle();
    },
  };
}

/** Polls until the frame contains `text`; fails with the frame it last saw. */
export async function waitFor(frame: () => string, text: string | RegExp, ms = 2000): Promise<string> {
  const until = Date.now() + ms;
  for (;;) {
    const f = frame();
    if (typeof text === 'string' ? f.includes(text) : text.test(f)) return f;
    if (Date.now() > until) throw new Error(`timed out waiting for ${String(text)}; last frame:\n${f}`);
    await settle(20);
  }
}
