// A `running` record whose process is gone was killed (kill -9, power loss, OOM): it could not
// record its own end. Any command that opens the store settles such records.
import type { ProcessIdentity } from './process-identity.js';
import type { RunRecord } from './run-record.js';

/** Marks each dead `running` run `killed`, ending it when it was last seen; returns how many. */
export function markDeadRunsKilled(runs: RunRecord[], gone: (p: ProcessIdentity) => boolean): number {
  let marked = 0;
  for (const run of runs) {
    if (run.status !== 'running' || !run.process || !gone(run.process)) continue;
    const lastSeen = run.lastSeen ?? run.startedAt;
    run.status = 'killed';
    run.finishedAt = lastSeen;
    run.seconds = Math.max(0, (Date.parse(lastSeen) - Date.parse(run.startedAt)) / 1000);
    run.error = `process ${run.process.pid} on ${run.process.host} ended without finishing the run (last seen ${lastSeen})`;
    marked++;
  }
  return marked;
}
