// registerNativeKernels: what it reports, that it is idempotent, that the stock kernels come
// back, and that a missing or disabled addon is reported and never thrown.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import test from 'node:test';
import { fileURLToPath } from 'node:url';

import { getKernel } from '@tensorflow/tfjs-core';

import { tf } from '../../src/engine/tf.js';

import { calibraBatchNormTrainConfig } from '../../src/engine/native/calibra-batch-norm-train.js';
import { conv2DConfig } from '../../src/engine/native/conv2d.js';
import {
  nativeEngineInfo,
  registerNativeKernels,
  setNativeThreads,
  unregisterNativeKernels,
} from '../../src/engine/native/register-all.js';
import { asWasmHeapBackend, offsetOf } from '../../src/engine/native/wasm-heap.js';
import { setUpNative } from './harness.js';

const skip = await setUpNative();

test('registration lists every native kernel and is idempotent', { skip }, () => {
  const first = registerNativeKernels();
  const again = registerNativeKernels();
  assert.deepEqual(again, first);
  assert.equal(first.loaded, true);
  assert.deepEqual(
    [...first.kernels].sort(),
    [
      'Add', 'AvgPool', 'AvgPoolGrad', 'BatchMatMul', 'CalibraBatchNormTrain', 'CalibraBatchNormTrainGrad',
      'CalibraBatchNormTrainRelu', 'CalibraBatchNormTrainReluGrad', 'CalibraClipByValueGrad', 'CalibraFusedBatchNormGrad',
      'CalibraFusedBatchNormRelu', 'CalibraFusedBatchNormReluGrad', 'CalibraReluGrad', 'ClipByValue', 'Conv2D',
      'Conv2DBackpropFilter', 'Conv2DBackpropInput', 'DepthwiseConv2dNative', 'DepthwiseConv2dNativeBackpropFilter',
      'DepthwiseConv2dNativeBackpropInput', 'FusedBatchNorm', 'FusedConv2D', 'FusedDepthwiseConv2D', 'MaxPool',
      'MaxPoolGrad', 'Multiply', 'RealDiv', 'Relu', 'Relu6', 'Sub', '_FusedMatMul',
    ],
  );
  for (const name of first.kernels) assert.ok(getKernel(name, 'wasm'), `${name} is registered`);
});

test('unregistering puts the stock wasm kernels back, and registering again replaces them', { skip }, () => {
  unregisterNativeKernels();
  const stock = getKernel('Conv2D', 'wasm');
  assert.ok(stock);
  assert.notEqual(stock, conv2DConfig);
  assert.notEqual(getKernel('CalibraBatchNormTrain', 'wasm'), calibraBatchNormTrainConfig);
  registerNativeKernels();
  assert.equal(getKernel('Conv2D', 'wasm'), conv2DConfig);
  assert.equal(getKernel('CalibraBatchNormTrain', 'wasm'), calibraBatchNormTrainConfig);
});

test('the engine reports its threads, and they can be changed', { skip }, () => {
  const info = nativeEngineInfo();
  assert.ok(info);
  assert.match(info.onednn, /^\d+\.\d+\.\d+$/);
  const threads = info.threads;
  assert.ok(threads >= 1);
  setNativeThreads(1);
  assert.equal(nativeEngineInfo()?.threads, 1);
  setNativeThreads(threads);
  assert.equal(nativeEngineInfo()?.threads, threads);
});

test('with CALIBRA_NATIVE=0 nothing is registered and the reason is given', () => {
  // Beside this file whether it runs as TypeScript (tsx) or compiled (dist/).
  const extension = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  const registerAll = fileURLToPath(new URL(`../../src/engine/native/register-all${extension}`, import.meta.url));
  const script =
    `const { registerNativeKernels } = await import(${JSON.stringify(registerAll)});` +
    'console.log(JSON.stringify(registerNativeKernels()));';
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    env: { ...process.env, CALIBRA_NATIVE: '0' },
    encoding: 'utf8',
  });
  assert.equal(child.status, 0, child.stderr);
  const result = JSON.parse(child.stdout.trim().split('\n').pop()!);
  assert.deepEqual(result, { loaded: false, reason: 'disabled by CALIBRA_NATIVE=0', kernels: [] });
});

test('wasm tensors start on 64-byte boundaries, and freeing them gives the memory back', { skip }, async () => {
  await tf.setBackend('wasm');
  const backend = asWasmHeapBackend(tf.backend());
  const sizes = Array.from({ length: 50 }, (_, i) => 1 + ((i * 37) % 500));
  const round = (): void => {
    const tensors = sizes.map((n) => tf.zeros([n]));
    for (const t of tensors) assert.equal(offsetOf(backend, t) % 64, 0);
    tf.dispose(tensors);
  };
  round();
  const heapBytes = backend.wasm.HEAPU8.length;
  for (let i = 0; i < 200; i++) round();
  assert.equal(backend.wasm.HEAPU8.length, heapBytes);
});
