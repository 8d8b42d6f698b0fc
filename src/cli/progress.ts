// The CLI's progress display: a subscriber to run events that writes to stderr, its progress on
// one status line (status-line.ts) ended when the pass completes or the run ends, so nothing
// printed after lands on it. Saved models are reported by the command's own summary.
import type { EventSink, RunEvent } from '../events/run-events.js';
import { count, plural } from './format.js';
import { statusLine } from './status-line.js';

function formatEta(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--';
  const s = Math.round(seconds);
  return s >= 3600 ? `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`
    : s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

export function progressLine(done: number, total: number, perSecond: number, extra = ''): string {
  const pct = total > 0 ? Math.min(100, (100 * done) / total) : 0;
  const eta = perSecond > 0 ? (total - done) / perSecond : NaN;
  return `${count(done)}/${count(total)} images (${pct.toFixed(0)}%)  ${perSecond.toFixed(1)} img/s  ETA ${formatEta(eta)}${extra ? `  ${extra}` : ''}`;
}

export function progressPrinter(stream: NodeJS.WriteStream = process.stderr, intervalMs = 5000): EventSink {
  const { show, print, end: settle } = statusLine(stream, intervalMs);
  return (e: RunEvent) => {
    switch (e.type) {
      case 'OptimizerStepped':
        show(progressLine(e.imagesSeen, e.totalImages, e.imagesPerSecond, `step ${e.step}/${e.totalSteps}  loss ${e.loss.toFixed(4)}`), e.step === e.totalSteps);
        break;
      case 'EvalProgress':
        show(progressLine(e.imagesSeen, e.totalImages, e.imagesPerSecond), e.imagesSeen === e.totalImages);
        break;
      case 'SynthProgress':
        show(progressLine(e.imagesWritten, e.totalImages, e.imagesPerSecond), e.imagesWritten === e.totalImages);
        break;
      case 'RecalibrationProgress':
        show(progressLine(e.imagesDone, e.totalImages, e.imagesPerSecond, e.layer === null ? `all ${e.layers} BN layers` : `BN ${e.layerIndex}/${e.layers} ${e.layer}`),
          e.imagesDone === e.totalImages && e.layerIndex === e.layers);
        break;
      case 'EpochEnded':
        // Accuracy is NaN for an unsupervised objective (TENT's entropy): no labels to score.
        // The run's one img/s figure is on the progress line and in the summary; an epoch's own
        // would be a second, different figure.
        print(`epoch ${e.epoch}: loss ${e.loss.toFixed(4)}${Number.isNaN(e.accuracy) ? '' : `  train acc ${(100 * e.accuracy).toFixed(1)}%`}  (${plural(e.images, 'image')}, ${e.seconds.toFixed(1)} s)`);
        break;
      case 'ValidationEnded':
        print(`epoch ${e.epoch}: val acc ${(100 * e.accuracy).toFixed(1)}% (n=${count(e.n)})`);
        break;
      case 'DataSkipped':
        print(`skipped ${plural(e.files.length, 'unreadable file')}:`);
        for (const f of e.files.slice(0, 20)) print(`  ${f.path}: ${f.reason}`);
        if (e.files.length > 20) print(`  … and ${count(e.files.length - 20)} more`);
        break;
      case 'RunWarning':
        print(`warning: ${e.message}`);
        break;
      case 'GroupsChosen':
        print(`${e.stage === null ? '' : `stage ${e.stage} (${plural(e.epochs, 'epoch')} at lr ${e.lr}): `}training groups ${e.trainable.join(', ')}: ${count(e.trainableParams)} of ${count(e.totalParams)} parameters`);
        break;
      case 'HeadCreated':
        print(e.note);
        break;
      case 'ValidationSplit':
        print(`holding out ${count(e.held)} of ${count(e.of)} images of --data for validation (seed ${e.seed})`);
        break;
      case 'RunFinished':
      case 'RunFailed':
        settle();
        break;
      default:
        break;
    }
  };
}
