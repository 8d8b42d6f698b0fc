// A folder inside the data that cannot be listed used to abort the whole run. It is skipped and
// reported like a bad file, with its reason. Root lists any folder whatever its mode, so the
// permission case runs the CLI as nobody, after checking that the permission really bites;
// links that lead nowhere bite for everyone.
import assert from 'node:assert/strict';
import { chmod, mkdir, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { calibra } from '../helpers/cli.js';
import { makeTempDir } from '../data/fixtures.js';
import { calibraUnprivileged, inputError, listingRefused, synthFolder, writeTruncated } from './input-fixtures.js';

let dir: string;
let remove: () => Promise<void>;

before(async () => {
  ({ dir, remove } = await makeTempDir());
  await chmod(dir, 0o755);
});
after(async () => {
  await chmod(join(dir, 'locked', '3', 'sub'), 0o755).catch(() => undefined);
  await chmod(join(dir, 'locked', '7'), 0o755).catch(() => undefined);
  await remove();
});

type Skipped = { path: string; reason: string }[];
const relative = (root: string, skipped: Skipped) => skipped.map((s) => [s.path.slice(root.length + 1), s.reason]);

test('a subfolder and a class folder the process may not list are skipped with their reason', async () => {
  const data = await synthFolder(join(dir, 'locked'));
  await mkdir(join(data, '3', 'sub'));
  await writeTruncated(join(data, '3', 'sub', 'hidden-away.jpg'), 'jpeg');
  await chmod(join(data, '3', 'sub'), 0o000);
  await chmod(join(data, '7'), 0o000);
  assert.ok(listingRefused(join(data, '3', 'sub')), 'mode 000 must refuse the listing to the user the CLI runs as');

  const r = await calibraUnprivileged(['eval', '--model', 'digits-resnet', '--data', data, '--json']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.json!.n, 9, 'every image but the one in the unlistable class 7');
  assert.deepEqual(relative(data, r.json!.skipped as Skipped), [
    ['3/sub', 'unreadable folder: permission denied'],
    ['7', 'unreadable folder: permission denied'],
  ]);
  assert.match(r.stderr, /3\/sub: unreadable folder: permission denied/);
});

test('a link to a folder that is gone, and a link loop, are skipped with their reason', async () => {
  const data = await synthFolder(join(dir, 'links'));
  await symlink(join(dir, 'no-such-folder'), join(data, '2', 'moved-away'));
  await symlink(join(data, '5', 'loop'), join(data, '5', 'loop'));
  const r = await calibra(['eval', '--model', 'digits-resnet', '--data', data, '--json']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.json!.n, 10);
  assert.deepEqual(relative(data, r.json!.skipped as Skipped), [
    ['2/moved-away', 'unreadable: broken link (its target does not exist)'],
    ['5/loop', 'unreadable: symbolic link loop'],
  ]);
});

test('when the unreadable folders held everything, the run is exit 2 naming the folder and why', async () => {
  const data = join(dir, 'only-links');
  await mkdir(join(data, '0'), { recursive: true });
  await mkdir(join(data, '1'));
  await symlink(join(dir, 'gone-0'), join(data, '0', 'images'));
  await symlink(join(dir, 'gone-1'), join(data, '1', 'images'));
  const line = inputError(await calibra(['eval', '--model', 'digits-resnet', '--data', data]));
  assert.equal(line, `calibra: --data: no images in any class folder of ${data} (skipped 2 unreadable)`);
});
