// Builds the native kernel addon (native/ → build/Release/calibra_native.node) when oneDNN is
// installed; npm runs it on install. Without oneDNN it says how to get it and exits 0, so
// `npm install` succeeds and the stock wasm kernels still work. A failed build also exits 0
// (the wasm kernels still work) unless CALIBRA_REQUIRE_NATIVE=1, which CI sets so that a
// broken build cannot pass as a skipped one.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const required = process.env.CALIBRA_REQUIRE_NATIVE === '1';

function finish(message, failed) {
  console.log(`calibra native kernels: ${message}`);
  process.exit(failed && required ? 1 : 0);
}

function hasOneDnn() {
  if (existsSync('/usr/include/dnnl.hpp') || existsSync('/usr/include/oneapi/dnnl/dnnl.hpp')) return true;
  return spawnSync('pkg-config', ['--exists', 'dnnl'], { stdio: 'ignore' }).status === 0;
}

/** npm's own node-gyp: npm names it while running install scripts, else it sits beside npm. */
function nodeGyp() {
  const candidates = [
    process.env.npm_config_node_gyp,
    join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  ];
  const script = candidates.find((p) => p !== undefined && existsSync(p));
  return script !== undefined ? [process.execPath, script] : ['node-gyp'];
}

/**
 * Node's headers where Node itself is installed, so node-gyp builds offline. npm passes its
 * nodedir setting through npm_config_nodedir, which node-gyp reads itself.
 */
function nodedirArgs() {
  if (process.env.npm_config_nodedir) return [];
  const prefix = resolve(dirname(process.execPath), '..');
  return existsSync(join(prefix, 'include', 'node', 'common.gypi')) ? [`--nodedir=${prefix}`] : [];
}

if (process.env.CALIBRA_NATIVE === '0') finish('skipped (CALIBRA_NATIVE=0)', false);
if (!hasOneDnn()) {
  finish('oneDNN not found, using the wasm kernels; for native ones: apt-get install libdnnl-dev, then npm install again', true);
}
const [command, ...args] = nodeGyp();
const build = spawnSync(command, [...args, 'rebuild', ...nodedirArgs()], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) {
  finish(`build failed (${build.error?.message ?? `exit ${build.status}`}), using the wasm kernels`, true);
}
finish('built build/Release/calibra_native.node', false);
