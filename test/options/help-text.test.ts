// --help from declarations: every declared flag of every command is listed with its help, its
// default and its details, under its section, and the commands use exactly the derived table.
import test from 'node:test';
import assert from 'node:assert/strict';
import { COMMAND_OPTIONS, optionsFor, type OptionsCommand } from '../../src/options/index.js';
import type { OptionSpec } from '../../src/options/option-spec.js';
import { flagForm, flagSections, helpLine, helpRow } from '../../src/options/help-text.js';
import { flagTable } from '../../src/options/flag-table.js';
import { commands } from '../../src/cli/commands/index.js';

const COMMAND_NAME: Record<OptionsCommand, string> = { synth: 'data synth', eval: 'eval', train: 'train', recalibrate: 'recalibrate', inspect: 'inspect', adapt: 'adapt', predict: 'predict' };
const squash = (text: string) => text.replace(/\s+/g, ' ');

test('a short flag form shares its line with the help; a long one puts the help below; long help wraps', () => {
  assert.equal(helpRow('--top K', 'classes per image'), `  --top K${' '.repeat(16)}classes per image`);
  assert.equal(helpRow('--monitor val_accuracy|val_loss', 'what judges an epoch'), `  --monitor val_accuracy|val_loss\n${' '.repeat(25)}what judges an epoch`);
  const words = Array.from({ length: 40 }, (_, i) => `word${i}`).join(' ');
  const lines = helpRow('--x', words, 'first detail\n  indented detail').split('\n');
  assert.ok(lines.every((line) => line.length <= 100), lines.join('\n'));
  assert.equal(squash(lines.slice(0, -2).join(' ')).trim(), `--x ${words}`);
  assert.deepEqual(lines.slice(-2), [`${' '.repeat(25)}first detail`, `${' '.repeat(27)}indented detail`]);
});

test('the help line carries the default, except for switches', () => {
  assert.equal(helpLine({ field: 'b', flag: 'b', kind: 'integer', default: 32, section: 'S', help: 'images per pass' }), 'images per pass (default 32)');
  assert.equal(helpLine({ field: 'o', flag: 'optimizer', kind: 'choice', choices: ['sgd', 'adam'], default: 'adam', section: 'S', help: 'the rule' }), 'the rule (default adam)');
  assert.equal(helpLine({ field: 'a', flag: 'no-augment', kind: 'flag', negated: true, default: true, section: 'S', help: 'no crops' }), 'no crops');
  assert.equal(flagForm({ field: 'o', flag: 'optimizer', kind: 'choice', choices: ['sgd', 'adam'], section: 'S', help: 'h' }), '--optimizer sgd|adam');
  assert.equal(flagForm({ field: 'e', flag: 'epochs', kind: 'integer', section: 'S', help: 'h' }), '--epochs N');
});

for (const [kind, specs] of Object.entries(COMMAND_OPTIONS) as [OptionsCommand, readonly OptionSpec[]][]) {
  test(`${COMMAND_NAME[kind]} --help lists every declared option with its help and details, and parses exactly those flags`, () => {
    const command = commands.find((c) => c.name === COMMAND_NAME[kind]);
    assert.ok(command, COMMAND_NAME[kind]);
    assert.deepEqual(command.options, flagTable(specs));
    assert.ok(command.usage.includes(flagSections(specs)), 'the usage holds the derived sections');
    const usage = squash(command.usage);
    for (const spec of specs) {
      assert.match(command.usage, new RegExp(`^  ${flagForm(spec).replace(/[|.*+?()[\]{}$^\\]/g, '\\$&')}( |$)`, 'm'), spec.flag);
      assert.ok(usage.includes(squash(helpLine(spec))), `${spec.flag}: ${helpLine(spec)}`);
      for (const line of spec.details?.split('\n') ?? []) assert.ok(command.usage.includes(line), `${spec.flag}: ${line}`);
    }
  });
}

test('optionsFor groups a command\'s options by section, in declaration order, each once', () => {
  const sections = optionsFor('train');
  assert.deepEqual(sections.map((s) => s.section), ['Input', 'Schedule', 'Keeping and stopping (need --val or --val-split)', 'Strategy', 'Other', 'Output', 'Feature cache']);
  assert.deepEqual(sections.flatMap((s) => s.options.map((o) => o.field)).sort(), COMMAND_OPTIONS.train.map((o) => o.field).sort());
  assert.deepEqual(sections.find((s) => s.section === 'Strategy')!.options.map((o) => o.flag), ['freeze', 'bn-stats', 'bn-affine', 'bn-momentum', 'bn-eps']);
  for (const kind of Object.keys(COMMAND_OPTIONS) as OptionsCommand[]) {
    const fields = optionsFor(kind).flatMap((s) => s.options.map((o) => o.field));
    assert.equal(new Set(fields).size, fields.length, `${kind}: a field declared twice`);
  }
});
