// The engine starts once per process (or worker thread), on first use, and says which backend it
// chose: a command that never touches tensors (runs list, a bad flag) never pays for loading one.
import { describeBackend, initEngine, parseBackendName, type BackendReport } from '../engine/backend.js';

let started: Promise<BackendReport> | null = null;

/** A starter for `requested` (else CALIBRA_BACKEND, else the fastest that loads); the first start wins. */
export function engineStarter(requested: string | undefined, log: (line: string) => void): () => Promise<BackendReport> {
  return () => {
    started ??= (async () => {
      const fromEnv = process.env.CALIBRA_BACKEND;
      const name = requested !== undefined ? parseBackendName(requested, '--backend')
        : fromEnv ? parseBackendName(fromEnv, 'CALIBRA_BACKEND=') : undefined;
      const r = await initEngine(name);
      log(describeBackend(r));
      return r;
    })();
    return started;
  };
}
