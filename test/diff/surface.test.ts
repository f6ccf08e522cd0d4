/** diff --abi's paths from symbols to a type (src/diff/surface.ts pathFinder), on hand-made surfaces. */
import { describe, expect, it } from 'vitest';
import { pathFinder, type SpeltSurface } from '../../src/diff/surface.js';

/** Types 0..n-1 in a chain (each reached from the one before through member 0), ending at `struct t`. */
function chain(n: number, roots: { name: string; label: string; entry: number }[]): SpeltSurface {
  const into = new Map<number, { from: number; to: number; member: number }[]>();
  into.set(0, []);
  for (let i = 1; i < n; i++) into.set(i, [{ from: i - 1, to: i, member: 0 }]);
  const members = new Map<string, string>();
  for (let i = 0; i + 1 < n; i++) members.set(`${i}:0`, `struct s${i + 1} *m`);
  const steps = new Map<number, string>([[n - 1, 'struct t']]);
  return { roots, entries: roots.map((r) => [r.entry]), into, named: new Map([['struct t', n - 1]]), steps, members };
}

describe('pathFinder', () => {
  it('gives every root reaching the type one shortest path, shortest first, then in root order', () => {
    const s = chain(4, [
      { name: 'far', label: 'far(struct s0 *)', entry: 0 },
      { name: 'near', label: 'near(struct s2 *)', entry: 2 },
      { name: 'also_near', label: 'also_near(struct s2 *)', entry: 2 },
    ]);
    const paths = pathFinder(s)('struct t');
    expect(paths).toEqual([
      { symbol: 'near', path: ['near(struct s2 *)', 'struct s3 *m', 'struct t'] },
      { symbol: 'also_near', path: ['also_near(struct s2 *)', 'struct s3 *m', 'struct t'] },
      { symbol: 'far', path: ['far(struct s0 *)', 'struct s1 *m', 'struct s2 *m', 'struct s3 *m', 'struct t'] },
    ]);
    expect(pathFinder(s)('struct missing')).toEqual([]);
  });

  it('answers again and again from one finder (each walk starts afresh)', () => {
    const s = chain(3, [{ name: 'f', label: 'f(struct s0 *)', entry: 0 }]);
    const find = pathFinder(s);
    const first = find('struct t');
    expect(find('struct t')).toEqual(first);
    expect(first[0]!.path).toHaveLength(4);
  });

  it('walks a hostile 200 000-type chain without recursion', () => {
    const n = 200_000;
    const [p] = pathFinder(chain(n, [{ name: 'f', label: 'f(struct s0 *)', entry: 0 }]))('struct t');
    expect(p!.path).toHaveLength(n + 1);
    expect(p!.path[n]).toBe('struct t');
  });
});
