// A contact sheet of synthetic digits for checking them by eye: one band of rows per domain,
// each row the digits 0..9 with several samples of each.
//
//   npx tsx scripts/synth-contact-sheet.ts [--out /tmp/synth-sheet.png] [--size 32] [--scale 2]
//     [--per-digit 3] [--rows 1] [--seed 0] [--domains clean,inverted,...]

import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { DOMAIN_IDS } from '../src/data/synth/domains.js';
import { renderDigit } from '../src/data/synth/render.js';
import { createRng } from '../src/util/rng.js';

const { values } = parseArgs({
  options: {
    out: { type: 'string', default: '/tmp/synth-sheet.png' },
    size: { type: 'string', default: '32' },
    scale: { type: 'string', default: '2' },
    'per-digit': { type: 'string', default: '3' },
    rows: { type: 'string', default: '1' },
    seed: { type: 'string', default: '0' },
    domains: { type: 'string', default: DOMAIN_IDS.join(',') },
  },
});

const size = Number(values.size);
const scale = Number(values.scale);
const perDigit = Number(values['per-digit']);
const rowsPerDomain = Number(values.rows);
const domains = values.domains.split(',');
const gap = 2;
const digitGap = 6;

const cell = size * scale;
const cols = 10 * perDigit;
const width = cols * (cell + gap) + 9 * digitGap;
const height = domains.length * rowsPerDomain * (cell + gap) + (domains.length - 1) * digitGap;
const sheet = new Uint8Array(width * height * 3).fill(96);

const rng = createRng(Number(values.seed));
domains.forEach((domain, d) => {
  for (let r = 0; r < rowsPerDomain; r++) {
    const top = (d * rowsPerDomain + r) * (cell + gap) + d * digitGap;
    for (let c = 0; c < cols; c++) {
      const digit = Math.floor(c / perDigit);
      const left = c * (cell + gap) + digit * digitGap;
      const tile = renderDigit(domain, digit, rng, size);
      for (let y = 0; y < cell; y++) {
        for (let x = 0; x < cell; x++) {
          const src = (Math.floor(y / scale) * size + Math.floor(x / scale)) * 3;
          const dst = ((top + y) * width + left + x) * 3;
          sheet[dst] = tile[src]!;
          sheet[dst + 1] = tile[src + 1]!;
          sheet[dst + 2] = tile[src + 2]!;
        }
      }
    }
  }
});

await sharp(sheet, { raw: { width, height, channels: 3 } }).png().toFile(values.out);
console.error(`wrote ${values.out} (${width}x${height}): rows ${domains.join(', ')}`);
