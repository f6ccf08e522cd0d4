/**
 * structscope diff on fixtures/src/diff-v1.c and diff-v2.c. The intended edits (which member was
 * added, removed, retyped, resized, renamed, which bit-field changed) come from the sources; every
 * offset, move, cacheline change and size is checked against llvm-dwarfdump facts and pahole 1.24
 * goldens (fixtures/expected), never against structscope itself.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run, schemaValidator } from '../helpers/cli.js';
import { fixturePath, readExpected } from '../helpers/fixtures.js';
import type { DiffJsonDocument } from '../../src/report/diff.js';
import type { MemberDiff } from '../../src/diff/compare.js';

const V1 = fixturePath('diff-v1.o');
const V2 = fixturePath('diff-v2.o');
const validate = schemaValidator('diff');
const validateShow = schemaValidator('show');

/** The intended member changes per struct (see the comments in diff-v1.c); null: anonymous. */
const INTENDED: Record<string, [string | null, string[]][]> = {
  grow: [['d', ['added']]],
  shrink: [
    ['removed_field', ['removed']],
    ['b', ['moved']],
  ],
  reorder: [['c', ['moved']]],
  resize: [
    ['n', ['resized']],
    ['z', ['moved']],
  ],
  retype: [['x', ['retyped']]],
  bits: [
    ['f1', ['bitfield']],
    ['f2', ['bitfield']],
  ],
  aligned: [],
  renamed: [['new_name', ['renamed']]],
  crossing: [
    ['extra', ['added']],
    ['a', ['moved']],
    ['b', ['moved', 'cacheline']],
  ],
  anon: [
    ['pre', ['added']],
    [null, ['moved']],
    ['z', ['moved']],
  ],
};

interface FactMember {
  name: string | null;
  byteOffset: number;
  bitOffset: number;
  bitSize: number | null;
}
interface FactType {
  kind: string;
  name: string;
  size: number;
  members: FactMember[];
}
const facts = (b: string) =>
  new Map((JSON.parse(readExpected(b, 'facts.json')!) as FactType[]).filter((t) => t.name !== null).map((t) => [t.name, t]));
const F1 = facts('diff-v1.o');
const F2 = facts('diff-v2.o');

