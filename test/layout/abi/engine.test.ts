/**
 * Engine edge cases on hand-built tables. Every expected number is a verified probe result from
 * shared/reference/abi/results (bitfields*_gcc.txt, attrs_gcc.txt, misc_gcc.txt) as summarised in
 * shared/design/ABI.md §2-§3; the probe struct name is given in each case.
 */
import { describe, expect, it } from 'vitest';
import type { LayoutAttributes } from '../../../src/layout/abi/attributes.js';
import { layoutForTarget, type EngineLayout } from '../../../src/layout/abi/engine.js';
import { ABIS, type AbiName } from '../../../src/layout/abi/targets.js';
import type { TypeId } from '../../../src/model/types.js';
import { bf, m, TableBuilder } from './build.js';

type Expect = { size: number; at?: Record<string, number>; bits?: Record<string, number>; align?: number };

function lay(b: TableBuilder, id: TypeId, abi: AbiName, attrs?: LayoutAttributes): EngineLayout {
  return layoutForTarget(b.table, id, ABIS[abi], attrs);
}

function check(b: TableBuilder, id: TypeId, cases: Partial<Record<AbiName, Expect>>, attrs?: LayoutAttributes): void {
  const agg = b.table.get(id) as { members: { name?: string }[] };
  for (const [abi, e] of Object.entries(cases) as [AbiName, Expect][]) {
    const l = lay(b, id, abi, attrs);
    expect(l.unpredictable, `${abi}`).toBeUndefined();
    const got: Expect = { size: l.size };
    if (e.align !== undefined) got.align = l.alignment;
    const byName = new Map(l.members.map((x) => [agg.members[x.index]!.name, x.bitOffset]));
    if (e.at) got.at = Object.fromEntries(Object.keys(e.at).map((k) => [k, byName.get(k)! / 8]));
    if (e.bits) got.bits = Object.fromEntries(Object.keys(e.bits).map((k) => [k, byName.get(k)!]));
    expect(got, abi).toEqual(e);
  }
}

/** An unnamed `type : width` bit-field before member `index` (DWARF omits them). */
function gap(index: number, type: 'char' | 'short' | 'int' | 'long' | 'llong', width: number): LayoutAttributes {
  return { unnamedBefore: new Map([[index, [{ options: [{ type, width }] }]]]) };
}

