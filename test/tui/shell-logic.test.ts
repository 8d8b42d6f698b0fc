import test from 'node:test';
import assert from 'node:assert/strict';
import { InputError } from '../../src/errors.js';
import { navReducer, initialStack } from '../../src/tui/navigation.js';
import { errorHelp } from '../../src/tui/error-help.js';
import { driftLines, freshPath, groupsToRecalibrate } from '../../src/tui/drift-view.js';

test('navigation: esc pops but never below home; a run replaces nothing under it; home clears the stack', () => {
  let stack = navReducer(initialStack, { type: 'push', screen: { name: 'runs' } });
  stack = navReducer(stack, { type: 'push', screen: { name: 'run', id: 'x' } });
  assert.deepEqual(stack.map((s) => s.name), ['home', 'runs', 'run']);
  assert.deepEqual(navReducer(stack, { type: 'back' }).map((s) => s.name), ['home', 'runs']);
  assert.deepEqual(navReducer(initialStack, { type: 'back' }), initialStack);
  assert.deepEqual(navReducer(stack, { type: 'replace', screen: { name: 'dashboard' } }).map((s) => s.name), ['home', 'runs', 'dashboard']);
  assert.deepEqual(navReducer(initialStack, { type: 'replace', screen: { name: 'dashboard' } }).map((s) => s.name), ['home', 'dashboard']);
  assert.deepEqual(navReducer(stack, { type: 'home' }), initialStack);
});

test('error help: a message naming a flag points at the field; other input errors at the fields; run failures at the record', () => {
  assert.deepEqual(errorHelp(new InputError('--images /x: no images (looked for .jpg, .png)\nmore')), {
    message: '--images /x: no images (looked for .jpg, .png)',
    fix: 'esc, then change the Unlabelled/Images field and run again',
  });
  assert.match(errorHelp(new InputError('the preset has no steps')).fix, /^esc, then check the fields/);
  assert.equal(errorHelp(new InputError('--out: String must contain at least 1 character(s)'), 'form').fix, 'change the Out field and press enter');
  // The flag a message suggests changing comes last.
  assert.equal(errorHelp(new InputError('--images /d: holds 30 image(s), fewer than the 32 AdaBN needs; --min-images 30 lowers the floor')).fix, 'esc, then change the Min images field and run again');
  assert.match(errorHelp(new Error('WebAssembly.Memory(): could not allocate')).fix, /calibra runs show ID/);
  assert.equal(errorHelp('plain text').message, 'plain text');
});

const layer = (name: string, group: string, drift: number) => ({ name, group, drift, channels: 8, meanShift: 0, varRatio: 1 });

test('drift lines: groups in network order with their mean, layers under them, bars scaled to the largest drift', () => {
  const lines = driftLines({ layers: [layer('stem_bn', 'stem', 2), layer('b1_bn1', 'block1', 1), layer('b1_bn2', 'block1', 0.5)] }, 40);
  assert.deepEqual(lines.map((l) => l.split(/\s+/).filter(Boolean)[0]), ['stem', 'stem_bn', 'block1', 'b1_bn1', 'b1_bn2']);
  assert.equal(lines[0], 'stem (mean 2.00)');
  assert.equal(lines[2], 'block1 (mean 0.75)');
  const cells = (l: string) => [...l].filter((c) => c === '█').length;
  // width 40 − 19 (name) − 10 = 11 cells for the largest drift.
  assert.deepEqual([cells(lines[1]!), cells(lines[3]!), cells(lines[4]!)], [11, 5, 2]);
  for (const l of lines) assert.ok(l.length <= 40, l);
});

test('groups to recalibrate: those the advice names, else the one that drifts most', () => {
  assert.deepEqual(groupsToRecalibrate({ adviceGroups: ['stem', 'block1'], layers: [] }), ['stem', 'block1']);
  assert.deepEqual(groupsToRecalibrate({ adviceGroups: [], layers: [layer('a', 'stem', 0.1), layer('b', 'block1', 0.3), layer('c', 'block1', 0.2)] }), ['block1']);
  assert.deepEqual(groupsToRecalibrate({ adviceGroups: [], layers: [] }), []);
});

test('fresh path: the base when free, else the first numbered one that is', () => {
  const taken = new Set(['/d/x-adabn', '/d/x-adabn-2']);
  assert.equal(freshPath('/d/y-adabn', (p) => taken.has(p)), '/d/y-adabn');
  assert.equal(freshPath('/d/x-adabn', (p) => taken.has(p)), '/d/x-adabn-3');
});
