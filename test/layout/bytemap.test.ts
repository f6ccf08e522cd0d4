/**
 * byteMap() on every struct of every pahole-readable fixture (gcc and clang, DWARF 2-5, seventeen
 * targets): the segments tile [0, size) exactly once, every data member is in exactly one segment,
 * and the byte holes are the ones pahole 1.24 prints for that file (`XXX N bytes hole` lines of
 * fixtures/expected/*.pahole.txt, top-level, in order). Plus the hostile cases: overlapping members
 * are clipped, never drawn twice.
 */
import { describe, expect, it } from 'vitest';
import { loadFile } from '../../src/load/index.js';
import { analyzeLayout } from '../../src/layout/analyze.js';
import { byteMap, layoutShape } from '../../src/layout/bytemap.js';
import { printableTypes } from '../../src/report/pahole.js';
import type { AggregateType } from '../../src/model/types.js';
import { fixtureLoadOptions, fixtureManifest, readExpected } from '../helpers/fixtures.js';
import { paholeBlocks } from '../helpers/pahole-text.js';

describe('byteMap on the fixtures', () => {
  const fixtures = fixtureManifest().filter((f) => f.paholeReadable && readExpected(f.base, 'pahole.txt'));
  it('has fixtures with pahole goldens', () => expect(fixtures.length).toBeGreaterThan(20));
  for (const fx of fixtures) {
    it(`${fx.base}: tiles every struct once; its holes are pahole's`, () => {
      const file = loadFile(fx.path, fixtureLoadOptions());
      const pahole = new Map(paholeBlocks(readExpected(fx.base, 'pahole.txt')!).map((b) => [`${b.kind} ${b.name}`, b] as const));
      let compared = 0;
      for (const id of printableTypes(file.table)) {
        const t = file.table.get(id) as AggregateType;
        const layout = analyzeLayout(file.table, id, { cachelineSize: 64, addressSize: file.info.addressSize });
        const shape = layoutShape(layout);
        const map = byteMap(shape, 64);
        let at = 0;
        const seen: number[] = [];
        for (const s of map.segments) {
          expect(s.start, `${t.name}`).toBe(at);
          expect(s.end).toBeGreaterThanOrEqual(s.start);
          at = s.end;
          seen.push(...s.members);
        }
        expect(at).toBe(t.size);
        expect(seen.sort((a, b) => a - b)).toEqual(shape.members.map((_, i) => i));
        const p = pahole.get(`${t.kind} ${t.name}`);
        if (!p || t.kind === 'union' || p.size !== t.size) continue;
        const holes = map.segments.filter((s) => s.kind === 'hole').map((s) => s.end - s.start);
        expect(holes, `${fx.base}: ${t.kind} ${t.name}`).toEqual(p.holes.map((h) => h.size));
        compared++;
      }
      expect(compared).toBeGreaterThan(0);
    });
  }
});

describe('byteMap on hostile shapes', () => {
  it('clips overlapping members so each byte has one owner', () => {
    const map = byteMap({ kind: 'struct', size: 16, members: [{ offset: 0, size: 8 }, { offset: 4, size: 8 }, { offset: 2, size: 1 }] }, 64);
    expect(map.segments.map((s) => [s.kind, s.start, s.end])).toEqual([
      ['member', 0, 8],
      ['member', 8, 8],
      ['member', 8, 12],
      ['padding', 12, 16],
    ]);
  });
  it('keeps members beyond the size inside it', () => {
    const map = byteMap({ kind: 'struct', size: 4, members: [{ offset: 2, size: 100 }] }, 64);
    expect(map.segments.map((s) => [s.kind, s.start, s.end])).toEqual([
      ['hole', 0, 2],
      ['member', 2, 4],
    ]);
  });
  it('draws a union as one segment of all its members, then padding', () => {
    const map = byteMap({ kind: 'union', size: 8, members: [{ offset: 0, size: 4 }, { offset: 0, size: 2 }] }, 64);
    expect(map.segments.map((s) => [s.kind, s.start, s.end, s.members])).toEqual([
      ['union', 0, 4, [0, 1]],
      ['padding', 4, 8, []],
    ]);
  });
});