describe('bit-field placement (ABI.md §2.1, §2.4)', () => {
  it('straddling moves a field to the next unit of its type (bf_straddle_int, bf_straddle_char)', () => {
    const b = new TableBuilder();
    const s = b.struct('s', [bf('a', b.int, 30), bf('b', b.int, 4)]);
    check(b, s, { x86_64: { size: 8, bits: { b: 32 } }, i386: { size: 8, bits: { b: 32 } }, m68k: { size: 5, bits: { b: 30 } } });
    const c = b.struct('c', [bf('a', b.char, 4), bf('b', b.char, 6)]);
    check(b, c, { x86_64: { size: 2, bits: { b: 8 } }, 'arm-oabi': { size: 4, bits: { b: 8 } }, m68k: { size: 2, bits: { b: 4 } } });
  });

  it('unit alignment is the member alignment: i386/OABI long long units start at 4 bytes (bf2_ll_30_40, bf2_ll_40_30)', () => {
    const b = new TableBuilder();
    const s = b.struct('s', [bf('a', b.int, 30), bf('b', b.llong, 40)]);
    check(b, s, {
      x86_64: { size: 16, bits: { b: 64 } },
      mips: { size: 16, bits: { b: 64 } },
      i386: { size: 12, bits: { b: 32 } },
      'arm-oabi': { size: 12, bits: { b: 32 } },
      m68k: { size: 9, bits: { b: 30 } },
    });
    const t = b.struct('t', [m('a', b.array(b.char, 5)), bf('b', b.llong, 30)]);
    check(b, t, { x86_64: { size: 16, bits: { b: 64 } }, i386: { size: 12, bits: { b: 40 } }, m68k: { size: 9, bits: { b: 40 } } });
    const u = b.struct('u', [m('a', b.array(b.char, 3)), bf('b', b.short, 9)]);
    check(b, u, { x86_64: { size: 6, bits: { b: 32 } }, 'arm-oabi': { size: 8, bits: { b: 32 } }, m68k: { size: 5, bits: { b: 24 } } });
  });

  it('mixed declared types share storage; named bit-fields give the struct their type alignment', () => {
    const b = new TableBuilder();
    const mixed = b.struct('bf_mixed', [bf('a', b.int, 4), bf('b', b.char, 4), bf('c', b.short, 4)]);
    check(b, mixed, { x86_64: { size: 4, bits: { a: 0, b: 4, c: 8 } }, m68k: { size: 2, bits: { c: 8 } } });
    const alone = b.struct('bf_ll_alone', [bf('a', b.llong, 1)]);
    check(b, alone, { x86_64: { size: 8 }, i386: { size: 4 }, 'arm-oabi': { size: 4 }, arm: { size: 8 }, m68k: { size: 1 } });
    const ul = b.struct('bf_ulong', [bf('a', b.ulong, 20), bf('b', b.ulong, 20)]);
    check(b, ul, { x86_64: { size: 8, bits: { b: 20 } }, arm: { size: 8, bits: { b: 32 } }, m68k: { size: 5, bits: { b: 20 } } });
    const then = b.struct('bf_then_int', [bf('a', b.uint, 3), m('b', b.int)]);
    check(b, then, { x86_64: { size: 8, at: { b: 4 } }, m68k: { size: 6, at: { b: 2 } } });
  });

  it('m68k places bit-fields at the next free bit (bf2_big)', () => {
    const b = new TableBuilder();
    const s = b.struct('bf2_big', [bf('a', b.int, 7), bf('b', b.int, 31), bf('c', b.int, 32)]);
    check(b, s, { m68k: { size: 9, bits: { a: 0, b: 7, c: 38 } }, x86_64: { size: 12, bits: { b: 32, c: 64 } } });
  });

  it('__int128 bit-fields follow the same rule (bf_i128)', () => {
    const b = new TableBuilder();
    const s = b.struct('bf_i128', [m('a', b.char), bf('b', b.int128, 70)]);
    check(b, s, { x86_64: { size: 16, bits: { b: 8 } } });
    expect(lay(b, s, 'i386').unpredictable).toMatch(/__int128 does not exist on i386/);
  });

  it('unions of bit-fields (bf_union)', () => {
    const b = new TableBuilder();
    const u = b.union('bf_union', [bf('a', b.int, 3), bf('b', b.llong, 40), m('c', b.char)]);
    check(b, u, { x86_64: { size: 8 }, i386: { size: 8 }, m68k: { size: 5 } });
  });
});

