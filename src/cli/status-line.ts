// One status line on stderr, for progress of any kind. On a terminal it is redrawn in place; on a
// pipe a line is printed at most every `intervalMs` (and always when final), so logs stay
// readable. Lines of their own (`print`) never land on it.
export interface StatusLine {
  /** The newest status; `final` ends it (on a terminal) or prints it now (on a pipe). */
  show(line: string, final?: boolean): void;
  /** A line of its own, after the status line is ended or its newest state printed. */
  print(line: string): void;
  /** Ends the status line: a status that stopped short (skipped files, a failure) still gets its line ended, or printed. */
  end(): void;
}

/** `redrawMs`: on a terminal, redraw at most this often; the newest line is drawn by `end` if it had to wait. */
export function statusLine(stream: NodeJS.WriteStream, intervalMs: number, redrawMs = 0): StatusLine {
  const tty = stream.isTTY === true;
  let last = 0;
  /** On a terminal: a line is drawn and not yet ended. */
  let live = false;
  /** The newest line, not yet written (a pipe's interval, or a terminal's redraw limit). */
  let unprinted: string | null = null;
  const write = (line: string, final: boolean) => {
    stream.write(tty ? `\r\x1b[K${line}${final ? '\n' : ''}` : `${line}\n`);
    live = tty && !final;
    last = Date.now();
    unprinted = null;
  };
  return {
    show(line, final = false) {
      if (final || Date.now() - last >= (tty ? redrawMs : intervalMs)) write(line, final);
      else unprinted = line;
    },
    print(line) {
      if (tty && live) stream.write('\r\x1b[K');
      else if (!tty && unprinted !== null) stream.write(`${unprinted}\n`);
      live = false;
      unprinted = null;
      stream.write(`${line}\n`);
    },
    end() {
      if (unprinted !== null) write(unprinted, true);
      else if (live) stream.write('\n');
      live = false;
    },
  };
}
