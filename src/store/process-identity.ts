// Who runs a run: enough to tell later whether that process is still alive. A pid alone is not
// enough, since pids are reused; on Linux the boot id and the process's start time (in clock
// ticks since boot) pin it down. Elsewhere `start` is null and only the pid is checked.
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';

export interface ProcessIdentity {
  host: string;
  pid: number;
  /** `<boot id>:<start ticks>` on Linux, null where /proc is absent. */
  start: string | null;
}

/** Field 22 of /proc/PID/stat; the command name (field 2) may hold spaces and parentheses. */
export function startTicks(stat: string): string | null {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return fields[19] ?? null;
}

function processStart(pid: number): string | null {
  try {
    const boot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    const ticks = startTicks(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    return ticks === null ? null : `${boot}:${ticks}`;
  } catch {
    return null;
  }
}

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function currentProcess(): ProcessIdentity {
  return { host: hostname(), pid: process.pid, start: processStart(process.pid) };
}

/**
 * True when the process is certainly gone: same host, and its pid is free or now belongs to a
 * process that started at another time. A process on another host cannot be checked from here.
 */
export function processGone(p: ProcessIdentity): boolean {
  if (p.host !== hostname()) return false;
  if (!pidAlive(p.pid)) return true;
  if (p.start === null) return false;
  const now = processStart(p.pid);
  return now !== null && now !== p.start;
}
