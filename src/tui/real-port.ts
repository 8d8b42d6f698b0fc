// The UI's port onto the real thing: the run API for runs, the store for history, the zoo.
import { executeRun, readRunEvents } from '../run/run-api.js';
import { engineStarter } from '../run/engine-starter.js';
import { resumeRequest } from '../run/resume-request.js';
import { listShippedModels } from '../models/zoo.js';
import { RunStore } from '../store/run-store.js';
import { loadAddon } from '../engine/native/load-addon.js';
import type { EngineInfo, RunPort } from './run-port.js';

/** Starts the engine the runs will get (CALIBRA_BACKEND or the fastest that loads), to name it. */
async function startEngine(): Promise<EngineInfo> {
  const report = await engineStarter(undefined, () => undefined)();
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
