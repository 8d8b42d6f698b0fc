// `calibra` on a terminal: the UI. Only the run API's worker loads tfjs for runs; the engine
// line on Home comes from starting the engine here once, in the background.
import { render } from 'ink';
import { packageVersion } from '../cli/version.js';
import { App } from './App.js';
import { listDir } from './list-dir.js';
import { realPort } from './real-port.js';

/** The alternate screen, as full-screen terminal programs use, so the shell's scrollback is left as it was. */
const ENTER_ALT_SCREEN = '\x1b[?1049h';
const LEAVE_ALT_SCREEN = '\x1b[?1049l';

/** Runs until the person quits; the exit code for the CLI entry. */
export async function runTui(): Promise<number> {
  process.stdout.write(ENTER_ALT_SCREEN);
  // A SIGINT or SIGTERM from outside (kill, not the Ctrl+C key, which raw mode makes a key) exits
  // the process at once; the shell's screen comes back even then.
  const leave = () => process.stdout.write(LEAVE_ALT_SCREEN);
  process.once('exit', leave);
  // Ctrl+C reaches the UI as a key: it stops a run, or quits from home (see App).
  const instance = render(<App port={realPort()} listDir={listDir} version={packageVersion()} onQuit={() => instance.unmount()} />, { exitOnCtrlC: false });
  try {
    await instance.waitUntilExit();
  } finally {
    process.off('exit', leave);
    leave();
  }
  return 0;
}
