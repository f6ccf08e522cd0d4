/**
 * `diff FILE FILE -F btf,dwarf`: the two views of one build. The flattened arrays it reports are
 * checked against pahole's own two views of the fixture (pahole -F dwarf and pahole -F btf goldens).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../helpers/cli.js';
import { fixturesDir } from '../helpers/fixtures.js';

/** struct name → member lines (type and name, attributes and comments dropped) of a pahole text. */
function memberDecls(text: string): Map<string, string[]> {
  const m = new Map<string, string[]>();
  let cur: string[] | undefined;
  for (const line of text.split('\n')) {
    const open = /^struct (\w+) \{$/.exec(line);
    if (open) m.set(open[1]!, (cur = []));
    else if (line.startsWith('}')) cur = undefined;
    else if (cur && /^\t\S/.test(line) && !line.includes('/* XXX')) cur.push(line.replace(/\s*\/\*.*$/, '').replace(/ __attribute__.*$/, '').replace(/\s+/g, ' ').trim());
  }
  return m;
}

describe('BTF against DWARF (diff -F btf,dwarf)', () => {
  const file = join(fixturesDir, 'bin/btf/layout-plain-124.o');
  const r = run('diff', file, file, '-F', 'btf,dwarf');

  it('names every struct whose arrays pahole -F btf prints flattened, with the members', () => {
    expect(r.code).toBe(0);
    const dwarf = memberDecls(readFileSync(join(fixturesDir, 'expected/layout-plain.o.pahole.txt'), 'utf8'));
    const btf = memberDecls(readFileSync(join(fixturesDir, 'expected/btf/layout-plain-124.o.pahole124.txt'), 'utf8'));
    const flattened = new Set<string>();
    for (const [name, members] of btf) {
      const other = dwarf.get(name)!;
      members.forEach((m, i) => {
        if (m !== other[i] && /\]\S*$/.test(m)) flattened.add(name);
      });
    }
    expect(flattened.size).toBeGreaterThan(0);
    const reported = [...r.stdout.matchAll(/^struct (\w+): .*flattened-array/gm)].map((m) => m[1]);
    expect(new Set(reported)).toEqual(flattened);
    expect(r.stdout).toContain('matrix: int[12] vs int[4][3]');
  });

  it('a forced alignment BTF cannot record is given as the cause', () => {
    expect(r.stdout).toMatch(/^struct packed_aligned: alignment$/m);
    expect(r.stdout).toMatch(/reasons:\n( +\d+ {2}[\w-]+: .*\n)+$/);
  });

  it('dwarf,btf puts BTF on the new side', () => {
    const s = run('diff', file, file, '-F', 'dwarf,btf');
    expect(s.stdout).toMatch(/^BTF \(new\) against DWARF \(old\)/);
    expect(s.stdout).toContain('matrix: int[12] vs int[4][3]');
  });
});

describe('matchDefinitions', () => {
  const def = (name: string, members: [string, number][]) =>
    ({ kind: 'struct', name, size: 8, alignment: 4, cachelines: 1, holes: 0, sumHoles: 0, bitHoles: 0, sumBitHoles: 0, padding: 0, members: members.map(([n, o]) => ({ name: n, offset: o, size: 4, type: 'int', base: false })) }) as never;

  it('pairs the definitions of a name both sides share, whatever their order', async () => {
    const { matchDefinitions, severalDefinitions } = await import('../../src/diff/views.js');
    const a1 = def('slot', [['a', 0]]);
    const a2 = def('slot', [['number', 0], ['state', 4]]);
    const b2 = def('slot', [['number', 0], ['state', 4]]);
    const [x, y] = matchDefinitions([a1, a2], [b2]);
    expect(x).toEqual([a2]);
    expect(y).toEqual([b2]);
    expect(severalDefinitions([a1, a2], [b2])).toEqual(new Set(['struct slot']));
  });

  it('two definitions on both sides, in opposite orders: the same twin is first on each side', async () => {
    const { matchDefinitions } = await import('../../src/diff/views.js');
    const x1 = def('slot', [['a', 0]]);
    const x2 = def('slot', [['number', 0], ['state', 4]]);
    const y1 = def('slot', [['a', 0]]);
    const y2 = def('slot', [['number', 0], ['state', 4]]);
    const [x, y] = matchDefinitions([x1, x2], [y2, y1]);
    expect(x).toEqual([x1]);
    expect(y).toEqual([y1]);
  });
});
