import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadFile } from '../../src/load/index.js';
import { indexKeyOf, indexPath, readIndex } from '../../src/load/index-cache.js';
import { renderType } from '../../src/pahole-text.js';
import { exactClassNames, firstDefinitionsFound, selectTypes, type Selection } from '../../src/report/select.js';
import { CLI, CLI_ENV, run } from '../helpers/cli.js';
import { fixtureLoadOptions, fixtureManifest, fixturePath } from '../helpers/fixtures.js';

const tmp = mkdtempSync(join(tmpdir(), 'structscope-index-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** What `-C` prints for a selection from a file (with the file's address size, as the CLI does). */
function shown(file: ReturnType<typeof loadFile>, sel: Selection): string[] {
  return selectTypes(file.table, sel).ids.map((id) => renderType(file.table, id, { addressSize: file.info.addressSize }));
}

/** Load with onlyNames, counting the units converted. */
function countingUnits(path: string, names: string[], cacheDir?: string) {
  let units = 0;
  const file = loadFile(path, { onlyNames: names, cacheDir, onUnit: () => units++ });
  return { file, units };
}

/** `-C NAME` the way show reads: only candidate units, stopping at the first definitions. */
function targeted(path: string, sel: Selection, cacheDir?: string) {
  return loadFile(path, { ...fixtureLoadOptions(), onlyNames: exactClassNames(sel), stopAfterUnit: firstDefinitionsFound(sel), cacheDir });
}

describe('-C NAME reads only the units that can define NAME', () => {
  it('prints exactly what a full read prints, for every type of every fixture', () => {
    let checked = 0;
    for (const f of fixtureManifest()) {
      const full = loadFile(f.path, fixtureLoadOptions());
      const names = [...new Set(selectTypes(full.table, {}).ids.map((id) => (full.table.get(id) as { name: string }).name))];
      // the kernel module has 684 names and takes a relocated read per load: a spread of them
      const sample = names.length > 200 ? names.filter((_, i) => i % 25 === 0) : names;
      for (const name of sample) {
        const sel = { classes: [name] };
        expect(shown(targeted(f.path, sel), sel), `${f.base} -C ${name}`).toEqual(shown(full, sel));
        checked++;
      }
      const all = { classes: [names.join(',')], allDefinitions: true };
      expect(shown(loadFile(f.path, { ...fixtureLoadOptions(), onlyNames: exactClassNames(all) }), all), `${f.base} all`).toEqual(shown(full, all));
    }
    expect(checked).toBeGreaterThan(500);
  });

  it('skips the units that cannot hold the name (dup-exe: only_a lives in the first unit only)', () => {
    const exe = fixturePath('dup-exe');
    const sel = { classes: ['only_a'], allDefinitions: true };
    const t = loadFile(exe, { onlyNames: exactClassNames(sel) });
    expect(t.partial).toBe(true);
    expect(shown(t, sel)).toEqual(shown(loadFile(exe), sel));
    // the second unit was never converted, and in the first only the wanted type was (C units)
    expect(countingUnits(exe, ['only_a']).units).toBe(1);
    expect(t.table.definitionsOf('struct', 'dup')).toHaveLength(0);
    expect(loadFile(exe).table.definitionsOf('struct', 'dup')).toHaveLength(2);
    expect(targeted(exe, { classes: ['no_such_type'] }).table.definitions).toEqual([]);
  });
});

describe('type index cache', () => {
  const copy = (name: string) => {
    const dir = mkdtempSync(join(tmp, 'bin-'));
    const p = join(dir, name);
    copyFileSync(fixturePath(name), p);
    return p;
  };

  it('a complete read writes it, -C then reads only the indexed units, with the same output', () => {
    const cache = mkdtempSync(join(tmp, 'cache-'));
    const exe = copy('dup-exe');
    const first = loadFile(exe, { cacheDir: cache });
    expect(first.index?.state).toBe('written');
    expect(loadFile(exe, { cacheDir: cache }).index?.state).toBe('present');
    const key = indexKeyOf(exe, first.info.buildId);
    const index = readIndex(indexPath(cache, exe, key), key)!;
    expect(index.units).toHaveLength(2);
    expect(index.names['only_a']).toEqual([index.units[0]![0]]);
    expect(index.names['dup']).toEqual([index.units[0]![0], index.units[1]![0]]);
    for (const sel of [{ classes: ['only_a'] }, { classes: ['dup,only_a'] }, { classes: ['dup'], allDefinitions: true }]) {
      const t = targeted(exe, sel, cache);
      expect(t.index?.state).toBe('used');
      expect(shown(t, sel)).toEqual(shown(first, sel));
    }
    const one = countingUnits(exe, ['only_a'], cache);
    expect(one.file.index?.state).toBe('used');
    expect(one.units).toBe(1);
  });

  it('is not used when stale or corrupt, and is rewritten by the next complete read', () => {
    const cache = mkdtempSync(join(tmp, 'cache-'));
    const exe = copy('layout-exe');
    loadFile(exe, { cacheDir: cache });
    const key = indexKeyOf(exe, loadFile(exe).info.buildId);
    const file = indexPath(cache, exe, key);
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.replace('"names":{', '"names":{"evil":[0],'));
    expect(targeted(exe, { classes: ['kitchen_sink'] }, cache).index?.state).toBe('missing');
    writeFileSync(file, text.slice(0, text.length / 2));
    expect(targeted(exe, { classes: ['kitchen_sink'] }, cache).index?.state).toBe('missing');
    expect(loadFile(exe, { cacheDir: cache }).index?.state).toBe('written');
    expect(targeted(exe, { classes: ['kitchen_sink'] }, cache).index?.state).toBe('used');
    // a changed mtime is another file as far as the index goes
    utimesSync(exe, new Date(), new Date(Date.now() + 5000));
    expect(targeted(exe, { classes: ['kitchen_sink'] }, cache).index?.state).toBe('missing');
  });

  it('CLI: --no-cache neither reads nor writes; concurrent runs leave one intact index', async () => {
    const cache = mkdtempSync(join(tmp, 'cache-'));
    const exe = copy('layout-exe');
    const env = { ...CLI_ENV, STRUCTSCOPE_CACHE_DIR: cache };
    const runAsync = (...args: string[]) =>
      new Promise<number>((resolve) => spawn(process.execPath, [CLI, ...args], { env, stdio: 'ignore' }).on('exit', (c) => resolve(c ?? -1)));
    const noCache = await runAsync(exe, '--no-cache', '--sizes');
    expect(noCache).toBe(0);
    expect(existsSync(join(cache, 'index-v1'))).toBe(false);
    const codes = await Promise.all([runAsync(exe, '--sizes'), runAsync(exe, '--sizes'), runAsync(exe, '--sizes')]);
    expect(codes).toEqual([0, 0, 0]);
    const files = readdirSync(join(cache, 'index-v1'));
    expect(files.filter((f) => f.endsWith('.idx'))).toHaveLength(1);
    expect(files.filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('CLI: a -C run without an index builds it in the background; the next run uses it', async () => {
    const cache = mkdtempSync(join(tmp, 'cache-'));
    const exe = copy('dup-exe');
    const env = { ...CLI_ENV, STRUCTSCOPE_CACHE_DIR: cache, STRUCTSCOPE_INDEX_BACKGROUND: '1' };
    const cold = spawnText(env, exe, '-C', 'dup', '-v');
    expect(cold).toMatch(/type index missing/);
    const dir = join(cache, 'index-v1');
    for (let i = 0; i < 100 && !(existsSync(dir) && readdirSync(dir).some((f) => f.endsWith('.idx'))); i++) await new Promise((r) => setTimeout(r, 100));
    const warm = spawnText(env, exe, '-C', 'dup', '-v');
    expect(warm).toMatch(/type index used/);
    expect(readdirSync(dir).filter((f) => f.endsWith('.building'))).toEqual([]); // the builder removed its lock
  });

  it('CLI: no second background build while one holds the lock', async () => {
    const cache = mkdtempSync(join(tmp, 'cache-'));
    const exe = copy('dup-exe');
    const env = { ...CLI_ENV, STRUCTSCOPE_CACHE_DIR: cache, STRUCTSCOPE_INDEX_BACKGROUND: '1' };
    const key = indexKeyOf(exe, loadFile(exe).info.buildId);
    const lock = `${indexPath(cache, exe, key)}.building`;
    mkdirSync(join(cache, 'index-v1'), { recursive: true });
    writeFileSync(lock, '');
    expect(spawnText(env, exe, '-C', 'dup', '-v')).toMatch(/type index missing/);
    await new Promise((r) => setTimeout(r, 1500));
    expect(existsSync(indexPath(cache, exe, key))).toBe(false);
    expect(existsSync(lock)).toBe(true);
    expect(run(exe, '-C', 'dup', '--no-cache').stdout).toBe(spawnText(env, exe, '-C', 'dup'));
  });
});

/** stderr (with -v) or stdout of a CLI run with `env`. */
function spawnText(env: NodeJS.ProcessEnv, ...args: string[]): string {
  const r = spawnSync(process.execPath, [CLI, ...args], { env, encoding: 'utf8' });
  return args.includes('-v') ? r.stderr : r.stdout;
}
