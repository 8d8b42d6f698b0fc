// Backend choice at start-up. Preference: tfjs-node-gpu, tfjs-node, native (wasm with the
// project's oneDNN kernels), wasm (with the project's pure-tfjs training kernels), cpu. A faster
// engine that is missing never stops Calibra from starting; the report says why it was passed over.
import '@tensorflow/tfjs-backend-wasm';
import { tf } from './tf.js';
import { registerWasmTrainingKernels } from './kernels/register-all.js';
import { registerNativeKernels } from './native/register-all.js';
import { InputError } from '../errors.js';
import { guardWasmHeap } from './heap-guard.js';

export const BACKENDS = ['tfjs-node-gpu', 'tfjs-node', 'native', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];

export interface BackendReport {
  name: BackendName;
  /** tfjs's own name for the backend in use (`tensorflow`, `wasm`, `cpu`). */
  tfjsBackend: string;
  /** Each faster backend that was not taken, and why. */
  skipped: { name: BackendName; reason: string }[];
}

type Attempt = () => Promise<string | null>;

async function importOptional(pkg: string): Promise<string | null> {
  try {
    await import(pkg);
    return tf.findBackend('tensorflow') ? null : `${pkg} loaded but registered no backend`;
  } catch (err) {
    const msg = (err as Error).message.split('\n')[0]!;
    return /Cannot find (package|module)/.test(msg) ? 'not installed' : msg;
  }
}

async function activate(name: string): Promise<string | null> {
  try {
    return (await tf.setBackend(name)) ? null : `tf.setBackend('${name}') failed`;
  } catch (err) {
    return (err as Error).message;
  }
}

/** Chosen by measurement; see loadNative. */
const SPIN_COUNT = '10000';

let wasmPrepared = false;
function prepareWasm(): void {
  if (wasmPrepared) return;
  registerWasmTrainingKernels();
  wasmPrepared = true;
}

// Registered before the wasm backend starts, so that model weights get the aligned
// allocations the oneDNN kernels want.
function loadNative(): string | null {
  // Waiting OpenMP threads spin before they sleep. Spinning long stalls a whole kernel
  // whenever another busy thread (a second process, or Calibra's own image decoding) holds one
  // of the cores; not spinning at all costs the many short kernels of a training step.
  // Measured on 2 cores (digits bench / MobileNetV2 head fine-tune, img/s): libgomp's default
  // 300k spins: 2334 / 59 idle, 63 / 20 with both cores busy elsewhere; 10k: 2279 idle, 201 / 54
  // busy; 0: 2045 idle. libgomp reads this when the addon loads it, so it is set first, and
  // only if the user set neither variable.
  if (process.env.OMP_WAIT_POLICY === undefined && process.env.GOMP_SPINCOUNT === undefined) process.env.GOMP_SPINCOUNT = SPIN_COUNT;
  prepareWasm();
  const status = registerNativeKernels();
  return status.loaded ? null : status.reason ?? 'native addon not built';
}

const attempts: Record<BackendName, Attempt> = {
  'tfjs-node-gpu': async () => (await importOptional('@tensorflow/tfjs-node-gpu')) ?? activate('tensorflow'),
  'tfjs-node': async () => (await importOptional('@tensorflow/tfjs-node')) ?? activate('tensorflow'),
  native: async () => loadNative() ?? activate('wasm'),
  wasm: async () => {
    prepareWasm();
    return activate('wasm');
  },
  cpu: async () => activate('cpu'),
};

/** `source` is a flag ('--backend', then a space) or an assignment ('CALIBRA_BACKEND=', no space). */
export function parseBackendName(value: string, source: string): BackendName {
  if ((BACKENDS as readonly string[]).includes(value)) return value as BackendName;
  const given = source.endsWith('=') ? `${source}${value}` : `${source} ${value}`;
  throw new InputError(`${given}: unknown backend (choose from ${BACKENDS.join(', ')})`);
}

let current: BackendReport | null = null;

/**
 * Chooses and activates the backend once per process. With `requested` (from --backend or
 * CALIBRA_BACKEND) only that one is tried, and failing to start it is an error.
 */
export async function initEngine(requested?: BackendName): Promise<BackendReport> {
  if (current && (!requested || requested === current.name)) return current;
  silenceCpuBanner();
  const order = requested ? [requested] : BACKENDS;
  const skipped: BackendReport['skipped'] = [];
  for (const name of order) {
    const reason = await attempts[name]();
    if (reason === null) {
      await tf.ready();
      if (tf.getBackend() === 'wasm') guardWasmHeap((tf.backend() as unknown as { wasm: object }).wasm);
      current = { name, tfjsBackend: tf.getBackend(), skipped };
      return current;
    }
    if (requested) throw new InputError(`--backend ${name}: cannot start (${reason})`);
    skipped.push({ name, reason });
  }
  throw new Error(`no tfjs backend could start: ${skipped.map((s) => `${s.name}: ${s.reason}`).join('; ')}`);
}

export function describeBackend(report: BackendReport): string {
  const passed = report.skipped.map((s) => `${s.name}: ${s.reason}`).join('; ');
  return `backend: ${report.name}${passed ? ` (passed over ${passed})` : ''}`;
}

// tfjs's cpu backend prints a multi-line advert for tfjs-node on first use; Calibra reports
// its backend choice itself.
function silenceCpuBanner(): void {
  const cpu = tf.findBackend('cpu') as unknown as { firstUse?: boolean } | null;
  if (cpu) cpu.firstUse = false;
}
