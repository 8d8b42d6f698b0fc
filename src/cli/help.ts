import type { Command } from './command.js';

export function mainHelp(commands: readonly Command[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return `calibra — adapt pretrained BatchNorm CNNs to new image domains (TensorFlow.js)

Usage: calibra <command> [flags]      calibra <command> --help for its flags

Commands:
${commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

Global flags:
  --json              print one JSON object as the last stdout line (logs go to stderr)
  --backend NAME      tfjs-node-gpu | tfjs-node | native | wasm | cpu (default: fastest that loads;
                      also CALIBRA_BACKEND)
  --no-record         do not record the run in $CALIBRA_HOME/runs.json (default ~/.calibra);
                      without it, a command whose run cannot be recorded fails
  -h, --help          this help
  -V, --version       print Calibra's version (with --json: {"version"})

Quick start:
  calibra models
  calibra data synth --domain inverted --out /tmp/digits-inverted
  calibra eval --model digits-resnet --data /tmp/digits-inverted
  calibra train --model digits-resnet --data /tmp/digits-inverted --epochs 1 --out /tmp/adapted

Figures:
  img/s               one figure per run: the images it processed divided by the wall-clock
                      seconds of its pass, decoding included (images decode alongside the
                      compute, so the time the compute waits for them counts). For train the
                      clock runs from the first batch to the end of the last epoch, validation
                      passes included; the live progress line shows the same figure so far.
                      'runs show' also lists each epoch's own, without its validation.

Exit codes: 0 success, 2 bad usage or bad input, 1 failure while running, 130 after Ctrl+C.
`;
}