describe('zero-width and unnamed bit-fields (ABI.md §2.2, §2.4)', () => {
  it('T :0 pads to its type alignment; raises struct alignment only on arm/aarch64 (bf_zero_int, bf_zero_ll)', () => {
    const b = new TableBuilder();
    const s = b.struct('bf_zero_int', [m('a', b.char), m('b', b.char)]);
    check(
      b,
      s,
      {
        x86_64: { size: 5, at: { b: 4 } },
        i386: { size: 5, at: { b: 4 } },
        aarch64: { size: 8, at: { b: 4 } },
        arm: { size: 8, at: { b: 4 } },
        'arm-oabi': { size: 8, at: { b: 4 } },
        m68k: { size: 4, at: { b: 2 } },
      },
      gap(1, 'int', 0),
    );
    check(
      b,
      s,
      {
        x86_64: { size: 9, at: { b: 8 } },
        i386: { size: 5, at: { b: 4 } },
        aarch64: { size: 16, at: { b: 8 } },
        'arm-oabi': { size: 8, at: { b: 4 } },
        m68k: { size: 4, at: { b: 2 } },
      },
      gap(1, 'llong', 0),
    );
  });

  it('zero-width first and in unions (bf_zero_first, bf2_union_zero)', () => {
    const b = new TableBuilder();
    const s = b.struct('bf_zero_first', [m('a', b.char)]);
    check(b, s, { x86_64: { size: 1 }, aarch64: { size: 4 }, m68k: { size: 2 } }, gap(0, 'int', 0));
    const u = b.union('bf2_union_zero', [m('a', b.char)]);
    check(b, u, { x86_64: { size: 1 }, arm: { size: 4 }, m68k: { size: 2 } }, gap(1, 'int', 0));
  });

  it('unnamed non-zero bit-fields contribute alignment only on arm/aarch64 (bf_unnamed_int, bf_unnamed_ll)', () => {
    const b = new TableBuilder();
    const s = b.struct('bf_unnamed', [m('a', b.char), m('b', b.char)]);
    check(b, s, { x86_64: { size: 3, at: { b: 2 } }, aarch64: { size: 4 }, m68k: { size: 3 } }, gap(1, 'int', 4));
    check(b, s, { x86_64: { size: 3 }, aarch64: { size: 8 }, arm: { size: 8 }, 'arm-oabi': { size: 4 } }, gap(1, 'llong', 4));
  });

  it('packed structs: :0 still pads, and makes the struct 4-aligned only on arm EABI/aarch64 (bf_packed_zero)', () => {
    const b = new TableBuilder();
    const s = b.struct('bf_packed_zero', [m('a', b.char), m('b', b.char)]);
    const attrs: LayoutAttributes = { ...gap(1, 'int', 0), packed: true };
    check(b, s, { x86_64: { size: 5, at: { b: 4 } }, aarch64: { size: 8 }, arm: { size: 8 }, 'arm-oabi': { size: 5 }, m68k: { size: 4, at: { b: 2 } } }, attrs);
  });

  it('unnamed then zero-width (bf2_unnamed_then_zero)', () => {
    const b = new TableBuilder();
    const s = b.struct('s', [m('a', b.char), m('b', b.char)]);
    const attrs: LayoutAttributes = {
      unnamedBefore: new Map([[1, [{ options: [{ type: 'int', width: 3 }] }, { options: [{ type: 'int', width: 0 }] }]]]),
    };
    check(b, s, { x86_64: { size: 5, at: { b: 4 } }, aarch64: { size: 8 }, m68k: { size: 4, at: { b: 2 } } }, attrs);
  });

  it('an unnamed bit-field of unknown declaration is unpredictable where the candidates disagree', () => {
    // x86_64 DWARF shows b@8 after char a[5]: int :0, long :0 and long long :0 all explain it.
    const b = new TableBuilder();
    const s = b.struct('s', [m('a', b.array(b.char, 5)), m('b', b.char)]);
    const options = (['int', 'long', 'llong'] as const).map((type) => ({ type, width: 0 }));
    const attrs: LayoutAttributes = { unnamedBefore: new Map([[1, [{ options }]]]) };
    expect(lay(b, s, 'x86_64', attrs)).toMatchObject({ size: 9, alignment: 1 });
    expect(lay(b, s, 'i386', attrs)).toMatchObject({ size: 9 });
    expect(lay(b, s, 'aarch64', attrs).unpredictable).toMatch(/unnamed bit-field before b/);
  });
});

