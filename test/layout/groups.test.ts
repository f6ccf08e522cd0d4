/** src/layout/groups.ts on hand-made member lists: the marker cases the fixtures do not have. */
import { describe, expect, it } from 'vitest';
import { explainMarkerAlignment, findGroups, groupMarker } from '../../src/layout/groups.js';

const m = (index: number, name: string | undefined, offset: number, size: number) => ({ index, name, offset, size });

describe('findGroups', () => {
  it('no markers: no report', () => {
    expect(findGroups([m(0, 'a', 0, 8), m(1, 'b', 8, 8)], 64)).toBeUndefined();
  });

  it('unpaired markers are named; an empty group spans no cacheline', () => {
    const r = findGroups([m(0, '__cacheline_group_begin__x', 0, 0), m(1, '__cacheline_group_end__x', 0, 0), m(2, '__cacheline_group_begin__y', 0, 0), m(3, 'a', 0, 4), m(4, '__cacheline_group_end__z', 4, 0)], 64)!;
    expect(r.groups.map((g) => [g.name, g.size, g.cachelines, g.minCachelines, g.members.length])).toEqual([['x', 0, 0, 0, 0]]);
    expect(r.unpaired.sort()).toEqual(['__cacheline_group_begin__y', '__cacheline_group_end__z']);
  });

  it('a group ending exactly on a cacheline boundary does not touch the next line', () => {
    const r = findGroups([m(0, '__cacheline_group_begin__g', 0, 0), m(1, 'a', 0, 64), m(2, '__cacheline_group_end__g', 64, 0), m(3, '__cacheline_group_begin__h', 64, 0), m(4, undefined, 64, 8), m(5, '__cacheline_group_end__h', 72, 0)], 64)!;
    expect(r.groups.map((g) => [g.name, g.cachelines, g.sharing.length])).toEqual([['g', 1, 0], ['h', 1, 0]]);
    expect(r.groups[1]!.members[0]!.name).toBe('<anonymous #4>');
  });
});

describe('marker names', () => {
  it('recognises the three markers and nothing else', () => {
    expect(groupMarker('__cacheline_group_begin__net_device_read_tx')).toEqual({ kind: 'begin', group: 'net_device_read_tx' });
    expect(groupMarker('__cacheline_group_pad__q')).toEqual({ kind: 'pad', group: 'q' });
    expect(groupMarker('__cacheline_group_begin__')).toBeUndefined();
    expect(groupMarker('cacheline_group_begin__x')).toBeUndefined();
  });
  it('explains alignment on markers only', () => {
    expect(explainMarkerAlignment('aligned(64) on hot')).toBe('aligned(64) on hot');
    expect(explainMarkerAlignment('aligned(8) on __cacheline_group_end__q')).toBe('aligned(8) on __cacheline_group_end__q (cacheline group marker: group q ends aligned (__cacheline_group_end_aligned))');
  });
});
