import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadFile } from '../../src/load/index.js';
import { indexKeyOf, indexPath, keepIndex, pruneIndexes, readIndex } from '../../src/load/index-cache.js';
import { unitsForNames } from '../../src/load/type-index.js';
import { CLI, CLI_ENV } from '../helpers/cli.js';
import { fixturePath, repoRoot } from '../helpers/fixtures.js';

const { parallelDump } = (await import(`${repoRoot}/dist/cli/parallel.js`)) as typeof import('../../src/cli/parallel.js');
const tmp = mkdtempSync(join(tmpdir(), 'structscope-index-life-'));

function cli(env: NodeJS.ProcessEnv, ...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { env, encoding: 'utf8' });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

describe('the type index: who writes it, when, and how long it stays', () => {
  it('a parallel whole-file dump leaves the same index a single reader would (as far as -C needs)', async () => {
    for (const name of ['layout-exe', 'dup-exe']) {
      const path = fixturePath(name);
      const dump = await parallelDump(path, 'sizes', { cachelineSize: 64, hex: false, expand: false }, 2, undefined, 0);
      expect(dump?.index, name).toBeDefined();
      const dir = mkdtempSync(join(tmp, 'par-'));
      expect(keepIndex(dir, path, dump!.index!)).toBe('written');
      expect(keepIndex(dir, path, dump!.index!)).toBe('present');
      const key = indexKeyOf(path, loadFile(path).info.buildId);
      const fromWorkers = readIndex(indexPath(dir, path, key), key)!;
      const serialDir = mkdtempSync(join(tmp, 'ser-'));
      expect(loadFile(path, { cacheDir: serialDir }).index?.state).toBe('written');
      const serial = readIndex(indexPath(serialDir, path, key), key)!;
      expect(fromWorkers.units).toEqual(serial.units);
      expect(Object.keys(fromWorkers.names).sort()).toEqual(Object.keys(serial.names).sort());
      // every unit the single reader names is among the workers' (which may name a later duplicate too)
      for (const n of Object.keys(serial.names)) for (const u of unitsForNames(serial, [n])) expect(unitsForNames(fromWorkers, [n]).has(u), `${name} ${n}`).toBe(true);
    }
  });

  it('a -C run does not start a background build unless STRUCTSCOPE_INDEX_BACKGROUND=1; `index` builds it', async () => {
    const cache = mkdtempSync(join(tmp, 'cache-'));
    const exe = fixturePath('dup-exe');
    const env = { ...CLI_ENV, STRUCTSCOPE_CACHE_DIR: cache, STRUCTSCOPE_INDEX_BACKGROUND: undefined };
    const cold = cli(env, exe, '-C', 'dup', '-v');
    expect(cold.stderr).toMatch(/type index missing: .* \(`structscope index .*` builds it\)/);
    expect(cold.stderr).not.toMatch(/warning: .*type index/); // information, not a problem
    await new Promise((r) => setTimeout(r, 1000));
    const dir = join(cache, 'index-v1');
    expect(existsSync(dir) ? readdirSync(dir) : []).toEqual([]);
    const built = cli(env, 'index', exe);
    expect(built.code).toBe(0);
    expect(built.stdout).toMatch(/type index written: /);
    expect(cli(env, 'index', exe).stdout).toMatch(/type index present: /);
    expect(cli(env, exe, '-C', 'dup', '-v').stderr).toMatch(/type index used/);
    const missing = cli(env, 'index', join(tmp, 'nope'));
    expect(missing.code).toBe(2);
  });

  it('prunes indexes unused for 30 days, then the least recently used beyond the size limit, and dead temporary files', () => {
    const dir = mkdtempSync(join(tmp, 'prune-'));
    mkdirSync(dir, { recursive: true });
    const now = Date.now();
    const day = 24 * 3600_000;
    const make = (name: string, ageMs: number, bytes: number) => {
      const f = join(dir, name);
      writeFileSync(f, 'x'.repeat(bytes));
      utimesSync(f, new Date(now - ageMs), new Date(now - ageMs));
      return f;
    };
    make('old.idx', 31 * day, 10);
    make('a.idx', 3 * day, 100);
    make('b.idx', 2 * day, 100);
    make('c.idx', 1 * day, 100);
    make('dead.tmp', 2 * 3600_000, 5);
    make('fresh.tmp', 1000, 5);
    const keep = make('new.idx', 0, 100);
    const removed = pruneIndexes(dir, { keep, now, maxTotalBytes: 250 }).map((f) => f.slice(dir.length + 1)).sort();
    expect(removed).toEqual(['a.idx', 'b.idx', 'dead.tmp', 'old.idx']);
    expect(readdirSync(dir).sort()).toEqual(['c.idx', 'fresh.tmp', 'new.idx']);
  });
});
