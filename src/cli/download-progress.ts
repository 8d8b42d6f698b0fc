// Download progress on stderr: bytes, percent and rate, on one status line.
import { statusLine } from './status-line.js';

const UNITS = ['B', 'KB', 'MB', 'GB'];

/** A byte count in decimal units: 2160432 → "2.2 MB". */
export function byteSize(n: number): string {
  let v = n;
  let u = 0;
  while (Math.abs(v) >= 1000 && u < UNITS.length - 1) {
    v /= 1000;
    u++;
  }
  return u === 0 ? `${v} B` : `${v.toFixed(1)} ${UNITS[u]}`;
}

/** "darknet-tiny: 1.2 MB of 4.1 MB (29%)  850.0 KB/s"; without a total, the bytes and the rate. */
export function downloadLine(name: string, done: number, total: number | null, bytesPerSecond: number): string {
  const amount = total === null || total === 0 ? byteSize(done) : `${byteSize(done)} of ${byteSize(total)} (${Math.min(100, Math.floor((100 * done) / total))}%)`;
  return `${name}: ${amount}  ${byteSize(Math.round(bytesPerSecond))}/s`;
}

export interface DownloadProgress {
  update(done: number, total: number | null, received: number): void;
  /** Ends the live line (or prints the last one). */
  end(): void;
}

export function downloadProgress(name: string, stream: NodeJS.WriteStream = process.stderr, intervalMs = 2000): DownloadProgress {
  const started = Date.now();
  // Chunks arrive every few milliseconds; a redraw ten times a second is enough to read.
  const line = statusLine(stream, intervalMs, 100);
  return {
    update(done, total, received) {
      const seconds = (Date.now() - started) / 1000;
      line.show(downloadLine(name, done, total, seconds > 0 ? received / seconds : 0));
    },
    end: line.end,
  };
}
