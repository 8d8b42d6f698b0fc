import { test } from 'node:test';
import assert from 'node:assert/strict';
import { editText } from '../../src/tui/screens/fine-tune/edit-text.js';

test('printable keys append, a paste appends whole, backspace and DEL remove one, ctrl+u clears', () => {
  assert.equal(editText('da', 't', {}), 'dat');
  assert.equal(editText('', 'data/train', {}), 'data/train');
  assert.equal(editText('dat', '', { backspace: true }), 'da');
  assert.equal(editText('dat', '', { delete: true }), 'da');
  assert.equal(editText('dat', 'u', { ctrl: true }), '');
});

test('navigation, Enter, Tab and Escape are not edits', () => {
  for (const key of [{ return: true }, { tab: true }, { escape: true }, { upArrow: true }, { leftArrow: true }]) assert.equal(editText('x', '', key), null);
  assert.equal(editText('x', 'c', { ctrl: true }), null);
  assert.equal(editText('x', '\u0001', {}), null);
});