describe('packed and #pragma pack with bit-fields (ABI.md §2.3)', () => {
  it('skip the straddle test (bf2_pack4, bf2_pack2, bf_packed, bf2_pack4_ll)', () => {
    const b = new TableBuilder();
    const s = b.struct('s', [m('a', b.char), bf('b', b.int, 4), bf('c', b.int, 30)]);
    check(b, s, { x86_64: { size: 8, bits: { b: 8, c: 12 } }, m68k: { size: 6, bits: { c: 12 } } }, { pack: 4 });
    check(b, s, { x86_64: { size: 6, bits: { c: 12 } } }, { pack: 2 });
    check(b, s, { x86_64: { size: 6, bits: { c: 12 } }, 'arm-oabi': { size: 6 } }, { packed: true });
    const ll = b.struct('ll', [m('a', b.char), bf('b', b.llong, 60)]);
    check(b, ll, { x86_64: { size: 12, bits: { b: 8 } }, m68k: { size: 9 } }, { pack: 4 });
  });

  it('packed or aligned on a single bit-field (bf_packed_member, bf2_aligned_bf)', () => {
    const b = new TableBuilder();
    const s = b.struct('s', [m('a', b.char), bf('b', b.int, 30)]);
    check(b, s, { x86_64: { size: 5, bits: { b: 8 } }, 'arm-oabi': { size: 8 } }, { memberPacked: new Set([1]) });
    const t = b.struct('t', [m('a', b.char), bf('b', b.int, 4)]);
    check(b, t, { x86_64: { size: 16, bits: { b: 64 } }, m68k: { size: 16, bits: { b: 64 } } }, { memberAligned: new Map([[1, 8]]) });
  });
});

