// Loads the native kernel addon (build/Release/calibra_native.node, built from native/ by
// scripts/build-native.mjs when oneDNN is installed). Never throws: a missing or broken addon
// is a reason to report, and the stock wasm kernels keep working.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../util/package-root.js';

/**
 * The addon's functions. Each kernel takes the wasm backend's HEAPU8, then numbers only:
 * shapes, and tensors as byte offsets into that heap. The argument order of each is written
 * down in its C++ file (native/<kernel>.cc) and in the TS kernel that calls it.
 */
type KernelEntry = (heap: Uint8Array, ...args: number[]) => void;

export interface NativeEngineInfo {
  /** OpenMP threads the kernels run on: one per physical core unless OMP_NUM_THREADS says otherwise. */
  threads: number;
  /** oneDNN version, e.g. "2.6.3". */
  onednn: string;
  /** The instruction set oneDNN generates code for, e.g. "avx512_core". */
  isa: string;
}

export interface NativeAddon {
  info(): NativeEngineInfo;
  setThreads(threads: number): void;
  /** Per-channel mean and m2 of a channels-last float32 block, in float64: [mean…, m2…]. */
  channelMoments(heap: Uint8Array, count: number, channels: number, offset: number): Float64Array;
  conv2d: KernelEntry;
  fusedConv2d: KernelEntry;
  conv2dBackpropInput: KernelEntry;
  conv2dBackpropFilter: KernelEntry;
  depthwiseConv2dNative: KernelEntry;
  fusedDepthwiseConv2d: KernelEntry;
  depthwiseConv2dNativeBackpropInput: KernelEntry;
  depthwiseConv2dNativeBackpropFilter: KernelEntry;
  calibraBatchNormTrain: KernelEntry;
  calibraBatchNormTrainGrad: KernelEntry;
  fusedBatchNorm: KernelEntry;
  calibraFusedBatchNormGrad: KernelEntry;
  maxPool: KernelEntry;
  avgPool: KernelEntry;
  maxPoolGrad: KernelEntry;
  avgPoolGrad: KernelEntry;
  batchMatMul: KernelEntry;
  fusedMatMul: KernelEntry;
  relu: KernelEntry;
  relu6: KernelEntry;
  clipByValue: KernelEntry;
  calibraReluGrad: KernelEntry;
  calibraClipByValueGrad: KernelEntry;
  add: KernelEntry;
  multiply: KernelEntry;
  sub: KernelEntry;
  realDiv: KernelEntry;
  /** (heap, ...numbers, table): see native/calibra_adam_update.cc and calibra_momentum_update.cc. */
  calibraAdamUpdate: (heap: Uint8Array, ...args: [...number[], Float64Array]) => void;
  calibraMomentumUpdate: (heap: Uint8Array, ...args: [...number[], Float64Array]) => void;
}

export type AddonLoad =
  | { readonly loaded: true; readonly addon: NativeAddon; readonly path: string }
  | { readonly loaded: false; readonly reason: string };

const ADDON = join('build', 'Release', 'calibra_native.node');

/** Set CALIBRA_NATIVE=0 to run the stock wasm kernels even when the addon is built. */
const DISABLE_ENV = 'CALIBRA_NATIVE';

let cached: AddonLoad | undefined;

/** The addon, loaded once per process. */
export function loadAddon(): AddonLoad {
  cached ??= tryLoad();
  return cached;
}

/** The addon, for kernels that only run once it loaded. */
export function requireAddon(): NativeAddon {
  const load = loadAddon();
  if (!load.loaded) throw new Error(`native kernels unavailable: ${load.reason}`);
  return load.addon;
}

function tryLoad(): AddonLoad {
  if (process.env[DISABLE_ENV] === '0') {
    return { loaded: false, reason: `disabled by ${DISABLE_ENV}=0` };
  }
  const path = join(PACKAGE_ROOT, ADDON);
  if (!existsSync(path)) {
    return {
      loaded: false,
      reason:
        `${ADDON} not built (install oneDNN, e.g. \`apt-get install libdnnl-dev\`, ` +
        'then run `node scripts/build-native.mjs`)',
    };
  }
  try {
    const addon = createRequire(import.meta.url)(path) as NativeAddon;
    return { loaded: true, addon, path };
  } catch (err) {
    return { loaded: false, reason: `${path} failed to load: ${(err as Error).message}` };
  }
}

