/**
 * Debug info packaged outside the binary: separate debug files (build-id, .gnu_debuglink),
 * dwz supplementary files, split DWARF (.dwo, .dwp), and the errors when a piece is missing.
 * That the types are those of the plain build is checked for every variant by the manifest
 * tests (facts.test.ts "variants", pahole-fixtures.test.ts with the plain build's goldens).
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openElf } from '../../src/elf/index.js';
import { fileCrc32 } from '../../src/load/debug-files.js';
import { loadFile } from '../../src/load/index.js';
import { parseUnitIndex } from '../../src/dwarf/unit-index.js';
import { run, schemaValidator } from '../helpers/cli.js';
import { fixtureLoadOptions, fixturePath } from '../helpers/fixtures.js';

const tmp = mkdtempSync(join(tmpdir(), 'structscope-pkg-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A fresh directory holding copies of the named fixtures (path relative to fixtures/bin → name in the copy). */
function copies(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmp, 'd-'));
  for (const [from, to] of Object.entries(files)) {
    mkdirSync(join(dir, to, '..'), { recursive: true });
    copyFileSync(fixturePath(from), join(dir, to));
  }
  return dir;
}

const structNames = (f: ReturnType<typeof loadFile>): string[] =>
  f.table.definitions.map((id) => (f.table.get(id) as { name?: string }).name ?? '').filter(Boolean).sort();

describe('which files were read, and why', () => {
  const cases: [string, { role: string; file: RegExp }[]][] = [
    ['layout-stripped-bid', [{ role: 'build-id', file: /debug-root\/\.build-id\/[0-9a-f]{2}\/[0-9a-f]+\.debug$/ }]],
    ['layout-stripped-dl', [{ role: 'debuglink', file: /\/\.debug\/layout-stripped-dl\.debug$/ }]],
    ['layout-split.o', [{ role: 'dwo', file: /\/layout-split\.dwo$/ }]],
    ['layout-split4.o', [{ role: 'dwo', file: /\/layout-split4\.dwo$/ }]],
    ['layout-split-exe', [{ role: 'dwo', file: /\/layout-split-exe-layout\.dwo$/ }, { role: 'dwo', file: /\/layout-split-exe-main\.dwo$/ }]],
    [
      'layout-split-types-exe',
      [
        { role: 'dwo', file: /\/layout-split-types-exe-layout\.dwo$/ },
        { role: 'dwo', file: /\/layout-split-types-exe-main\.dwo$/ },
      ],
    ],
    ['layout-dwp-exe', [{ role: 'dwp', file: /\/layout-dwp-exe\.dwp$/ }]],
    ['layout-dwp4-exe', [{ role: 'dwp', file: /\/layout-dwp4-exe\.dwp$/ }]],
    ['layout-dwp-types4-exe', [{ role: 'dwp', file: /\/layout-dwp-types4-exe\.dwp$/ }]],
    ['inherit-dwp-types5.o', [{ role: 'dwp', file: /\/inherit-dwp-types5\.o\.dwp$/ }]],
    ['dwz-a', [{ role: 'supplementary', file: /\/dwz-common\.debug$/ }]],
    ['dwz-b', [{ role: 'supplementary', file: /\/dwz-common\.debug$/ }]],
    ['dwz5-a', [{ role: 'supplementary', file: /\/dwz5-common\.debug$/ }]],
    ['dwz5-b', [{ role: 'supplementary', file: /\/dwz5-common\.debug$/ }]],
  ];
  for (const [name, want] of cases) {
    it(name, () => {
      const f = loadFile(fixturePath(name), fixtureLoadOptions());
      expect(f.diagnostics).toEqual([]);
      const got = f.info.debugFiles ?? [];
      expect(got.map((d) => d.role)).toEqual(want.map((w) => w.role));
      got.forEach((d, i) => expect(d.path).toMatch(want[i]!.file));
      expect(f.info.filesRead).toEqual([fixturePath(name), ...got.map((d) => d.path)]);
    });
  }

  it('the build-id file is the one readelf names: its build-id equals the stripped binary’s', () => {
    const f = loadFile(fixturePath('layout-stripped-bid'), fixtureLoadOptions());
    const dbg = openElf(f.info.debugFiles![0]!.path);
    try {
      expect(dbg.buildId()).toBe(f.info.buildId);
    } finally {
      dbg.close();
    }
  });

  it('the debuglink CRC is the CRC32 objcopy recorded', () => {
    const elf = openElf(fixturePath('layout-stripped-dl'));
    try {
      expect(fileCrc32(fixturePath('.debug/layout-stripped-dl.debug'))).toBe(elf.debugLink()!.crc);
    } finally {
      elf.close();
    }
  });

  it('type units and .zdebug need no other file', () => {
    for (const n of ['layout-types4.o', 'layout-types5.o', 'layout-types4-exe', 'layout-types5-exe', 'layout-clang-types5.o', 'layout-zdebug.o']) {
      const f = loadFile(fixturePath(n));
      expect(f.info.debugFiles, n).toBeUndefined();
      expect(f.diagnostics, n).toEqual([]);
    }
  });
});

