import assert from 'node:assert/strict';
import { it } from 'node:test';
import { renderDigit } from '../../src/data/synth/render.js';
import { createRng } from '../../src/util/rng.js';

const SIZE = 16;
const PER_CLASS = 50;

/** The red channel of a grey render, one vector per image, grouped by class. */
function sample(domain: string, seed: number): Float32Array[][] {
  const rng = createRng(seed);
  return Array.from({ length: 10 }, (_, label) =>
    Array.from({ length: PER_CLASS }, () => {
      const rgb = renderDigit(domain, label, rng, SIZE);
      return Float32Array.from({ length: SIZE * SIZE }, (_, i) => rgb[3 * i]! / 255);
    }),
  );
}

function nearestMeanAccuracy(train: Float32Array[][], test: Float32Array[][]): number {
  const means = train.map((images) => {
    const mean = new Float32Array(SIZE * SIZE);
    for (const image of images) image.forEach((v, i) => (mean[i]! += v / images.length));
    return mean;
  });
  let correct = 0;
  let total = 0;
  test.forEach((images, label) => {
    for (const image of images) {
      let best = -1;
      let bestDistance = Infinity;
      means.forEach((mean, c) => {
        let d = 0;
        for (let i = 0; i < mean.length; i++) d += (image[i]! - mean[i]!) ** 2;
        if (d < bestDistance) [best, bestDistance] = [c, d];
      });
      correct += best === label ? 1 : 0;
      total++;
    }
  });
  return correct / total;
}

// Raw-pixel class means only separate classes whose shapes differ consistently, so this catches
// glyphs that are wrong, swapped or drowned by variation; chance is 10%.
it('digits are distinguishable: nearest class mean on raw 16×16 clean pixels beats 50%', (t) => {
  const train = sample('clean', 1);
  const accuracies = [2, 3].map((seed) => nearestMeanAccuracy(train, sample('clean', seed)));
  t.diagnostic(`nearest-class-mean accuracy on held-out seeds: ${accuracies.map((a) => a.toFixed(3)).join(', ')}`);
  for (const accuracy of accuracies) assert.ok(accuracy > 0.5, `accuracy ${accuracy}`);
});