describe('attributes and pragmas (ABI.md §3)', () => {
  const b = new TableBuilder();
  const cis = b.struct('cis', [m('a', b.char), m('b', b.int), m('c', b.short)]);

  it('packed struct, packed member, packed + aligned (pk_struct, pk_member, pk_aligned4, pk_member_aligned)', () => {
    check(b, cis, { x86_64: { size: 7, at: { a: 0, b: 1, c: 5 } }, 'arm-oabi': { size: 7 }, m68k: { size: 7 } }, { packed: true });
    check(b, cis, { x86_64: { size: 8, at: { b: 1, c: 6 } } }, { memberPacked: new Set([1]) });
    const ci = b.struct('ci', [m('a', b.char), m('b', b.int)]);
    check(b, ci, { x86_64: { size: 8, align: 4 } }, { packed: true, aligned: 4 });
    const cic = b.struct('cic', [m('a', b.char), m('b', b.int), m('c', b.char)]);
    check(b, cic, { x86_64: { size: 12, at: { b: 4, c: 8 } }, m68k: { size: 12 } }, { packed: true, memberAligned: new Map([[1, 4]]) });
  });

  it('aligned(N) on a member raises but cannot lower; aligned typedefs can lower (al_member_down, al_typedef_*)', () => {
    const ci = b.struct('ci2', [m('a', b.char), m('b', b.int)]);
    check(b, ci, { x86_64: { size: 8, at: { b: 4 } }, m68k: { size: 6, at: { b: 2 } } }, { memberAligned: new Map([[1, 1]]) });
    check(b, ci, { x86_64: { size: 32, at: { b: 16 } }, m68k: { size: 32 } }, { memberAligned: new Map([[1, 16]]) });
    const up = b.struct('up', [m('a', b.char), m('b', b.typedef('int_al8', b.int, 8))]);
    check(b, up, { x86_64: { size: 16, at: { b: 8 } }, i386: { size: 16 }, m68k: { size: 16 } });
    const down = b.struct('down', [m('a', b.char), m('b', b.typedef('int_al1', b.int, 1))]);
    check(b, down, { x86_64: { size: 5, at: { b: 1 }, align: 1 }, 'arm-oabi': { size: 8, at: { b: 1 } } });
  });

  it('aligned(N) on a struct, and such a struct as a member (al_struct, al_struct_as_member)', () => {
    const s = b.struct('al_struct', [m('a', b.int)]);
    check(b, s, { x86_64: { size: 32, align: 32 }, m68k: { size: 32 } }, { aligned: 32 });
    const outer = b.struct('outer', [m('c', b.char), m('s', s)]);
    const attrs = new Map<TypeId, LayoutAttributes>([[s, { aligned: 32 }]]);
    expect(layoutForTarget(b.table, outer, ABIS.i386, attrs)).toMatchObject({ size: 64, alignment: 32 });
    expect(layoutForTarget(b.table, outer, ABIS.i386, attrs).members[1]!.bitOffset).toBe(256);
  });

  it('#pragma pack(N) caps member and aligned() alignment (pp2, pp4, pp4_aligned_member, pp1_alignas)', () => {
    const pp2 = b.struct('pp2', [m('a', b.char), m('b', b.int), m('c', b.llong), m('d', b.char)]);
    check(b, pp2, { x86_64: { size: 16, at: { b: 2, c: 6, d: 14 } }, m68k: { size: 16 } }, { pack: 2 });
    const pp4 = b.struct('pp4', [m('a', b.char), m('b', b.llong), m('c', b.char)]);
    check(b, pp4, { x86_64: { size: 16, at: { b: 4, c: 12 } }, i386: { size: 16 }, m68k: { size: 12, at: { b: 2, c: 10 } } }, { pack: 4 });
    const al = b.struct('pp4_al', [m('a', b.char), m('b', b.int)]);
    check(b, al, { x86_64: { size: 8, at: { b: 4 } } }, { pack: 4, memberAligned: new Map([[1, 16]]) });
    check(b, al, { x86_64: { size: 5, at: { b: 1 } }, 'arm-oabi': { size: 5 } }, { pack: 1, memberAligned: new Map([[1, 8]]) });
  });

  it('flexible and zero-length arrays count for alignment, not size (fam_double, zla_ll)', () => {
    const fam = b.struct('fam_double', [m('n', b.int), m('c', b.char), m('d', b.array(b.double, null))]);
    check(b, fam, { x86_64: { size: 8, at: { d: 8 } }, i386: { size: 8, at: { d: 8 } }, m68k: { size: 6, at: { d: 6 } } });
    const zla = b.struct('zla_ll', [m('c', b.char), m('z', b.array(b.llong, 0))]);
    check(b, zla, { x86_64: { size: 8, at: { z: 8 } }, i386: { size: 4 }, 'arm-oabi': { size: 4 }, m68k: { size: 2 } });
  });

  it('empty structs take no space; OABI aligns every struct to 4 (has_empty, chars3, nest_chars3)', () => {
    const empty = b.struct('empty', []);
    const has = b.struct('has_empty', [m('a', b.char), m('e', empty), m('b', b.int)]);
    check(b, has, { x86_64: { size: 8, at: { e: 1, b: 4 } }, 'arm-oabi': { size: 8, at: { e: 4, b: 4 } }, m68k: { size: 6, at: { b: 2 } } });
    check(b, empty, { x86_64: { size: 0 } });
    const chars3 = b.struct('chars3', [m('a', b.char), m('b', b.char), m('c', b.char)]);
    const nest = b.struct('nest_chars3', [m('x', b.char), m('s', chars3), m('y', b.char)]);
    check(b, chars3, { x86_64: { size: 3 }, 'arm-oabi': { size: 4 } });
    check(b, nest, { x86_64: { size: 5, at: { s: 1, y: 4 } }, 'arm-oabi': { size: 12, at: { s: 4, y: 8 } } });
  });

  it('unions: size rounded to the largest alignment (u_chars5, u_packed)', () => {
    const u = b.union('u_chars5', [m('a', b.array(b.char, 5)), m('b', b.int)]);
    check(b, u, { x86_64: { size: 8 }, m68k: { size: 6 } });
    check(b, u, { x86_64: { size: 5 } }, { packed: true });
  });

  it('long double and trailing padding per target (tail_ldouble, ld_nest)', () => {
    const t = b.struct('tail_ldouble', [m('a', b.ldouble), m('b', b.char)]);
    check(b, t, {
      x86_64: { size: 32, at: { b: 16 } },
      i386: { size: 16, at: { b: 12 } },
      arm: { size: 16, at: { b: 8 } },
      mips: { size: 16, at: { b: 8 } },
      'arm-oabi': { size: 12, at: { b: 8 } },
      s390x: { size: 24, at: { b: 16 } },
      sparc32: { size: 24 },
      m68k: { size: 14, at: { b: 12 } },
    });
  });

  it('_Atomic raises alignment to the size for 1/2/4/8/16 bytes (at_ll), else unpredictable (at_three)', () => {
    const at = b.struct('at_ll', [m('c', b.char), m('m', b.atomic(b.llong))]);
    check(b, at, { x86_64: { size: 16, at: { m: 8 } }, i386: { size: 16, at: { m: 8 } }, 'arm-oabi': { size: 12, at: { m: 4 } }, m68k: { size: 10, at: { m: 2 } } });
    const three = b.struct('three', [m('a', b.array(b.char, 3))]);
    const at3 = b.struct('at_three', [m('c', b.char), m('m', b.atomic(three))]);
    expect(lay(b, at3, 'x86_64').unpredictable).toMatch(/_Atomic type of 3 bytes/);
  });
});

