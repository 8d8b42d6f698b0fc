// Download progress on stderr: bytes, percent and rate. On a terminal one line is redrawn; on a
// pipe a line is printed every few seconds and when the download ends, so logs stay readable.

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
  const tty = stream.isTTY === true;
  const started = Date.now();
  let lastPrinted = 0;
  let pending: string | null = null;
  let live = false;
  return {
    update(done, total, received) {
      const seconds = (Date.now() - started) / 1000;
      const line = downloadLine(name, done, total, seconds > 0 ? received / seconds : 0);
      if (tty) {
        // Chunks arrive every few milliseconds; a redraw ten times a second is enough to read.
        if (Date.now() - lastPrinted < 100 && done !== total) return;
        stream.write(`\r\x1b[K${line}`);
        lastPrinted = Date.now();
        live = true;
      } else if (Date.now() - lastPrinted >= intervalMs) {
        stream.write(`${line}\n`);
        lastPrinted = Date.now();
        pending = null;
      } else {
        pending = line;
      }
    },
    end() {
      if (live) stream.write('\n');
      else if (pending !== null) stream.write(`${pending}\n`);
      live = false;
      pending = null;
    },
  };
}
