// Deterministic crash injection for the reliability tests: a process started with
// CALIBRA_KILL_AT=<name> kills itself with SIGKILL when it reaches the point of that name, so a
// test can stop a save or a store write at each of its steps instead of guessing with timers.
// Outside tests the variable is unset and this is one comparison.

export function killPoint(name: string): void {
  if (process.env.CALIBRA_KILL_AT === name) process.kill(process.pid, 'SIGKILL');
}
