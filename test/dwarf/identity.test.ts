// Type identity (src/dwarf/identity.ts, name-ids.ts): definitions are deduplicated by an exact
// signature, not by a hash alone. Built units (test/helpers/dwarf-builder.ts) hold the same struct
// twice in one unit; the table keeps one definition when the two are the same type and two when
// they differ, and pahole 1.24 (when installed) prints the definitions the same way.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadFile } from '../../src/load/index.js';
import { AT, FORM, TAG, buildDwarfElf, type Die } from '../helpers/dwarf-builder.js';

const tmp = mkdtempSync(join(tmpdir(), 'structscope-identity-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const str = new TextEncoder().encode('\0outer\0a\0x\0int\0');
const STRP = { outer: 1, a: 7, x: 9, int: 11 };

const int = (id: string): Die => ({ tag: TAG.base_type, id, attrs: [[AT.name, FORM.strp, STRP.int], [AT.byte_size, FORM.data1, 4], [AT.encoding, FORM.data1, 5]] });
const member = (name: string, type: string, offset: number, inline = false): Die => ({
  tag: TAG.member,
  attrs: [[AT.name, inline ? FORM.string : FORM.strp, inline ? name : STRP[name as 'a' | 'x']], [AT.type, FORM.ref4, { ref: type }], [AT.data_member_location, FORM.data1, offset]],
});
const struct = (size: number, children: Die[], id?: string): Die => ({
  tag: TAG.structure_type,
  ...(id ? { id } : {}),
  attrs: [[AT.name, FORM.strp, STRP.outer], [AT.byte_size, FORM.data1, size]],
  children,
});
const anon = (id: string, size: number, children: Die[]): Die => ({ tag: TAG.structure_type, id, attrs: [[AT.byte_size, FORM.data1, size]], children });

function definitionsOfOuter(name: string, dies: Die[]): number {
  const path = join(tmp, name);
  writeFileSync(path, buildDwarfElf({ dies, str }));
  const file = loadFile(path);
  return file.table.definitions.filter((id) => {
    const t = file.table.get(id);
    return t.kind === 'struct' && t.name === 'outer';
  }).length;
}

describe('aggregate identity', () => {
  it('one definition when a member name is an inline string in one copy and a .debug_str offset in the other', () => {
    expect(definitionsOfOuter('same.o', [int('i'), struct(8, [member('a', 'i', 0), member('x', 'i', 4)]), struct(8, [member('a', 'i', 0, true), member('x', 'i', 4, true)])])).toBe(1);
  });

  it('two definitions when a member name differs', () => {
    expect(definitionsOfOuter('names.o', [int('i'), struct(8, [member('a', 'i', 0), member('x', 'i', 4)]), struct(8, [member('a', 'i', 0), member('ax', 'i', 4, true)])])).toBe(2);
  });

  it('two definitions when a member moves out of a nested anonymous struct (the signature parses one way only)', () => {
    const inner = [member('x', 'i', 0)];
    const nested = [int('i'), anon('n1', 4, inner), struct(8, [member('a', 'n1', 0)]), anon('n2', 4, []), struct(8, [member('a', 'n2', 0), member('x', 'i', 0)])];
    expect(definitionsOfOuter('nested.o', nested)).toBe(2);
  });

  // A lookup first compares the newest few definitions with the same header in place, names by
  // their bytes (identity.ts compareWith), then falls back to the whole signature: both paths.
  it('one definition when the same names sit at different .debug_str offsets (unmerged strings, as in a .ko)', () => {
    const strs = new TextEncoder().encode('\0outer\0alpha\0bb\0int\0alpha\0bb\0');
    const m = (at: number, off: number): Die => ({ tag: TAG.member, attrs: [[AT.name, FORM.strp, at], [AT.type, FORM.ref4, { ref: 'i' }], [AT.data_member_location, FORM.data1, off]] });
    const path = join(tmp, 'offsets.o');
    writeFileSync(path, buildDwarfElf({ dies: [int('i'), struct(8, [m(7, 0), m(13, 4)]), struct(8, [m(20, 0), m(26, 4)]), struct(8, [m(20, 0), m(7, 4)])], str: strs }));
    const file = loadFile(path);
    const outer = file.table.definitions.map((id) => file.table.get(id)).filter((t) => t.kind === 'struct' && t.name === 'outer');
    expect(outer.length).toBe(2);
    expect(outer.map((t) => (t.kind === 'struct' ? t.members.map((x) => x.name).join(',') : ''))).toEqual(['alpha,bb', 'alpha,alpha']);
  });

  it('a difference in the last member after equal ones makes a second definition, and a later copy of either is found', () => {
    const first = () => struct(8, [member('a', 'i', 0), member('x', 'i', 4)]);
    const second = () => struct(8, [member('a', 'i', 0), member('x', 'i', 5)]);
    expect(definitionsOfOuter('late.o', [int('i'), first(), second(), first(), second()])).toBe(2);
  });

  it('more same-header definitions than the in-place tries: a copy of the oldest is still found (whole signature)', () => {
    const variant = (k: number) => struct(8, [member('a', 'i', 0), member('x', 'i', k)]);
    const dies = [int('i'), ...[0, 1, 2, 3, 4, 5].map(variant), variant(0), variant(3)];
    expect(definitionsOfOuter('many.o', dies)).toBe(6);
  });

  it('pahole 1.24 agrees: one struct printed for the same type, two for the differing ones', (ctx) => {
    if (spawnSync('sh', ['-c', 'command -v pahole']).status !== 0) return ctx.skip('pahole not installed');
    const blocks = (file: string): number => (spawnSync('pahole', ['-F', 'dwarf', '--show_private_classes', join(tmp, file)], { encoding: 'utf8' }).stdout.match(/^struct outer \{/gm) ?? []).length;
    expect(blocks('same.o')).toBe(1);
    expect(blocks('names.o')).toBe(2);
  });
});
