/** Attribute inference on hand-built "DWARF" placements (x86_64 numbers from the probes). */
import { describe, expect, it } from 'vitest';
import { inferAttributes } from '../../../src/layout/abi/infer.js';
import { ABIS } from '../../../src/layout/abi/targets.js';
import { bf, m, TableBuilder } from './build.js';

const x86 = ABIS.x86_64;

describe('inferAttributes', () => {
  it('natural layouts need nothing', () => {
    const b = new TableBuilder();
    const s = b.struct('holes', [m('a', b.char, 0), m('b', b.int, 4), m('c', b.char, 8), m('d', b.long, 16)], 24);
    expect(inferAttributes(b.table, s, x86)).toMatchObject({ status: 'natural', explanations: [], differences: [] });
  });

  it('packed, pack(N), packed member', () => {
    const b = new TableBuilder();
    const packed = b.struct('pk', [m('a', b.char, 0), m('b', b.int, 1), m('c', b.short, 5)], 7);
    expect(inferAttributes(b.table, packed, x86)).toMatchObject({ status: 'explained', explanations: ['packed'] });
    const pack2 = b.struct('pp2', [m('a', b.char, 0), m('b', b.int, 2), m('c', b.llong, 6), m('d', b.char, 14)], 16);
    expect(inferAttributes(b.table, pack2, x86).explanations).toEqual(['pack(2)']);
    const member = b.struct('pkm', [m('a', b.char, 0), m('b', b.int, 1), m('c', b.short, 6)], 8);
    expect(inferAttributes(b.table, member, x86).explanations).toEqual(['packed on b']);
  });

  it('aligned(N) on a member, confirmed by DW_AT_alignment or deduced without it', () => {
    const b = new TableBuilder();
    const withAttr = b.struct('ks', [m('tag', b.char, 0), { name: 'hot', type: b.long, at: 64, alignment: 64 }], 128);
    expect(inferAttributes(b.table, withAttr, x86).explanations).toEqual(['aligned(64) on hot']);
    const without = b.struct('ks2', [m('tag', b.char, 0), m('hot', b.long, 64)], 128);
    expect(inferAttributes(b.table, without, x86, { alignmentRecorded: false }).explanations).toEqual(['aligned(64) on hot']);
  });

  it('aligned(N) on the struct from its size or DW_AT_alignment', () => {
    const b = new TableBuilder();
    const s = b.struct('cl', [m('counter', b.int, 0)], 64);
    expect(inferAttributes(b.table, s, x86)).toMatchObject({ status: 'explained', explanations: ['aligned(64)'], attributes: { aligned: 64 } });
    const hinted = b.struct('pa', [m('a', b.char, 0), m('b', b.int, 1), m('c', b.short, 5)], 8, 4);
    expect(inferAttributes(b.table, hinted, x86).explanations).toEqual(['packed', 'aligned(4)']);
  });

  it('gaps DWARF cannot show become unnamed bit-fields when DW_AT_alignment is recorded', () => {
    const b = new TableBuilder();
    const s = b.struct('bits', [bf('f1', b.uint, 3, 0), bf('f2', b.uint, 5, 3), bf('f3', b.uint, 1, 32), m('tail', b.char, 5)], 8);
    const r = inferAttributes(b.table, s, x86, { alignmentRecorded: true });
    expect(r.status).toBe('explained');
    expect(r.explanations[0]).toMatch(/^unnamed bit-field int :0 .*before f3$/);
    expect(r.attributes.unnamedBefore?.get(2)?.[0]?.options[0]).toEqual({ type: 'int', width: 0 });
  });

  it('reports what it cannot explain', () => {
    const b = new TableBuilder();
    const s = b.struct('overlap', [m('a', b.int, 0), m('b', b.int, 0)], 4);
    const r = inferAttributes(b.table, s, x86);
    expect(r.status).toBe('unexplained');
    expect(r.differences).toContainEqual(expect.objectContaining({ member: 'b', dwarfOffset: 0, abiOffset: 4, dwarfSize: 4, abiSize: 4 }));
    expect(r.differences).toContainEqual(expect.objectContaining({ member: '(size)', dwarfSize: 4, abiSize: 8 }));
  });

  it('unpredictable member types', () => {
    const b = new TableBuilder();
    const s = b.struct('v', [m('x', b.vector(b.int, 16), 0)], 16);
    expect(inferAttributes(b.table, s, x86)).toMatchObject({ status: 'unpredictable', unpredictable: expect.stringMatching(/vector/) });
  });
});
