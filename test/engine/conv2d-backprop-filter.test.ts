import { createRng } from '../../src/util/rng.js';
import { convCases, setUpBackends, testConvGradient, type ConvCase } from './wasm-vs-cpu.js';

await setUpBackends();

const rng = createRng(2101);
const cases: ConvCase[] = [
  ...convCases(rng, 3, 6),
  // At stride 1 the kernel makes the smaller of x and dy XNNPACK's filter: cover both choices.
  {
    label: 'x 3x9x6x2, 3x3, out 7, stride 1, same (x is the smaller)',
    x: [3, 9, 6, 2], filter: [3, 3, 2, 7], stride: 1, pad: 'same',
  },
  {
    label: 'x 2x7x10x6, 2x2, out 2, stride 1, same (dy is the smaller)',
    x: [2, 7, 10, 6], filter: [2, 2, 6, 2], stride: 1, pad: 'same',
  },
  {
    label: 'x 2x8x5x1, 3x3, out 4, stride 1, valid (x is the smaller)',
    x: [2, 8, 5, 1], filter: [3, 3, 1, 4], stride: 1, pad: 'valid',
  },
];
for (const c of cases) testConvGradient({ kernel: 'Conv2DBackpropFilter', wrt: 'filter', depthwise: false }, c, rng);
