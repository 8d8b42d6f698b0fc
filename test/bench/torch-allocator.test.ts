// The allocator PyTorch's reference runs under: tcmalloc when installed (.ci/run installs it),
// glibc's malloc or another library when CALIBRA_TORCH_MALLOC says so, and the preload really
// reaching the Python process.
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { torchAllocator } from '../../src/bench/torch-reference.js';

function withChoice<T>(value: string | undefined, f: () => T): T {
  const before = process.env.CALIBRA_TORCH_MALLOC;
  if (value === undefined) delete process.env.CALIBRA_TORCH_MALLOC;
  else process.env.CALIBRA_TORCH_MALLOC = value;
  try {
    return f();
  } finally {
    if (before === undefined) delete process.env.CALIBRA_TORCH_MALLOC;
    else process.env.CALIBRA_TORCH_MALLOC = before;
  }
}

test('CALIBRA_TORCH_MALLOC=glibc preloads nothing; a path is preloaded as given', () => {
  assert.deepEqual(withChoice('glibc', torchAllocator), { name: 'glibc' });
  assert.deepEqual(withChoice('/opt/lib/libother.so', torchAllocator), { name: '/opt/lib/libother.so', preload: '/opt/lib/libother.so' });
});

const python = '/usr/bin/python3';
test('by default PyTorch runs under tcmalloc, and the library is mapped into its process', { skip: existsSync(python) ? false : `${python} not found` }, () => {
  const allocator = withChoice(undefined, torchAllocator);
  assert.equal(allocator.name, 'tcmalloc', 'libtcmalloc-minimal4 is installed (.ci/run installs it)');
  const r = spawnSync(python, ['-c', 'print(open("/proc/self/maps").read())'], { encoding: 'utf8', env: { ...process.env, LD_PRELOAD: allocator.preload } });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /libtcmalloc_minimal\.so/);
});
