// Each run's events, one JSON object per line in CALIBRA_HOME/events/RUN.jsonl, so a finished (or
// killed) run can be replayed: its curves redrawn, its progress inspected. Appends are
// synchronous and whole lines, so a kill -9 can cost at most the last, partial line, which the
// reader drops.
import { appendFileSync, mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError } from '../errors.js';
import type { StampedEvent, StampedSink } from '../events/run-events.js';

export function eventLogPath(home: string, runId: string): string {
  return join(home, 'events', `${runId}.jsonl`);
}

/** A subscriber that appends every event of a run (not of synth steps, which are no runs) to its log. */
export function eventLogWriter(home: string): StampedSink {
  let ready = false;
  return (e) => {
    if (e.runId === null) return;
    if (!ready) {
      mkdirSync(join(home, 'events'), { recursive: true });
      ready = true;
    }
    appendFileSync(eventLogPath(home, e.runId), `${JSON.stringify(e)}\n`);
  };
}

/** The stored events of a run, in the order they happened. */
export async function readEventLog(home: string, runId: string): Promise<StampedEvent[]> {
  const path = eventLogPath(home, runId);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new InputError(`run ${runId}: no event log at ${path} (runs recorded before event logs existed have none)`);
  }
  const events: StampedEvent[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    try {
      events.push(JSON.parse(line) as StampedEvent);
    } catch {
      // Only a line cut short by a kill can fail to parse, and only the last one.
      break;
    }
  }
  return events;
}