/** `llvm-dwarfdump-19 --debug-cu-index/--debug-tu-index`: version and, per signature, the [offset, size] of every column in order. */
function dwarfdumpIndex(file: string, which: 'cu' | 'tu'): { version: number; rows: Map<string, [number, number][]> } {
  const r = spawnSync('llvm-dwarfdump-19', [`--debug-${which}-index`, file], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`llvm-dwarfdump-19 failed: ${r.stderr}`);
  const version = Number(/version = (\d+)/.exec(r.stdout)![1]);
  const rows = new Map<string, [number, number][]>();
  for (const m of r.stdout.matchAll(/^\s*\d+ 0x([0-9a-f]{16}) (.*)$/gm)) {
    rows.set(m[1]!, [...m[2]!.matchAll(/\[0x([0-9a-f]+), 0x([0-9a-f]+)\)/g)].map((x): [number, number] => [parseInt(x[1]!, 16), parseInt(x[2]!, 16) - parseInt(x[1]!, 16)]));
  }
  return { version, rows };
}
const hasDwarfdump = spawnSync('llvm-dwarfdump-19', ['--version']).status === 0;

describe('.dwp packages: unit indexes, type units', () => {
  const packages: [string, 'cu' | 'tu', number][] = [
    ['layout-dwp4-exe.dwp', 'cu', 2],
    ['layout-dwp-types4-exe.dwp', 'cu', 2],
    ['layout-dwp-types4-exe.dwp', 'tu', 2],
    ['inherit-dwp-types5.o.dwp', 'cu', 5],
    ['inherit-dwp-types5.o.dwp', 'tu', 5],
  ];
  it.skipIf(!hasDwarfdump).each(packages)('%s .debug_%s_index: the rows llvm-dwarfdump lists', (name, which, version) => {
    const elf = openElf(fixturePath(name));
    try {
      const sec = elf.section(`.debug_${which}_index`)!;
      const ours = parseUnitIndex({ name: sec.name, bytes: elf.readSection(sec), fileOffset: sec.fileOffset }, true);
      const theirs = dwarfdumpIndex(fixturePath(name), which);
      expect(ours.version).toBe(version);
      expect(theirs.version).toBe(version);
      expect(theirs.rows.size).toBeGreaterThan(0);
      expect(new Map([...ours.rows].map(([sig, row]) => [sig, [...row.cols.values()]]))).toEqual(theirs.rows);
    } finally {
      elf.close();
    }
  });

  it('only the .dwp can serve the split units: the .dwo files are gone', () => {
    const left = readdirSync(fixturePath('.')).filter((f) => /^(layout-dwp4-exe|layout-dwp-types4-exe|inherit-dwp-types5).*\.dwo$/.test(f));
    expect(left).toEqual([]);
  });

  it('the DWARF 4 skeletons carry DW_AT_GNU_dwo_id, not a DWARF 5 header dwo_id', () => {
    const f = loadFile(fixturePath('layout-dwp4-exe'));
    expect(f.info.dwarfVersions).toEqual([4]);
    expect(f.table.definitions.length).toBeGreaterThan(0);
  });

  it('every struct defined in a type unit of the package is read (none unresolved)', () => {
    for (const n of ['layout-dwp-types4-exe', 'inherit-dwp-types5.o']) {
      const f = loadFile(fixturePath(n));
      expect(f.diagnostics, n).toEqual([]);
      expect(f.table.types.filter((t) => t.kind === 'unresolved'), n).toEqual([]);
    }
  });
});

