import { createRng } from '../../src/util/rng.js';
import { convCases, setUpBackends, testConvGradient, type ConvCase } from './wasm-vs-cpu.js';

await setUpBackends();

const rng = createRng(2201);
const cases: ConvCase[] = [
  // The first case of each stride and padding has channel multiplier 3.
  ...convCases(rng, 3, 3),
  { label: 'x 3x10x9x2, 2x4, multiplier 2, stride 3, same', x: [3, 10, 9, 2], filter: [2, 4, 2, 2], stride: 3, pad: 'same' },
];
for (const c of cases) testConvGradient({ kernel: 'DepthwiseConv2dNativeBackpropFilter', wrt: 'filter', depthwise: true }, c, rng);
