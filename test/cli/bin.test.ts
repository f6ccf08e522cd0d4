/**
 * The installed bin (scripts/bundle.mjs): dist/cli/main.cjs runs the one-file CommonJS bundle
 * _cli.cjs with the V8 code cache _cli.cache made at build time; dist/cli/main.js is the ES module
 * entry; the bundle finds its worker threads beside it.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Script } from 'node:vm';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, CLI_ENV, run } from '../helpers/cli.js';
import { fixturePath, repoRoot } from '../helpers/fixtures.js';

const dist = join(repoRoot, 'dist/cli');
const node = (script: string, args: string[], env: NodeJS.ProcessEnv = CLI_ENV) => {
  const r = spawnSync(process.execPath, [script, ...args], { encoding: 'utf8', maxBuffer: 64 << 20, env });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
};
const scratch = mkdtempSync(join(tmpdir(), 'structscope-bin-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('the bin', () => {
  it('is main.cjs, and answers --version from package.json', () => {
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string; bin: Record<string, string> };
    expect(join(repoRoot, pkg.bin.structscope!)).toBe(CLI);
    expect(run('--version').stdout).toBe(`${pkg.version}\n`);
  });

  it('has a code cache this V8 accepts for the bundle (made by the build, so -C starts 25-30 ms sooner)', () => {
    const cache = readFileSync(join(dist, '_cli.cache'));
    expect(cache.length).toBeGreaterThan(100_000); // the warm-up runs' functions, not just the top level
    const body = readFileSync(join(dist, '_cli.cjs'), 'utf8').replace(/^#!.*/, '');
    const script = new Script(`(function (exports, require, module, __filename, __dirname) {${body}\n})`, { filename: join(dist, '_cli.cjs'), cachedData: cache });
    expect(script.cachedDataRejected).toBe(false);
  });

  it('prints the same without its cache, and through the ES module entry main.js', () => {
    const args = [fixturePath('virtio_net.ko'), '-C', 'virtnet_info'];
    const expected = run(...args);
    expect(expected.code).toBe(0);
    expect(expected.stdout).toContain('struct virtnet_info {');
    const bare = join(scratch, 'dist/cli');
    mkdirSync(bare, { recursive: true });
    for (const f of ['main.cjs', '_cli.cjs']) copyFileSync(join(dist, f), join(bare, f));
    expect(node(join(bare, 'main.cjs'), args)).toEqual(expected);
    expect(node(join(dist, 'main.js'), args)).toEqual(expected);
  });

  it('finds its worker threads beside the bundle: a split dump and a diff reading each file in a worker print what one thread does', () => {
    const parallel = { ...CLI_ENV, STRUCTSCOPE_PARALLEL_MIN_BYTES: '0' };
    const exe = fixturePath('layout-exe');
    const serial = run(exe, '--jobs', '1');
    expect(serial.code).toBe(0);
    expect(node(CLI, [exe, '--jobs', '2'], parallel)).toEqual(serial);
    const other = fixturePath('dup-exe');
    const diffSerial = run('diff', exe, other, '--format', 'json');
    expect(diffSerial.code).toBe(0);
    const diffWorkers = node(CLI, ['diff', exe, other, '--format', 'json'], parallel);
    expect(diffWorkers).toEqual(diffSerial);
  });
});