describe('missing pieces: one line naming what is missing, the rest still reported', () => {
  it('a missing .dwo: its unit’s types are missing, the other unit’s are read', () => {
    const dir = copies({ 'layout-split-exe': 'layout-split-exe', 'layout-split-exe-main.dwo': 'layout-split-exe-main.dwo' });
    const f = loadFile(join(dir, 'layout-split-exe'));
    const missing = f.diagnostics.filter((d) => d.missingFile);
    expect(missing).toHaveLength(1);
    expect(missing[0]!.message).toContain('layout-split-exe-layout.dwo not found');
    expect(f.info.debugFiles).toEqual([{ path: join(dir, 'layout-split-exe-main.dwo'), role: 'dwo' }]);
    // main.c's unit is still read (its unit type and DWARF version are reported)
    expect(f.info.dwarfVersions).toEqual([5]);
    const r = run('--sizes', join(dir, 'layout-split-exe'));
    expect(r.code).toBe(0);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/layout-split-exe: .*layout-split-exe-layout\.dwo not found \(looked in .*\); its types are missing$/);
  });

  it.each(['layout-dwp4-exe', 'layout-dwp-types4-exe', 'inherit-dwp-types5.o'])('%s without its .dwp: one warning naming the .dwp and the .dwo files, other files still reported', (name) => {
    const dir = copies({ [name]: name });
    const f = loadFile(join(dir, name));
    const missing = f.diagnostics.filter((d) => d.missingFile);
    expect(missing).toHaveLength(1);
    expect(missing[0]!.message).toContain(join(dir, `${name}.dwp`));
    expect(f.info.debugFiles).toBeUndefined();
    const r = run('--sizes', join(dir, name), fixturePath('layout-exe'));
    expect(r.code).toBe(0);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`${name.replace(/\./g, '\\.')}: split DWARF files? .*\\.dwo.* not found \\(looked in .*${name.replace(/\./g, '\\.')}\\.dwp.*\\); (its|their) types are missing$`));
    // the other file is reported in full
    expect(r.stdout).toContain(run('--sizes', fixturePath('layout-exe')).stdout.trim());
  });

  it('a missing supplementary file: the types in the binary itself are still read', () => {
    const dir = copies({ 'dwz-a': 'dwz-a' });
    const f = loadFile(join(dir, 'dwz-a'));
    const missing = f.diagnostics.filter((d) => d.missingFile);
    expect(missing).toHaveLength(1);
    expect(missing[0]!.message).toMatch(/^dwz supplementary file dwz-common\.debug \(build-id [0-9a-f]+\) not found \(looked in .*\)/);
    const full = structNames(loadFile(fixturePath('dwz-a')));
    const partial = structNames(f);
    expect(partial.length).toBeGreaterThan(0);
    for (const n of partial) expect(full).toContain(n);
    const r = run('--sizes', join(dir, 'dwz-a'));
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/dwz-a: dwz supplementary file dwz-common\.debug .* not found/);
    expect(r.stderr.split('\n').filter((l) => l.includes('supplementary')).length).toBe(1);
  });

  it('a debuglink target with the wrong CRC is rejected, and the error lists where it looked', () => {
    // a debug file of the right name but other contents (the build-id tree's debug file)
    const dir = copies({ 'layout-stripped-dl': 'layout-stripped-dl', 'dwz-common.debug': '.debug/layout-stripped-dl.debug' });
    expect(() => loadFile(join(dir, 'layout-stripped-dl'))).toThrow(/its CRC32 does not match the \.gnu_debuglink CRC 0x[0-9a-f]{8}/);
    expect(() => loadFile(join(dir, "layout-stripped-dl"))).not.toThrow(/CRC32 0x/);
    const r = run(join(dir, 'layout-stripped-dl'));
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`${join(dir, 'layout-stripped-dl')}: no DWARF debug info`);
    expect(lines[0]).toContain(join(dir, 'layout-stripped-dl.debug'));
    expect(lines[0]).toContain(join(dir, '.debug/layout-stripped-dl.debug'));
    expect(lines[0]).toContain('rejected');
  });

  it('a stripped binary whose debug file is nowhere: exit 2, one line listing the build-id paths tried', () => {
    const dir = copies({ 'layout-stripped-bid': 'layout-stripped-bid' });
    const r = run(join(dir, 'layout-stripped-bid'), '--debug-dir', join(dir, 'nowhere'));
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    const id = loadFile(fixturePath('layout-stripped-bid'), fixtureLoadOptions()).info.buildId!;
    expect(lines[0]).toContain(`/usr/lib/debug/.build-id/${id.slice(0, 2)}/${id.slice(2)}.debug`);
    expect(lines[0]).toContain(join(dir, 'nowhere', '.build-id', id.slice(0, 2), `${id.slice(2)}.debug`));
  });
});

describe('the CLI', () => {
  it('--debug-dir finds the build-id tree; --verbose names the debug file; JSON lists it', () => {
    const bin = fixturePath('layout-stripped-bid');
    const root = fixturePath('debug-root');
    const plain = run('--sizes', fixturePath('layout-exe'));
    const r = run('--sizes', '--verbose', '--debug-dir', root, bin);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(plain.stdout);
    expect(r.stderr).toMatch(/^.*layout-stripped-bid: debug info read from .*debug-root\/\.build-id\/.*\.debug \(build-id\)$/m);
    const j = run('--format', 'json', '--debug-dir', root, bin, fixturePath('layout-split.o'));
    expect(j.code).toBe(0);
    const doc = JSON.parse(j.stdout);
    const validate = schemaValidator('show');
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
    expect(doc.files[0].debugFiles.map((d: { role: string }) => d.role)).toEqual(['build-id']);
    expect(doc.files[1].debugFiles).toEqual([{ path: fixturePath('layout-split.dwo'), role: 'dwo' }]);
  });

  it('check reads packaged debug info too', () => {
    const r = run('check', '--debug-dir', fixturePath('debug-root'), fixturePath('layout-stripped-bid'), fixturePath('dwz-a'), fixturePath('layout-dwp-exe'));
    const plain = run('check', fixturePath('layout-exe'));
    expect(r.code).toBe(plain.code);
    expect(r.stderr).toBe('');
  });

  it('the stripped binary alone has no .debug_info', () => {
    expect(readFileSync(fixturePath('layout-stripped-bid')).includes(Buffer.from('.debug_info'))).toBe(false);
  });
});
