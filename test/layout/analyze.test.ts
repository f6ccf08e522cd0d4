import { describe, expect, it } from 'vitest';
import { analyzeLayout, findInlineAggregate } from '../../src/layout/analyze.js';
import { findHoles, paholeSize } from '../../src/layout/pahole-rules.js';
import { PaholeState } from '../../src/layout/pahole-state.js';
import type { Layout } from '../../src/layout/types.js';
import { DW_ATE, TB } from '../report/builder.js';
import { extraC, layoutC } from '../report/reference-tables.js';

const opts = { cachelineSize: 64 };

function accounting(l: Layout): number {
  const s = l.summary;
  return s.sumMembers * 8 + s.sumBitfieldMembers + s.sumHoles * 8 + s.sumBitHoles + s.padding * 8 + s.bitPadding;
}

describe('analyzeLayout on layout.c', () => {
  const { b, ids } = layoutC();
  const t = b.t;

  it('finds byte holes and tail padding in struct holes', () => {
    const l = analyzeLayout(t, ids.holes!, opts);
    expect(l.members.map((m) => [m.name, m.offset, m.size, m.hole])).toEqual([
      ['a', 0, 1, 3],
      ['b', 4, 4, 0],
      ['c', 8, 1, 7],
      ['d', 16, 8, 0],
      ['e', 24, 2, 0],
    ]);
    expect(l.holes).toEqual([
      { kind: 'byte', offset: 1, bits: 24, after: 0 },
      { kind: 'byte', offset: 9, bits: 56, after: 2 },
      { kind: 'tail', offset: 26, bits: 48, after: 4 },
    ]);
    expect(l.summary).toMatchObject({ size: 32, cachelines: 1, members: 5, sumMembers: 16, holes: 2, sumHoles: 10, padding: 6, lastCacheline: 32 });
    expect(accounting(l)).toBe(l.size * 8);
  });

  it('normalises bit-fields to storage units and finds bit holes', () => {
    const l = analyzeLayout(t, ids.bits!, opts);
    const bf = l.members.filter((m) => m.bitfield).map((m) => [m.name, m.offset, m.bitfield!.position, m.bitfield!.width, m.size]);
    expect(bf).toEqual([
      ['f1', 0, 0, 3, 4],
      ['f2', 0, 3, 5, 4],
      ['f3', 4, 0, 1, 4],
      ['big', 8, 0, 40, 8],
    ]);
    expect(l.members.find((m) => m.name === 'f2')!.bitHole).toBe(24);
    expect(l.members.find((m) => m.name === 'f3')!.explicitPadding).toEqual({ width: 0, forceAlignment: true });
    expect(l.members.find((m) => m.name === 'tail_c')!.combined).toBe('next');
    expect(l.summary).toMatchObject({ sumBitfieldMembers: 49, bitHoles: 3, sumBitHoles: 55, holes: 1, sumHoles: 2, padding: 4 });
    expect(accounting(l)).toBe(l.size * 8);
  });

  it('computes cacheline markers, forced alignment and paddings of member types in kitchen_sink', () => {
    const l = analyzeLayout(t, ids.kitchen_sink!, opts);
    const markers = l.members.filter((m) => m.cacheline).map((m) => [m.name, m.cacheline]);
    expect(markers).toEqual([
      ['hot', { line: 2, boundary: 128, ago: 0 }],
      ['p', { line: 3, boundary: 192, ago: 16 }],
      ['flag_a', { line: 4, boundary: 256, ago: 36 }],
    ]);
    expect(l.summary).toMatchObject({ forcedAlignments: 1, forcedHoles: 1, sumForcedHoles: 20, paddings: 3, sumPaddings: 17 });
    expect(l.members.find((m) => m.name === 'ip')!.typePadding).toBe(7);
    expect(l.members.find((m) => m.name === 'flag_a')!.combined).toBe('next');
    expect(l.alignment).toBe(64);
    // the anonymous union is analysed inline, with absolute offsets
    const u = l.members.find((m) => m.inline && m.inline.kind === 'union')!;
    expect(u.offset).toBe(48);
    expect(u.inline!.members.map((m) => m.offset)).toEqual([48, 48, 48]);
    expect(u.inline!.members[2]!.inline!.members.map((m) => [m.name, m.offset])).toEqual([
      ['lo16', 48],
      ['hi16', 50],
    ]);
  });

  it('infers __packed__ from unnatural offsets', () => {
    expect(analyzeLayout(t, ids.packed_s!, opts).packed).toBe(true);
    expect(analyzeLayout(t, ids.holes!, opts).packed).toBe(false);
  });

  it('marks struct types embedded at unnatural offsets by a struct with holes (part_packed)', () => {
    const x = extraC();
    const l = analyzeLayout(x.b.t, x.ids.part_packed!, opts);
    expect(l.members[1]!.inline!.packed).toBe(true);
    expect(l.packed).toBe(false);
  });

  it('reports bit padding at the end of a struct', () => {
    const x = extraC();
    const l = analyzeLayout(x.b.t, x.ids.tail_bits!, opts);
    expect(l.bitPadding).toBe(27);
    expect(l.padding).toBe(4);
    expect(l.holes.map((h) => h.kind)).toEqual(['bit', 'tail']);
  });

  it('uses the cacheline size', () => {
    const l = analyzeLayout(t, ids.kitchen_sink!, { cachelineSize: 32 });
    expect(l.summary.cachelines).toBe(10);
    expect(l.members.filter((m) => m.cacheline).length).toBeGreaterThan(3);
  });

  it('rejects non-aggregates', () => {
    expect(() => analyzeLayout(t, ids.color!, opts)).toThrow(RangeError);
  });
});

