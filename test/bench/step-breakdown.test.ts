// The parts a step's time is split into on both sides of `calibra bench --profile`: the naming
// rules alone, the sums by hand, and PyTorch's profile of a real step counted against the
// network it ran.
import test from 'node:test';
import assert from 'node:assert/strict';
import { BENCH_CASES } from '../../src/bench/cases.js';
import { STEP_PARTS, calibraBreakdown, kernelPart, torchBreakdown, torchOpPart } from '../../src/bench/step-breakdown.js';
import { torchAvailable, torchSamples } from '../../src/bench/torch-reference.js';
import { buildArchitecture } from '../../src/models/architectures/build.js';
import { tf } from '../../src/engine/tf.js';

test('tfjs kernels fall into their parts; a BN fused with its ReLU counts as batch norm', () => {
  const expected: Record<string, string> = {
    FusedConv2D: 'convolution', Conv2DBackpropInput: 'convolution', Conv2DBackpropFilter: 'convolution',
    DepthwiseConv2dNative: 'convolution', DepthwiseConv2dNativeBackpropFilter: 'convolution',
    CalibraBatchNormTrain: 'batch norm', CalibraBatchNormTrainReluGrad: 'batch norm', FusedBatchNorm: 'batch norm',
    Relu6: 'activation', CalibraReluGrad: 'activation', CalibraClipByValueGrad: 'activation', ClipByValue: 'activation',
    _FusedMatMul: 'matmul', BatchMatMul: 'matmul',
    CalibraAdamUpdate: 'optimizer', CalibraMomentumUpdate: 'optimizer',
    Add: 'other ops', Mean: 'other ops', CalibraMovingAverage: 'other ops',
  };
  for (const [kernel, part] of Object.entries(expected)) assert.equal(kernelPart(kernel), part, kernel);
});

test('aten ops fall into their parts, inside optimizer.step() as optimizer; other events are framework', () => {
  assert.equal(torchOpPart('aten::convolution_backward', false), 'convolution');
  assert.equal(torchOpPart('aten::mkldnn_convolution', false), 'convolution');
  assert.equal(torchOpPart('aten::native_batch_norm_backward', false), 'batch norm');
  assert.equal(torchOpPart('aten::hardtanh_backward', false), 'activation');
  assert.equal(torchOpPart('aten::clamp_min', false), 'activation');
  assert.equal(torchOpPart('aten::addmm', false), 'matmul');
  assert.equal(torchOpPart('aten::add_', true), 'optimizer');
  assert.equal(torchOpPart('aten::add', false), 'other ops');
  assert.equal(torchOpPart('Optimizer.step#Adam.step', true), null);
  assert.equal(torchOpPart('autograd::engine::evaluate_function: ConvolutionBackward0', false), null);
});

test('a breakdown adds each part\'s time; framework is the rest of the step, never below zero', () => {
  const b = calibraBreakdown({
    steps: 5, stepMs: 20, kernelMs: 15,
    kernels: [{ kernel: 'FusedConv2D', ms: 6, calls: 3 }, { kernel: 'Conv2DBackpropFilter', ms: 4, calls: 3 }, { kernel: 'CalibraBatchNormTrain', ms: 3, calls: 2 }, { kernel: 'Add', ms: 2, calls: 1 }],
  });
  assert.deepEqual(b, { convolution: 10, 'batch norm': 3, activation: 0, matmul: 0, optimizer: 0, 'other ops': 2, framework: 5, step: 20 });
  const t = torchBreakdown({
    step_ms: 10,
    ops: [{ op: 'aten::convolution_backward', optimizer: false, ms: 7, calls: 2 }, { op: 'aten::mul_', optimizer: true, ms: 3.5, calls: 4 }, { op: 'Optimizer.step#Adam.step', optimizer: true, ms: 1, calls: 1 }],
  });
  assert.equal(t.convolution, 7);
  assert.equal(t.optimizer, 3.5);
  assert.equal(t.framework, 0, 'ops summing past the step leave no negative framework time');
});

const missing = torchAvailable();
test('PyTorch\'s profile of a digits step counts each convolution and BN layer of the network once per step', { skip: missing ?? false }, async () => {
  await tf.setBackend('cpu');
  const digits = BENCH_CASES.find((c) => c.name === 'digits-train-full')!;
  const model = buildArchitecture(digits.spec);
  const count = (cls: string) => model.layers.filter((l) => l.getClassName() === cls).length;
  const convs = count('Conv2D');
  const bns = count('BatchNormalization');
  model.dispose();
  assert.ok(convs > 0 && bns > 0);
  const samples = torchSamples({ ...digits, batch: 8 }, 1, 0.1, undefined, true);
  for (const s of samples) {
    const p = s.profile!;
    const calls = (op: string) => p.ops.filter((o) => o.op === op && !o.optimizer).reduce((sum, o) => sum + o.calls, 0);
    assert.equal(calls('aten::mkldnn_convolution') + calls('aten::thnn_conv2d') + calls('aten::_slow_conv2d_forward'), convs, `${s.layout}: forward convolutions per step`);
    assert.equal(calls('aten::convolution_backward'), convs, `${s.layout}: convolution gradients per step`);
    assert.equal(calls('aten::native_batch_norm'), bns, `${s.layout}: BN forwards per step`);
    const b = torchBreakdown(p);
    const parts = STEP_PARTS.reduce((sum, part) => sum + b[part], 0);
    assert.ok(Math.abs(parts - p.step_ms) < 1e-6 || b.framework === 0, `${s.layout}: parts add up to the step`);
    assert.ok(b.convolution > 0 && b['batch norm'] > 0 && b.optimizer > 0, `${s.layout}: ${JSON.stringify(b)}`);
  }
});
