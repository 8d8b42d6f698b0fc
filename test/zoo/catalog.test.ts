import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUILT_IN_CATALOG, catalog, catalogEntry, modelJsonUrl } from '../../src/zoo/catalog.js';
import { InputError } from '../../src/errors.js';

const file = (content: unknown) => {
  const path = join(mkdtempSync(join(tmpdir(), 'calibra-catalog-')), 'catalog.json');
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
};

test('a catalog file adds entries and replaces built-in ones by name', () => {
  const replaced = { name: 'mobilenet-v1-0.25-224', url: 'http://mirror.test/m/model.json', sha256: { 'model.json': 'a'.repeat(64) } };
  const entries = catalog(file({ models: [replaced, { name: 'extra', url: 'http://mirror.test/e/model.json' }] }));
  assert.equal(entries.length, BUILT_IN_CATALOG.length + 1);
  assert.deepEqual(catalogEntry('mobilenet-v1-0.25-224', entries), { ...replaced, description: '' });
  assert.equal(catalogEntry('extra', entries).url, 'http://mirror.test/e/model.json');
  assert.deepEqual(catalog(undefined).map((e) => e.name), BUILT_IN_CATALOG.map((e) => e.name));
});

test('a bad catalog file is an InputError naming the file and the field', () => {
  const notJson = file('{"models": [');
  assert.throws(() => catalog(notJson), (e: Error) => e instanceof InputError && e.message.startsWith(`CALIBRA_ZOO_CATALOG=${notJson}: cannot read it as JSON`));
  const badSha = file({ models: [{ name: 'x', url: 'http://h/x/model.json', sha256: { 'model.json': 'xyz' } }] });
  assert.throws(() => catalog(badSha), (e: Error) => e instanceof InputError && e.message.startsWith(`CALIBRA_ZOO_CATALOG=${badSha}: models.0.sha256.model.json: a sha256 in hex`));
  const badName = file({ models: [{ name: '../x', url: 'http://h/x/model.json' }] });
  assert.throws(() => catalog(badName), /models\.0\.name: a plain name/);
});

test('an unknown name lists the known ones', () => {
  assert.throws(() => catalogEntry('nope', BUILT_IN_CATALOG), (e: Error) => e instanceof InputError && e.message === `models pull nope: not a known model; known: ${BUILT_IN_CATALOG.map((e) => e.name).join(', ')}`);
});

test('model.json comes from the published address, or from BASE/NAME/model.json on a mirror', () => {
  const entry = BUILT_IN_CATALOG[0]!;
  assert.equal(modelJsonUrl(entry, undefined, '--from').href, 'https://storage.googleapis.com/tfjs-models/tfjs/mobilenet_v1_0.25_224/model.json');
  assert.equal(modelJsonUrl(entry, 'http://m.test/zoo', '--from').href, 'http://m.test/zoo/mobilenet-v1-0.25-224/model.json');
  assert.equal(modelJsonUrl(entry, 'http://m.test/zoo/', '--from').href, 'http://m.test/zoo/mobilenet-v1-0.25-224/model.json');
  assert.throws(() => modelJsonUrl(entry, 'not a url', '--from'), /^InputError: --from not a url: not a URL/);
  assert.throws(() => modelJsonUrl(entry, 'ftp://m.test/', 'CALIBRA_ZOO_URL='), /CALIBRA_ZOO_URL= ftp:\/\/m\.test\/: only http and https/);
});
