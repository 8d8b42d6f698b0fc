// The PyTorch side of the exact-recalibration bench case computes what Calibra's exact mode
// computes: checked in PyTorch against a direct per-layer computation (torch_recalibrate_direct.py)
// on a tiny residual twin, batches of 4, 4 and 2.
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { torchAvailable } from '../../src/bench/torch-reference.js';
import type { ResNetSpec } from '../../src/models/architectures/spec.js';
import { PACKAGE_ROOT } from '../../src/util/package-root.js';

const PYTHON = process.env.CALIBRA_PYTHON ?? '/usr/bin/python3';
const missing = torchAvailable();

const spec: ResNetSpec = {
  family: 'resnet', inputShape: [12, 12, 3], stem: { channels: 4, kernel: 3, stride: 1, maxPool: false },
  stages: [{ channels: 4, blocks: 1, stride: 1 }, { channels: 8, blocks: 1, stride: 2 }], numClasses: 2,
};

test('PyTorch\'s layer-by-layer pass gives every BN layer the exact population statistics of its input', { skip: missing ?? false }, () => {
  const script = join(PACKAGE_ROOT, 'test', 'bench', 'torch_recalibrate_direct.py');
  const r = spawnSync(PYTHON, [script, join(PACKAGE_ROOT, 'bench'), JSON.stringify(spec)], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const layers = JSON.parse(r.stdout.trim().split('\n').pop()!) as { mean: number; variance: number }[];
  assert.equal(layers.length, 6, 'stem 1, block1 2, block2 2 + downsample 1');
  layers.forEach((l, i) => {
    assert.ok(l.mean <= 1e-5, `BN layer ${i}: mean off by ${l.mean} of its scale`);
    assert.ok(l.variance <= 1e-5, `BN layer ${i}: variance off by ${l.variance} relative`);
  });
});