/** size, cachelines, holes, sum holes, padding and alignment attribute per struct, from pahole's output. */
function paholeSummaries(b: string): Map<string, Record<string, number>> {
  const out = new Map<string, Record<string, number>>();
  for (const block of readExpected(b, 'pahole.txt')!.split(/\n(?=struct )/)) {
    const name = block.match(/^struct (\w+) \{/)![1]!;
    const num = (re: RegExp) => Number(block.match(re)?.[1] ?? 0);
    out.set(name, {
      size: num(/size: (\d+),/),
      cachelines: num(/cachelines: (\d+)/),
      holes: num(/, holes: (\d+),/),
      sumHoles: num(/sum holes: (\d+)/),
      padding: num(/padding: (\d+)/),
      aligned: num(/__aligned__\((\d+)\)/),
    });
  }
  return out;
}
const P1 = paholeSummaries('diff-v1.o');
const P2 = paholeSummaries('diff-v2.o');

function diffJson(...args: string[]): DiffJsonDocument {
  const r = run('diff', ...args, '--format', 'json');
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  const doc = JSON.parse(r.stdout) as DiffJsonDocument;
  expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
  return doc;
}

/** The diff without where its inputs came from (path, ELF or JSON). */
const body = (d: DiffJsonDocument) => ({ ...d, old: { ...d.old, path: '', format: '' }, new: { ...d.new, path: '', format: '' } });

describe('structscope diff: diff-v1.o -> diff-v2.o', () => {
  const doc = diffJson(V1, V2);

  it('types: one added, one removed, the unchanged one only counted', () => {
    expect(doc.types.filter((t) => t.change === 'added').map((t) => t.name)).toEqual([...F2.keys()].filter((n) => !F1.has(n)));
    expect(doc.types.filter((t) => t.change === 'removed').map((t) => t.name)).toEqual([...F1.keys()].filter((n) => !F2.has(n)));
    expect(doc.types.filter((t) => t.change === 'changed').map((t) => t.name).sort()).toEqual(Object.keys(INTENDED).sort());
    expect(doc.summary).toEqual({ oldTypes: F1.size, newTypes: F2.size, added: 1, removed: 1, changed: Object.keys(INTENDED).length, unchanged: 1 });
    expect(doc.types.some((t) => t.name === 'same')).toBe(false);
  });

  it.each(Object.keys(INTENDED))('struct %s: exactly the intended member changes', (name) => {
    const t = doc.types.find((x) => x.name === name)!;
    expect(t.members.map((m) => [m.name, m.changes])).toEqual(INTENDED[name]);
  });

  it.each(Object.keys(INTENDED))('struct %s: offsets, moves, cachelines and bit-fields agree with llvm-dwarfdump', (name) => {
    const t = doc.types.find((x) => x.name === name)!;
    const a = F1.get(name)!.members;
    const b = F2.get(name)!.members;
    const byName = (ms: FactMember[], n: string | null) => ms.find((m) => m.name === n);
    for (const m of t.members) {
      if (m.old) expect(m.old.offset).toBe(byName(a, m.old.name)!.byteOffset);
      if (m.new) expect(m.new.offset).toBe(byName(b, m.new.name)!.byteOffset);
      if (m.new?.bitSize !== undefined) {
        expect(m.new.bitSize).toBe(byName(b, m.new.name)!.bitSize);
        expect(m.new.bitOffset).toBe(byName(b, m.new.name)!.bitOffset);
      }
    }
    // every member present in both versions (same name) whose offset/cacheline/bits differ is reported
    const changed = (m: MemberDiff, c: string) => m.changes.includes(c as never);
    for (const x of a) {
      const y = byName(b, x.name);
      if (!y) continue;
      const d = t.members.find((m) => m.name === x.name && m.old);
      expect(d !== undefined && changed(d, 'moved'), `${x.name} moved`).toBe(x.byteOffset !== y.byteOffset);
      expect(d !== undefined && changed(d, 'cacheline'), `${x.name} cacheline`).toBe(Math.floor(x.byteOffset / 64) !== Math.floor(y.byteOffset / 64));
      const bitsDiffer = x.bitSize !== y.bitSize || x.bitOffset - 8 * x.byteOffset !== y.bitOffset - 8 * y.byteOffset;
      expect(d !== undefined && changed(d, 'bitfield'), `${x.name} bitfield`).toBe(bitsDiffer);
    }
  });

  it.each([...F1.keys()])('struct %s: size, cachelines, holes and padding before and after agree with pahole', (name) => {
    const t = doc.types.find((x) => x.name === name);
    if (!t) return expect(P1.get(name)).toEqual(P2.get(name)); // unchanged
    for (const [side, p] of [
      [t.old, P1.get(name)],
      [t.new, P2.get(name)],
    ] as const) {
      if (!p) {
        expect(side).toBeUndefined();
        continue;
      }
      expect({ size: side!.size, cachelines: side!.cachelines, holes: side!.holes, sumHoles: side!.sumHoles, padding: side!.padding }).toEqual({
        size: p.size,
        cachelines: p.cachelines,
        holes: p.holes,
        sumHoles: p.sumHoles,
        padding: p.padding,
      });
      if (p.aligned) expect(side!.alignment).toBe(p.aligned);
    }
  });

  it('the alignment attribute change shows as alignment, size and padding deltas', () => {
    const t = doc.types.find((x) => x.name === 'aligned')!;
    expect([t.old!.alignment, t.new!.alignment]).toEqual([P1.get('aligned')!.aligned, P2.get('aligned')!.aligned]);
    expect(t.members).toEqual([]);
  });

  it('array dimensions are part of the member type', () => {
    expect(doc.types.find((x) => x.name === 'grow')!.members[0]!.new).toMatchObject({ name: 'd', type: 'char[3]', size: 3 });
    const r = run('diff', V1, V2, '-C', 'crossing', '--verbose');
    expect(r.stdout).toMatch(/\tlong int w\[6\];/);
  });

  it('the renamed member keeps its type and position', () => {
    const m = doc.types.find((x) => x.name === 'renamed')!.members[0]!;
    expect([m.old!.name, m.new!.name]).toEqual(['old_name', 'new_name']);
    expect(m.old!.offset).toBe(m.new!.offset);
    expect(m.old!.type).toBe(m.new!.type);
  });

  it('text: the table of changed types, then per type exactly its member changes', () => {
    const r = run('diff', V1, V2);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const [head, ...sections] = r.stdout.split(/\n\n(?=struct \w+: )/);
    expect(head).toContain('types: 12 old, 12 new: 1 added, 1 removed, 10 changed, 1 unchanged');
    for (const t of doc.types) expect(head).toMatch(new RegExp(`│ struct ${t.name} +│ ${t.change} `));
    const listed = new Map(
      sections.map((s) => {
        const [title, ...lines] = s.replace(/\n\nregressions:[^]*$/, '').split('\n');
        return [title!.match(/^struct (\w+):/)![1]!, lines.map((l) => l.match(/^ {2}([+~-]) (\S+?):/)!.slice(1))] as const;
      }),
    );
    expect([...listed.keys()].sort()).toEqual(Object.keys(INTENDED).sort());
    for (const [name, changes] of Object.entries(INTENDED)) {
      const sign = (c: string[]) => (c[0] === 'added' ? '+' : c[0] === 'removed' ? '-' : '~');
      expect(listed.get(name), name).toEqual(changes.map(([n, c]) => [sign(c), n ?? '(anonymous)']));
    }
    expect(r.stdout).toContain('  ~ b: moved 56 -> 64, cacheline 0 -> 1');
    expect(r.stdout).toContain('  ~ new_name: renamed from old_name');
  });

  it('--verbose adds the layouts before and after', () => {
    const r = run('diff', V1, V2, '-C', 'crossing', '--verbose');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/ {2}before:\n {4}struct crossing \{\n[^]*size: 64, cachelines: 1/);
    expect(r.stdout).toMatch(/ {2}after:\n {4}struct crossing \{\n[^]*XXX 4 bytes hole[^]*size: 72, cachelines: 2/);
  });

  it('--format table lists every added, removed and changed type', () => {
    const r = run('diff', V1, V2, '--format', 'table');
    expect(r.code).toBe(0);
    for (const t of doc.types) expect(r.stdout).toContain(`struct ${t.name} `);
    expect(r.stdout).not.toContain('struct same ');
  });
});

describe('structscope diff: JSON baselines', () => {
  const dir = mkdtempSync(join(tmpdir(), 'structscope-diff-'));
  const save = (elf: string, name: string) => {
    const r = run('show', elf, '--format', 'json');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(validateShow(doc), JSON.stringify(validateShow.errors)).toBe(true);
    const p = join(dir, name);
    writeFileSync(p, r.stdout);
    return p;
  };
  const j1 = save(V1, 'v1.json');
  const j2 = save(V2, 'v2.json');
  const ref = body(diffJson(V1, V2));

  it.each([
    ['JSON -> ELF', () => [j1, V2]],
    ['ELF -> JSON', () => [V1, j2]],
    ['JSON -> JSON', () => [j1, j2]],
  ])('%s gives the same diff as ELF -> ELF', (_, paths) => {
    const [a, b] = paths();
    const doc = diffJson(a!, b!);
    expect(doc.old.format).toBe(a!.endsWith('.json') ? 'json' : 'elf');
    expect(body(doc)).toEqual(ref);
  });

  it('the text of a baseline diff equals the ELF diff apart from the header', () => {
    const strip = (s: string) => s.split('\n').slice(2).join('\n');
    expect(strip(run('diff', j1, V2, '--verbose').stdout)).toBe(strip(run('diff', V1, V2, '--verbose').stdout));
  });

  it('unreadable input: exit 2 and one line naming the file', () => {
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{"schemaVersion": 1, ');
    const foreign = join(dir, 'foreign.json');
    writeFileSync(foreign, '{"hello": "world"}');
    const src = fixturePath('../src/diff-v1.c');
    for (const [p, other] of [
      [join(dir, 'missing.o'), V2],
      [broken, V2],
      [foreign, V2],
      [V1, src],
    ] as const) {
      const r = run('diff', p, other);
      expect(r.code, p).toBe(2);
      const bad = p === V1 ? other : p;
      expect(r.stderr).toMatch(new RegExp(`^structscope: .*${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[^\n]*\n$`));
      expect(r.stderr).not.toContain('    at ');
    }
  });
});

describe('structscope diff --fail-on: exit codes', () => {
  // [kinds, -C type without that regression (exit 0), -C type with it (exit 1)]
  it.each([
    ['size', 'retype', 'resize'],
    ['holes', 'grow', 'crossing'],
    ['cachelines', 'resize', 'crossing'],
    ['removed', 'grow', 'shrink'],
    ['removed', 'same,only_new', 'only_old'],
    ['any', 'same', 'retype'],
    ['size,holes', 'retype,reorder', 'grow,anon'],
  ])('--fail-on %s: -C %s exits 0, -C %s exits 1', (kinds, clean, dirty) => {
    const ok = run('diff', V1, V2, '--fail-on', kinds, '-C', clean);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    const bad = run('diff', V1, V2, '--fail-on', kinds, '-C', dirty);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^structscope: --fail-on: .*\n$/);
  });

  it('the kinds agree with the deltas pahole shows', () => {
    const grew = (k: string) => [...P1.keys()].filter((n) => P2.has(n) && P2.get(n)![k]! > P1.get(n)![k]!).map((n) => `struct ${n}`);
    const doc = diffJson(V1, V2);
    expect(doc.regressions.size).toEqual(grew('size'));
    expect(doc.regressions.cachelines).toEqual(grew('cachelines'));
    const holes = [...P1.keys()].filter((n) => P2.has(n) && (P2.get(n)!.holes! > P1.get(n)!.holes! || P2.get(n)!.sumHoles! > P1.get(n)!.sumHoles!));
    expect(doc.regressions.holes).toEqual(holes.map((n) => `struct ${n}`));
    expect(doc.regressions.removed).toEqual(['struct shrink', 'struct only_old']);
    expect(doc.regressions.any!.length).toBe(doc.types.length);
  });

  it('--fail-on given twice combines; without --fail-on changes exit 0', () => {
    expect(run('diff', V1, V2, '--fail-on', 'size', '--fail-on', 'removed', '-C', 'shrink').code).toBe(1);
    expect(run('diff', V1, V2, '--fail-on', 'size', '--fail-on', 'cachelines', '-C', 'shrink').code).toBe(0);
    expect(run('diff', V1, V2).code).toBe(0);
  });

  it('usage errors exit 64 (an unknown or empty kind); a -C name in neither file is a finding (1)', () => {
    const r = run('diff', V1, V2, '--fail-on', 'bogus');
    expect(r.code).toBe(64);
    expect(r.stderr).toContain('--fail-on bogus');
    for (const empty of ['', 'size,', ',']) {
      const e = run('diff', V1, V2, '--fail-on', empty);
      expect(e.code, `--fail-on '${empty}'`).toBe(64);
      expect(e.stderr).toContain('empty kind');
    }
    const m = run('diff', V1, V2, '-C', 'nosuch');
    expect(m.code).toBe(1);
    expect(m.stderr).toContain("'nosuch'");
    expect(run('diff', V1, V2, '-C', 'nosuch', '--skip-missing').code).toBe(0);
  });
});
