/**
 * `show --target T`: the layouts predicted from an x86_64 build must print exactly like `show` of
 * the real T build of the same source, type by type. Every cross-compiled build of layout.c is a
 * target; gcc builds are predicted from the gcc x86_64 build, clang builds from the clang one
 * (the two spell some types differently). `check` explains every type of every fixture.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ABIS } from '../../src/layout/abi/targets.js';
import { run, schemaValidator } from '../helpers/cli.js';
import { fixtureManifest, fixturePath } from '../helpers/fixtures.js';
import { blocks } from '../random/compare.js';

const fixtures = fixtureManifest();
const GCC_X86 = fixtures.find((f) => f.base === 'layout-plain.o')!;
const CLANG_X86 = fixtures.find((f) => f.base === 'layout-clang-dwarf5.o')!;
const targets = fixtures.filter((f) => f.source.includes('src/layout.c') && f.variant === 'cross');
/** The fixture sources (src/layout.c): --source-dir lets the prediction read the definitions. */
const SOURCES = join(fixturePath('.'), '..');

const table: Record<string, string | number>[] = [];
afterAll(() => {
  console.log('show --target T --cacheline-size 64 of the x86_64 build vs show of the T build');
  console.table(table);
});

describe('show --target predicts the cross-compiled layouts', () => {
  it('covers every target with a fixture', () => {
    expect(targets.length).toBeGreaterThanOrEqual(17);
    for (const t of targets) expect(Object.keys(ABIS), t.base).toContain(t.arch);
  });

  for (const t of targets) {
    it(`${t.base}: every predictable type prints exactly like the ${t.arch} build`, () => {
      const source = t.compiler.startsWith('clang') ? CLANG_X86 : GCC_X86;
      const predicted = run(source.path, '--target', t.arch, '--cacheline-size', '64', '--source-dir', SOURCES);
      expect(predicted.code, predicted.stderr).toBe(0);
      const real = run(t.path);
      expect(real.code, real.stderr).toBe(0);
      const p = blocks(predicted.stdout);
      const r = blocks(real.stdout);
      const mismatched: string[] = [];
      const unpredictable: string[] = [];
      let identical = 0;
      for (const [key, b] of p) {
        if (b.unpredictable !== undefined) {
          expect(b.unpredictable.length, key).toBeGreaterThan(5);
          unpredictable.push(`${key}: ${b.unpredictable}`);
          continue;
        }
        const rb = r.get(key);
        if (!rb) mismatched.push(`${key}: predicted, missing from the ${t.arch} build`);
        else if (rb.text !== b.text) mismatched.push(`${key}:\n--- predicted\n${b.text}--- ${t.arch}\n${rb.text}`);
        else identical++;
      }
      for (const key of r.keys()) if (!p.has(key)) mismatched.push(`${key}: in the ${t.arch} build, missing from the prediction`);
      table.push({ target: t.arch, from: source.base, types: p.size, predicted: p.size - unpredictable.length, identical, unpredictable: unpredictable.length });
      expect(mismatched).toEqual([]);
      // Unpredictable only for a reason DWARF or the target gives: no __int128 on 32-bit targets,
      // unnamed bit-fields whose declared type DWARF omits where it matters (arm, aarch64, m68k),
      // an attribute the source declares that leaves no trace in DWARF (#pragma pack: any).
      expect(unpredictable.length).toBeLessThanOrEqual(12);
      for (const u of unpredictable) expect(u).toMatch(/__int128 does not exist|unnamed bit-field|would leave no trace|leaves no trace|cannot be predicted|DW_AT_alignment/);
      expect(identical).toBeGreaterThanOrEqual(38);
    });
  }

  it('the default cacheline size is the target\'s; --format json lists unpredictable types with the reason', () => {
    // ABI.md §5: s390x 256-byte lines, m68k 16; pahole's own default is the host's 64.
    for (const [arch, line] of [['s390x', 256], ['m68k', 16], ['ppc64', 128]] as const) {
      const byDefault = run(GCC_X86.path, '--target', arch, '-C', 'aligned_members', '--source-dir', SOURCES).stdout;
      expect(byDefault, arch).toBe(run(GCC_X86.path, '--target', arch, '-C', 'aligned_members', '--source-dir', SOURCES, '--cacheline-size', String(line)).stdout);
      expect(byDefault, arch).not.toBe(run(GCC_X86.path, '--target', arch, '-C', 'aligned_members', '--source-dir', SOURCES, '--cacheline-size', '64').stdout);
    }
    const j = run(GCC_X86.path, '--target', 'i386', '--format', 'json', '--source-dir', SOURCES);
    expect(j.code).toBe(0);
    const doc = JSON.parse(j.stdout);
    expect(schemaValidator('show')(doc)).toBe(true);
    const f = doc.files[0];
    expect(f.target).toBe('i386');
    expect(f.unpredictable).toContainEqual({ kind: 'struct', name: 'int128s', reason: 's128: __int128 does not exist on i386' });
    const flagged = new Set(f.unpredictable.map((u: { name: string; reason: string }) => u.name));
    expect(f.types.some((x: { name: string }) => flagged.has(x.name))).toBe(false);
    // The JSON of the prediction agrees with the JSON of the real i386 build.
    const real = JSON.parse(run(fixturePath('layout-i386.o'), '--format', 'json').stdout).files[0];
    expect(f.types).toEqual(real.types.filter((x: { name: string }) => !flagged.has(x.name)));
  });

  it('predicting a file for its own ABI reproduces it exactly (every type of virtio_net.ko)', () => {
    const ko = fixturePath('virtio_net.ko');
    const predicted = run(ko, '--target', 'x86_64');
    expect(predicted.code).toBe(0);
    expect(predicted.stdout).not.toContain('unpredictable on');
    expect(predicted.stdout).toBe(run(ko).stdout);
  });

  it('without the sources, a type an attribute DWARF cannot show would change is flagged with the reason', () => {
    // struct ops holds pointers: `void *p __attribute__((aligned(4)))` leaves no trace on x86_64
    // (gcc drops an aligned(N) below the type's alignment) and would be printed on i386.
    const without = run(GCC_X86.path, '--target', 'i386', '-C', 'ops');
    expect(without.code).toBe(0);
    expect(without.stdout).toMatch(/^\/\* struct ops: unpredictable on i386: cb: an aligned\(4\) on it .* leaves no trace in gcc's DWARF, and would be kept \(and printed\) on i386 \*\/$/m);
    // layout.c declares no attribute on it: with the source at hand it is predicted, exactly.
    const withSource = run(GCC_X86.path, '--target', 'i386', '-C', 'ops', '--source-dir', SOURCES);
    expect(withSource.stdout).toBe(run(fixturePath('layout-i386.o'), '-C', 'ops').stdout);
    // aarch64: a hidden `T :0` would raise the alignment; m68k: a hidden unnamed bit-field would fill the padding.
    expect(run(GCC_X86.path, '--target', 'aarch64', '-C', 'holes').stdout).toMatch(/zero-width bit-field .* :0 .* would change the layout on aarch64/);
    expect(run(GCC_X86.path, '--target', 'aarch64', '-C', 'holes', '--source-dir', SOURCES).stdout).toBe(run(fixturePath('layout-aarch64.o'), '-C', 'holes').stdout);
  });

  it('an unknown target is a usage error', () => {
    const r = run(GCC_X86.path, '--target', 'vax');
    expect(r.code).toBe(64);
    expect(r.stderr).toMatch(/target.*"vax"/);
    expect(r.stdout).toBe('');
  });
});

describe('check explains every fixture', () => {
  // Every fixture is checked in-process by test/layout/abi/fixtures.test.ts; here the CLI on
  // every target build and the kernel module.
  it('zero unexplained on every target build of layout.c and on virtio_net.ko', () => {
    for (const f of [...targets, GCC_X86, fixtures.find((x) => x.base === 'virtio_net.ko')!]) {
      const r = run('check', f.path, '--format', 'json');
      expect(r.code, `${f.base}: ${r.stderr}`).toBe(0);
      const file = JSON.parse(r.stdout).files[0];
      expect(file.totals.unexplained, f.base).toBe(0);
      if (f.source.includes('src/layout.c') && f.variant === 'cross') {
        const checked = file.types.length;
        table.push({ target: f.arch, check: f.base, checked, ...file.totals });
      }
    }
  });
});
