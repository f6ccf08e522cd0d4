/**
 * `-C NAME` where NAME is a typedef: pahole finds any named type (cu__find_type_by_name), so it
 * prints the typedef (typedef__fprintf): an anonymous struct, union or enum in full after
 * `typedef` (pahole 1.31 narrows the struct's and union's type column by 8; 1.24 prints
 * `typedef union  NAME` for an anonymous union), `typedef struct foo NAME;` for a named struct,
 * `typedef OTHER NAME;` for a typedef of a typedef. A struct and a typedef of one name: the first
 * in DIE order (gcc puts the struct first, clang the typedef). An enum name prints the enum (text only).
 * fixtures/src/typedefs.c and the layout objects against live
 * pahole 1.24 and 1.31, and built now with clang-19; each is skipped with the reason when absent.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from '../helpers/cli.js';
import { fixturePath, fixturesDir } from '../helpers/fixtures.js';

/** The same list as fixtures/gen-expected.sh's TYPEDEF_NAMES (the -C goldens). */
const NAMES = ['anon_t', 'anon_alias_t', 'named_t', 'named_alias_t', 'same', 'anon_union_t', 'nu_t', 'color_t', 'named_ptr_t'];

const upstream = process.env.PAHOLE131 ?? join(homedir(), '.cache/pahole-1.31/pahole');
const isVersion = (bin: string, version: string): boolean => (existsSync(bin) || !bin.includes('/')) && spawnSync(bin, ['--version'], { encoding: 'utf8' }).stdout?.trim() === version;
const hasClang = spawnSync('clang-19', ['--version']).status === 0;
const dir = mkdtempSync(join(tmpdir(), 'typedef-names-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('-C TYPEDEF as live pahole prints it', () => {
  for (const [dialect, bin] of [['1.24', 'pahole'], ['1.31', upstream]] as const) {
    const present = isVersion(bin, `v${dialect}`);
    const pahole = (...args: string[]): string => spawnSync(bin, ['-F', 'dwarf', ...args], { encoding: 'utf8' }).stdout;
    const ours = (...args: string[]): string => run(...args, '--pahole', dialect).stdout;

    it.skipIf(!present)(`gcc 12 (fixtures/bin/typedefs.o), pahole ${dialect}${present ? '' : ` (skipped: pahole ${dialect} missing)`}`, () => {
      const obj = fixturePath('typedefs.o');
      for (const name of NAMES) expect(ours(obj, '-C', name), name).toBe(pahole('-C', name, obj));
      expect(ours(obj, '-C', NAMES.join(','))).toBe(pahole('-C', NAMES.join(','), obj));
      // -a: an anonymous struct or union through its typedef is pahole's class_formatter, not typedef__fprintf
      expect(ours(obj, '-a')).toBe(pahole('-a', obj));
      expect(ours(obj, '-a', '-C', 'anon_t,anon_union_t')).toBe(pahole('-a', '-C', 'anon_t,anon_union_t', obj));
    });

    it.skipIf(!present)(`-C ENUM (pahole prints the enum), gcc and clang objects, pahole ${dialect}${present ? '' : ` (skipped: pahole ${dialect} missing)`}`, () => {
      for (const file of ['layout-dwarf4.o', 'layout-clang-dwarf5.o', 'layout-dwarf2.o']) {
        const obj = fixturePath(file);
        for (const names of ['color', 'big_enum', 'signed_enum', 'signed_enum,color', 'inner_pad,color']) {
          const want = pahole('-C', names, obj);
          expect(want, `${file} -C ${names}`).toContain('enum ');
          expect(ours(obj, '-C', names), `${file} -C ${names}`).toBe(want);
        }
      }
    });

    const both = present && hasClang;
    it.skipIf(!both)(`clang-19, pahole ${dialect}: the typedef \`same\` comes before its struct${both ? '' : ' (skipped: clang-19 or pahole missing)'}`, () => {
      const obj = join(dir, 'typedefs-clang.o');
      if (!existsSync(obj)) expect(spawnSync('clang-19', ['-c', '-g', '-O0', join(fixturesDir, 'src/typedefs.c'), '-o', obj]).status).toBe(0);
      expect(pahole('-C', 'same', obj)).toBe('typedef struct same same;\n' + (dialect === '1.31' ? '\n' : ''));
      for (const name of NAMES) expect(ours(obj, '-C', name), name).toBe(pahole('-C', name, obj));
    });
  }
});

describe('-C TYPEDEF in the other outputs: the struct or union it names', () => {
  const obj = fixturePath('typedefs.o');
  it('JSON: named_alias_t selects struct named, anon_t the anonymous struct', () => {
    const types = (name: string) => JSON.parse(run(obj, '-C', name, '--format', 'json').stdout).files[0].types.map((t: { name?: string; size: number }) => [t.name ?? '', t.size]);
    expect(types('named_alias_t')).toEqual([['named', 16]]);
    expect(types('anon_t')).toEqual([['', 24]]);
    expect(types('named_t,named')).toEqual([['named', 16]]);
  });
  it('a typedef of no struct or union matches nothing there', () => {
    const r = run(obj, '-C', 'color_t', '--format', 'json');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("no type matches 'color_t'");
  });
  it('a name no type has is still an error, in text too', () => {
    const r = run(obj, '-C', 'no_such_t');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("no type matches 'no_such_t'");
  });
});
