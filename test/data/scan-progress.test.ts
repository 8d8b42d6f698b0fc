import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scanClassFolders, type ClassScanProgress } from '../../src/data/image-files.js';
import { scanLabelledFolder, scanNotes, scanProblem, type ScanView } from '../../src/tui/screens/fine-tune/data-scan.js';

function folder(counts: Record<string, number>): string {
  const root = mkdtempSync(join(tmpdir(), 'calibra-scan-'));
  for (const [cls, n] of Object.entries(counts)) {
    mkdirSync(join(root, cls));
    for (let i = 0; i < n; i++) writeFileSync(join(root, cls, `${i}.jpg`), '');
  }
  return root;
}

test('scanClassFolders reports the classes first, then each class as its count is known', async () => {
  const root = folder({ a: 2, b: 0, c: 3 });
  const seen: ClassScanProgress[] = [];
  const result = await scanClassFolders(root, (p) => seen.push({ classNames: [...p.classNames], counts: [...p.counts] }));
  const names = ['a', 'b', 'c'];
  assert.deepEqual(seen, [
    { classNames: names, counts: [] },
    { classNames: names, counts: [2] },
    { classNames: names, counts: [2, 0] },
    { classNames: names, counts: [2, 0, 3] },
  ]);
  assert.deepEqual(result.files.map((f) => f.length), [2, 0, 3]);
});

function scan(path: string): Promise<ScanView[]> {
  return new Promise((resolve) => {
    const views: ScanView[] = [];
    scanLabelledFolder(path, (v) => {
      views.push(v);
      if (v.done) resolve(views);
    });
  });
}

test('the screen\'s scan ends with counts and notes, and names what cannot train', async () => {
  const root = folder({ ants: 2, bees: 0, wasps: 1 });
  writeFileSync(join(root, 'loose.png'), '');
  writeFileSync(join(root, 'ants', 'readme.md'), '');
  const views = await scan(root);
  const last = views[views.length - 1]!;
  assert.equal(views.filter((v) => v.done).length, 1);
  assert.deepEqual(last.counts, [2, 0, 1]);
  assert.equal(scanProblem(last), null);
  const notes = scanNotes(last);
  assert.equal(notes[0], 'empty class folders: bees');
  assert.equal(notes[1], '1 image(s) directly in the folder belong to no class and are skipped');
  assert.match(notes[2]!, /^ignored 1 entry .*1 \.md/);

  const one = (await scan(folder({ only: 3 }))).pop()!;
  assert.match(scanProblem(one)!, /only one class folder holds images/);
  const missing = (await scan(join(root, 'nope'))).pop()!;
  assert.equal(scanProblem(missing), `folder not found: ${join(root, 'nope')}`);
});