describe('type classification across data models (ABI.md §4)', () => {
  it('pinned fixed-width typedefs keep 8 bytes on ILP32; size_t follows the pointer', () => {
    const b = new TableBuilder();
    const u64 = b.typedef('uint64_t', b.typedef('__uint64_t', b.ulong));
    const sizeT = b.typedef('size_t', b.base('unsigned int', 4, 7));
    const s = b.struct('s', [m('c', b.char), m('v', u64), m('z', sizeT)]);
    check(b, s, {
      x86_64: { size: 24, at: { v: 8, z: 16 } },
      i386: { size: 16, at: { v: 4, z: 12 } },
      arm: { size: 24, at: { v: 8, z: 16 } },
      m68k: { size: 14, at: { v: 2, z: 10 } },
    });
  });

  it('enums are sized from their values; packed enums by their size', () => {
    const b = new TableBuilder();
    const big = b.enumeration('big', 8, [0n, 0x100000000n]);
    const small = b.enumeration('small', 1, [0n, 200n]);
    const s = b.struct('s', [m('c', b.char), m('e', big), m('p', small)]);
    check(b, s, { x86_64: { size: 24, at: { e: 8, p: 16 } }, i386: { size: 16, at: { e: 4, p: 12 } } });
  });

  it('vectors and unknown base types are unpredictable', () => {
    const b = new TableBuilder();
    const v = b.struct('v', [m('c', b.char), m('x', b.vector(b.int, 16))]);
    expect(lay(b, v, 'x86_64').unpredictable).toMatch(/vector/);
    const w = b.struct('w', [m('x', b.base('__bf16', 2, 4))]);
    expect(lay(b, w, 'x86_64').unpredictable).toMatch(/__bf16/);
  });
});

describe('C++ (Itanium)', () => {
  it('empty classes have size 1 but take no space as a base; non-POD bases lend their tail padding', () => {
    const b = new TableBuilder();
    const empty = b.aggregate('class', 'Empty', []);
    const web = b.struct('WithEmptyBase', [{ type: empty, isBase: true }, m('value', b.long)]);
    check(b, empty, { x86_64: { size: 1 } });
    check(b, web, { x86_64: { size: 8, at: { value: 0 } } });
    const base = b.struct('B', [m('a', b.int), m('c', b.char)]);
    const d = b.struct('D', [{ type: base, isBase: true }, m('x', b.char)]);
    check(b, d, { x86_64: { size: 12, at: { x: 8 } } });
    check(b, d, { x86_64: { size: 8, at: { x: 5 } } }, { nonPodBases: new Set([0]) });
  });
});
