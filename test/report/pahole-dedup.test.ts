import { describe, expect, it } from 'vitest';
import { compareStructures, StructureTree, type StructureSignature } from '../../src/report/pahole-dedup.js';

const sig = (name: string, members: [string | null, number, number][], size = 16): StructureSignature => ({ name, size, count: members.length, members });

describe("pahole's tree of printed structures", () => {
  it('compares member names only when both have one', () => {
    expect(compareStructures(sig('s', [['a', 0, 0]]), sig('s', [[null, 0, 0]]))).toBe(0);
    expect(compareStructures(sig('s', [['a', 0, 0]]), sig('s', [['b', 0, 0]]))).toBeLessThan(0);
    expect(compareStructures(sig('s', [['a', 0, 0]]), sig('s', [['a', 8, 0]]))).toBeLessThan(0);
    expect(compareStructures(sig('s', [['a', 0, 3]]), sig('s', [['a', 0, 0]]))).toBeGreaterThan(0);
    expect(compareStructures(sig('s', [], 8), sig('s', [], 16))).toBeLessThan(0);
  });

  it('finds a definition only along its search path, as pahole does', () => {
    const tree = new StructureTree();
    const root = sig('m', [['q', 0, 0], ['x', 32, 0]]);
    const left = sig('m', [['p', 0, 0], ['x', 64, 0]]); // 'p' < 'q': left of the root
    expect(tree.add(root)).toBe(true);
    expect(tree.add(left)).toBe(true);
    expect(tree.add(left)).toBe(false);
    // equal to `left` (anonymous first member), but greater than the root (64 > 32): the search
    // goes right and finds nothing, so pahole prints it
    const anon = sig('m', [[null, 0, 0], ['x', 64, 0]]);
    expect(compareStructures(left, anon)).toBe(0);
    expect(tree.add(anon)).toBe(true);
  });

  it('stays a search tree through rebalancing: every distinct definition added once, in any order', () => {
    for (const order of [(i: number) => i, (i: number) => 999 - i, (i: number) => (i * 7919) % 1000]) {
      const tree = new StructureTree();
      for (let i = 0; i < 1000; i++) expect(tree.add(sig(`t${String(order(i)).padStart(4, '0')}`, [['a', 0, 0]]))).toBe(true);
      for (let i = 0; i < 1000; i++) expect(tree.add(sig(`t${String(i).padStart(4, '0')}`, [['a', 0, 0]]))).toBe(false);
    }
  });
});
