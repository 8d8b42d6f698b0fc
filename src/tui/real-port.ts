// The UI's port onto the real thing: the run API for runs, the store for history, the zoo.
import { executeRun, readRunEvents, resumeRequest } from '../run/run-api.js';
import { listShippedModels } from '../models/zoo.js';
import { RunStore } from '../store/run-store.js';
import type { EngineInfo, RunPort } from './run-port.js';

/**
 * Starts the engine the runs will get (CALIBRA_BACKEND or the fastest that loads) to name it.
 * Imported late so the UI draws before tfjs loads.
 */
async function startEngine(): Promise<EngineInfo> {
  const { initEngine, parseBackendName } = await import('../engine/backend.js');
  const { loadAddon } = await import('../engine/native/load-addon.js');
  const fromEnv = process.env.CALIBRA_BACKEND;
  const report = await initEngine(fromEnv ? parseBackendName(fromEnv, 'CALIBRA_BACKEND=') : undefined);
  const addon = loadAddon();
  return { backend: report.name, threads: report.name === 'native' && addon.loaded ? addon.addon.info().threads : null };
}

export function realPort(): RunPort {
  const store = new RunStore();
  let engine: Promise<EngineInfo> | null = null;
  return {
    execute: executeRun,
    resumeRequest,
    readEvents: readRunEvents,
    listRuns: () => store.list(),
    engine: () => (engine ??= startEngine()),
    zoo: () => listShippedModels().map((m) => m.id),
  };
}