describe('pahole arithmetic', () => {
  it('gives empty C++ classes size 0 as members (empty base trick) and declarations size 0', () => {
    const b = new TB();
    const empty = b.struct('Empty', 1, []);
    const decl = b.add({ kind: 'struct', name: 'opaque', size: 0, declaration: true, members: [], origin: { die: -1 } });
    expect(paholeSize(b.t, empty, 8)).toBe(0);
    expect(paholeSize(b.t, decl, 8)).toBe(0);
  });

  it('wraps negative holes like pahole 1.24 (uint16) when offsets go backwards; 1.31 keeps them signed', () => {
    const b = new TB();
    const int = b.base('int', 4, DW_ATE.signed);
    const base16 = b.struct('B16', 16, [{ name: 'x', type: int, off: 0 }]);
    const base2 = b.struct('B2', 4, [{ name: 'y', type: int, off: 0 }]);
    const d = b.struct('D', 16, [
      { type: base16, off: 0, base: true },
      { type: base2, off: 12, base: true },
    ]);
    const h = findHoles(b.t, b.t.get(d) as never, 8);
    expect(h.members[0]!.hole).toBe(-4);
    const l = analyzeLayout(b.t, d, { ...opts, dialect: '1.24' });
    expect(l.members[0]!.hole).toBe(65532);
    expect(l.holes.filter((x) => x.kind === 'byte')).toEqual([]);
    const l131 = analyzeLayout(b.t, d, { ...opts, dialect: '1.31' });
    expect(l131.members[0]!.hole).toBe(-4);
    // 1.31 counts bases in sum members, less the reused tail: 16 - 4 + 4
    expect(l131.summary.sumMembers).toBe(16);
    expect(l.summary.sumMembers).toBe(0);
  });

  it('finds inline anonymous aggregates through arrays, const and pointers', () => {
    const b = new TB();
    const int = b.base('int', 4, DW_ATE.signed);
    const anon = b.agg('struct', undefined, 4, [{ name: 'i', type: int, off: 0 }]);
    expect(findInlineAggregate(b.t, anon)).toEqual({ id: anon, via: 'direct' });
    expect(findInlineAggregate(b.t, b.array(anon, [2]))).toEqual({ id: anon, via: 'direct' });
    expect(findInlineAggregate(b.t, b.const(anon))).toEqual({ id: anon, via: 'const' });
    expect(findInlineAggregate(b.t, b.array(b.const(anon), [2]))).toEqual({ id: anon, via: 'const' });
    expect(findInlineAggregate(b.t, b.ptr(anon))).toEqual({ id: anon, via: 'pointer' });
    expect(findInlineAggregate(b.t, b.ptr(b.ptr(anon)))).toBeUndefined();
    expect(findInlineAggregate(b.t, b.typedef('t', anon))).toBeUndefined();
  });

  it('shares inferred packed state across calls when given one PaholeState', () => {
    const b = new TB();
    const char = b.base('char', 1, DW_ATE.signed_char);
    const int = b.base('int', 4, DW_ATE.signed);
    const inner = b.struct('inner', 4, [{ name: 'i', type: int, off: 0 }]);
    // outer has a hole and embeds `inner` at offset 1: pahole then marks `inner` packed
    const outer = b.struct('outer', 8, [
      { name: 'c', type: char, off: 0 },
      { name: 'in', type: inner, off: 1 },
      { name: 'd', type: char, off: 6 },
    ]);
    const state = new PaholeState(b.t, 8);
    analyzeLayout(b.t, outer, { ...opts, state });
    expect(analyzeLayout(b.t, inner, { ...opts, state }).packed).toBe(true);
    expect(analyzeLayout(b.t, inner, opts).packed).toBe(false);
  });

  it('survives a self-referencing typedef loop and unresolved types', () => {
    const b = new TB();
    const loop = b.typedef('loop', 0);
    (b.t.get(loop) as { target: number }).target = loop;
    const bad = b.add({ kind: 'unresolved', reason: 'dangling' });
    const s = b.struct('s', 16, [
      { name: 'l', type: loop, off: 0 },
      { name: 'u', type: bad, off: 8 },
    ]);
    const l = analyzeLayout(b.t, s, opts);
    expect(l.members.map((m) => m.size)).toEqual([0, 0]);
  });
});
