/**
 * Kernel cacheline groups (issue 16) on fixtures/src/groups.c, built for x86_64 (64-byte lines)
 * and ppc64 (128): the group report against the compiler's own offsets (llvm-dwarfdump facts,
 * pahole's sizes), reorg proposals applied with patch -p1 and recompiled (no marker moves, no
 * member leaves its group, cacheline-aligned members still start a line), --hot against a brute
 * force over every member order, --max-moves on every struct.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadFile } from '../../src/load/index.js';
import { abiForElf } from '../../src/layout/abi/index.js';
import type { AggregateType } from '../../src/model/types.js';
import { run, schemaValidator } from '../helpers/cli.js';
import { fixtureManifest, fixturePath, fixturesDir, readExpected } from '../helpers/fixtures.js';

const showSchema = schemaValidator('show');
const reorgSchema = schemaValidator('reorg');
const checkSchema = schemaValidator('check');
const tmp = mkdtempSync(join(tmpdir(), 'structscope-groups-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const targets = fixtureManifest().filter((e) => e.variant === 'groups');
const BEGIN = '__cacheline_group_begin__';
const END = '__cacheline_group_end__';
const isMarker = (n: string) => n.startsWith('__cacheline_group_');

/** The target's cacheline size (L1_CACHE_BYTES, which groups.c uses for SMP_CACHE_BYTES). */
function lineOf(path: string): number {
  const { info } = loadFile(path);
  return abiForElf(info.machine, info.elfClass, info.littleEndian, info.flags)!.cachelineSize;
}

interface Fact {
  name: string;
  offset: number;
  size: number;
}

/** Members of `struct name` in declaration order: offsets from llvm-dwarfdump (facts.json), sizes from pahole's golden. */
function compilerMembers(base: string, name: string): Fact[] {
  const facts = JSON.parse(readExpected(base, 'facts.json')!) as { kind: string; name?: string; members: { name?: string; byteOffset: number }[] }[];
  const def = facts.find((f) => f.kind === 'struct' && f.name === name)!;
  const golden = readExpected(base, 'pahole.txt')!;
  const block = new RegExp(`^struct ${name} \\{\\n([\\s\\S]*?)\\n\\}`, 'm').exec(golden)![1]!;
  const sizes = new Map<string, number>();
  for (const m of block.matchAll(/^\t(?:.*?[\s*])?(\w+)(?:\[\d*\])*(?: __attribute__\(\(.*?\)\))?;\s+\/\*\s+(\d+)\s+(\d+)\s+\*\//gm)) sizes.set(m[1]!, Number(m[3]));
  return def.members.map((m) => ({ name: m.name!, offset: m.byteOffset, size: sizes.get(m.name!)! }));
}

interface ExpectedGroup {
  name: string;
  offset: number;
  end: number;
  size: number;
  members: string[];
  cachelines: number;
  minCachelines: number;
  shared: string[];
}

/** The groups, computed here from the compiler's offsets (CACHELINE_ASSERT_GROUP_SIZE: end - begin). */
function expectedGroups(members: readonly Fact[], line: number): ExpectedGroup[] {
  const spans: { name: string; from: number; to: number }[] = [];
  members.forEach((m, i) => {
    if (!m.name.startsWith(BEGIN)) return;
    const g = m.name.slice(BEGIN.length);
    spans.push({ name: g, from: i, to: members.findIndex((x) => x.name === END + g) });
  });
  const lines = (a: number, b: number) => (b > a ? [Math.floor(a / line), Math.floor((b - 1) / line)] : [0, -1]);
  const inside = (s: { from: number; to: number }) => members.slice(s.from + 1, s.to).filter((m) => !isMarker(m.name));
  return spans.map((s) => {
    const offset = members[s.from]!.offset;
    const end = members[s.to]!.offset;
    const [a, b] = lines(offset, end);
    const shared = spans
      .filter((o) => o !== s)
      .flatMap((o) => inside(o))
      .filter((m) => m.size > 0 && lines(m.offset, m.offset + m.size)[0]! <= b! && lines(m.offset, m.offset + m.size)[1]! >= a!)
      .map((m) => m.name);
    return { name: s.name, offset, end, size: end - offset, members: inside(s).map((m) => m.name), cachelines: b! - a! + 1, minCachelines: Math.ceil((end - offset) / line), shared };
  });
}

const GROUPED = ['g_netdev', 'g_queue'];

describe('group reports equal what the compiler placed', () => {
  it('covers x86_64 and a 128-byte-cacheline target', () => {
    expect(targets.map((e) => e.arch).sort()).toEqual(['ppc64', 'x86_64']);
    expect(targets.map((e) => lineOf(e.path)).sort()).toEqual([128, 64]);
  });
  for (const e of targets) {
    it(`${e.arch}: JSON, text and table`, () => {
      const line = lineOf(e.path);
      const r = run('show', e.path, '--cacheline-size', String(line), '--format', 'json');
      expect(r.code, r.stderr).toBe(0);
      const doc = JSON.parse(r.stdout);
      expect(showSchema(doc), JSON.stringify(showSchema.errors)).toBe(true);
      const types = doc.files[0].types as { name: string; groups?: Record<string, unknown>[] }[];
      // only structs with markers carry groups
      expect(types.filter((t) => t.groups).map((t) => t.name).sort()).toEqual([...GROUPED].sort());
      const text = run('show', e.path, '--cacheline-size', String(line), '-C', GROUPED.join(',')).stdout;
      let spread = 0;
      for (const name of GROUPED) {
        const want = expectedGroups(compilerMembers(e.base, name), line);
        expect(want.length, name).toBeGreaterThanOrEqual(2);
        const got = types.find((t) => t.name === name)!.groups!;
        expect(
          got.map((g) => ({ name: g.name, offset: g.offset, end: g.end, size: g.size, members: g.members, cachelines: g.cachelines, minCachelines: g.minCachelines, shared: (g.sharedWith as { member: string }[]).map((s) => s.member).sort() })),
          name,
        ).toEqual(want.map((g) => ({ ...g, shared: [...g.shared].sort() })));
        for (const g of want) {
          expect(text).toContain(`\t/* ${g.name}: offset: ${g.offset}, size: ${g.size}, members: ${g.members.length}, cachelines: ${g.cachelines} */\n`);
          const flagged = text.includes(`/* XXX ${g.name} spans ${g.cachelines} cachelines, its size needs ${g.minCachelines} */`);
          expect(flagged, g.name).toBe(g.cachelines > g.minCachelines);
          if (flagged) spread++;
        }
      }
      // the net_device-shaped struct has a group straddling a 64-byte line that fits in a 128-byte one
      expect(spread).toBe(line === 64 ? 1 : 0);
      const table = run('show', e.path, '--cacheline-size', String(line), '--format', 'table').stdout;
      expect(table).toMatch(new RegExp(`struct g_netdev .*│\\s+3${line === 64 ? ' \\(1 spread\\)' : ' '}`));
    });

    it(`${e.arch}: check notes spread groups and names marker alignment as the group macros'`, () => {
      const r = run('check', e.path, '--format', 'json');
      const doc = JSON.parse(r.stdout);
      expect(checkSchema(doc), JSON.stringify(checkSchema.errors)).toBe(true);
      const line = lineOf(e.path);
      for (const name of GROUPED) {
        const t = doc.files[0].types.find((x: { name: string }) => x.name === name);
        const spread = expectedGroups(compilerMembers(e.base, name), line).filter((g) => g.cachelines > g.minCachelines);
        expect((t.groups ?? []).length, name).toBe(spread.length);
        for (const a of t.attributes as string[]) if (/ on __cacheline_group_/.test(a)) expect(a).toMatch(/\(cacheline group marker: (group \w+ starts aligned on purpose|group \w+ ends aligned \(__cacheline_group_end_aligned\)|the padding after group \w+ \(__cacheline_group_end_aligned\))\)$/);
      }
      const queue = doc.files[0].types.find((x: { name: string }) => x.name === 'g_queue');
      expect(queue.attributes.join(';')).toContain(`aligned(${line}) on __cacheline_group_begin__g_queue_read_mostly (cacheline group marker: group g_queue_read_mostly starts aligned on purpose)`);
    });
  }
});

/** Member offsets (bytes), sizes and declaration order of every named struct of an object. */
function compiled(path: string): Map<string, { size: number; members: { name: string; offset: number; size: number; alignment?: number }[] }> {
  const { table } = loadFile(path);
  const out = new Map<string, { size: number; members: { name: string; offset: number; size: number; alignment?: number }[] }>();
  for (const id of table.definitions) {
    const t = table.get(id) as AggregateType;
    if (t.kind !== 'struct' || t.name === undefined || out.has(t.name)) continue;
    out.set(t.name, { size: t.size, members: t.members.map((m) => ({ name: m.name ?? '', offset: m.bitOffset / 8, size: m.byteSize, alignment: m.alignment })) });
  }
  return out;
}

/** Each member's group (by declaration order between the markers), '' outside any group. */
function membership(members: readonly { name: string }[]): Map<string, string> {
  const out = new Map<string, string>();
  let open = '';
  for (const m of members) {
    if (m.name.startsWith(BEGIN)) open = m.name.slice(BEGIN.length);
    else if (m.name.startsWith(END)) open = '';
    else if (!isMarker(m.name)) out.set(m.name, open);
  }
  return out;
}

interface ReorgType {
  name: string;
  reorganized: boolean;
  reason?: string;
  oldSize: number;
  newSize: number;
  moves: string[];
  members: { name: string; offset: number; size: number }[];
  budget?: { maxMoves: number; size: number; moves: number; moreSaved: number };
  hot?: { members: string[]; cachelinesBefore: number; cachelinesAfter: number; fewest: number };
}

function reorgJson(...args: string[]): ReorgType[] {
  const r = run('reorg', ...args, '--format', 'json');
  expect(r.code, r.stderr).toBe(0);
  const doc = JSON.parse(r.stdout);
  expect(reorgSchema(doc), JSON.stringify(reorgSchema.errors)).toBe(true);
  return doc.files[0].types;
}

const installed = (tool: string) => spawnSync(tool, ['--version'], { encoding: 'utf8' }).status === 0;

/** Copy the sources, apply `reorg ARGS --patch`, recompile with the fixture's command; the patch run and the new object. */
function patchAndCompile(e: (typeof targets)[number], dir: string, args: string[]): { stderr: string; code: number; object: string } {
  cpSync(join(fixturesDir, 'src'), join(dir, 'src'), { recursive: true });
  const p = run('reorg', e.path, ...args, '--patch', dir);
  const applied = spawnSync('patch', ['-p1', '--batch', '--no-backup-if-mismatch'], { cwd: dir, input: p.stdout, encoding: 'utf8' });
  expect(applied.status, applied.stdout + applied.stderr).toBe(0);
  const object = join(dir, 'groups.o');
  const cc = spawnSync(e.compiler, [...e.flags.split(' '), e.source[0]!, '-o', object], { cwd: dir, encoding: 'utf8' });
  expect(cc.status, cc.stderr).toBe(0);
  return { stderr: p.stderr, code: p.code, object };
}

describe('reorg keeps the intent (patched, recompiled, read back)', () => {
  // the hot members are spread over the three groups and the ungrouped tail of g_netdev
  const HOT = ['--hot', 'mtu,needed_tailroom,ifindex,gro_flags,irq,operstate'];
  for (const [e, extra] of targets.flatMap((e) => [[e, []], [e, HOT]] as const)) {
    it.skipIf(!installed('patch') || !installed(e.compiler))(`${e.arch}${extra.length ? ' --hot' : ''}: markers stay, members stay in their group, aligned members start a line`, () => {
      const line = lineOf(e.path);
      const dir = join(tmp, `intent-${e.arch}${extra.length ? '-hot' : ''}`);
      const reported = reorgJson(e.path, '--cacheline-size', String(line), ...extra);
      const p = patchAndCompile(e, dir, ['--cacheline-size', String(line), ...extra]);
      // g_random is marked __randomize_layout: refused by name, left as it was
      expect(p.code).toBe(1);
      expect(p.stderr).toMatch(/struct g_random: marked __randomize_layout: .*; no patch for it/);
      const before = compiled(e.path);
      const after = compiled(p.object);
      expect(after.get('g_random')).toEqual(before.get('g_random'));

      let movedInGroups = 0;
      for (const t of reported) {
        if (!t.reorganized || t.name === 'g_random') continue;
        const old = before.get(t.name)!;
        const now = after.get(t.name)!;
        // the compiler gives what reorg reported
        expect(now.size, t.name).toBe(t.newSize);
        expect(now.members.map((m) => [m.name, m.offset]), t.name).toEqual(t.members.map((m) => [m.name, m.offset]));
        // markers: same sequence; no member changed group
        expect(now.members.filter((m) => isMarker(m.name)).map((m) => m.name), t.name).toEqual(old.members.filter((m) => isMarker(m.name)).map((m) => m.name));
        expect(membership(now.members), t.name).toEqual(membership(old.members));
        // and in offsets: every member inside its group's [begin, end)
        const at = new Map(now.members.map((m) => [m.name, m]));
        for (const [name, g] of membership(now.members)) {
          if (!g) continue;
          const m = at.get(name)!;
          expect(m.offset, `${t.name}.${name}`).toBeGreaterThanOrEqual(at.get(BEGIN + g)!.offset);
          expect(m.offset + m.size, `${t.name}.${name}`).toBeLessThanOrEqual(at.get(END + g)!.offset);
        }
        // members aligned to a cacheline still start one, with the same members before them
        old.members.forEach((m, i) => {
          if ((m.alignment ?? 0) < line) return;
          const k = now.members.findIndex((x) => x.name === m.name);
          expect(now.members[k]!.offset % line, `${t.name}.${m.name}`).toBe(0);
          expect(new Set(now.members.slice(0, k).map((x) => x.name)), `${t.name}.${m.name}`).toEqual(new Set(old.members.slice(0, i).map((x) => x.name)));
        });
        if (GROUPED.includes(t.name)) movedInGroups += t.moves.length;
      }
      expect(movedInGroups).toBeGreaterThan(0);
    });
  }

  const x86 = targets.find((e) => e.arch === 'x86_64')!;
  it.skipIf(!installed('patch') || !installed(x86.compiler))('--hot on virtnet_info (the 2020 patch by hand): recompiled, the hot members in one cacheline, 8 bytes saved', () => {
    const hot = ['dev', 'sq', 'rq', 'status', 'speed', 'duplex', 'hdr_len'];
    const hotFile = join(tmp, 'hot.txt');
    writeFileSync(hotFile, hot.join('\n') + '\n');
    const [t] = reorgJson(x86.path, '-C', 'g_virtnet_info', '--hot-file', hotFile);
    expect(t!.hot!.members.sort()).toEqual([...hot].sort());
    const p = patchAndCompile(x86, join(tmp, 'hot'), ['-C', 'g_virtnet_info', '--hot', hot.join(',')]);
    expect(p.code, p.stderr).toBe(0);
    const now = compiled(p.object).get('g_virtnet_info')!;
    expect(now.size).toBe(t!.newSize);
    expect(now.size).toBe(compiled(x86.path).get('g_virtnet_info')!.size - 8);
    const lines = new Set(now.members.filter((m) => hot.includes(m.name)).flatMap((m) => [Math.floor(m.offset / 64), Math.floor((m.offset + m.size - 1) / 64)]));
    expect(lines.size).toBe(t!.hot!.cachelinesAfter);
    expect(lines.size).toBe(1);
    expect(t!.hot!.cachelinesBefore).toBeGreaterThan(1);
  });
});

/** Every order of the members (Heap's algorithm). */
function* permutations<T>(items: T[]): Generator<T[]> {
  const a = [...items];
  const c = new Array<number>(a.length).fill(0);
  yield [...a];
  for (let i = 0; i < a.length; ) {
    if (c[i]! < i) {
      const j = i % 2 ? c[i]! : 0;
      [a[i], a[j]] = [a[j]!, a[i]!];
      yield [...a];
      c[i]!++;
      i = 0;
    } else c[i++] = 0;
  }
}

describe('--hot packs the named members into the fewest cachelines (brute force over every order)', () => {
  const x86 = targets.find((e) => e.arch === 'x86_64')!;
  // x86_64 psABI alignments of the fixtures' member types (arrays: their element's)
  const SCALAR_ALIGN: Record<string, number> = { char: 1, 'short int': 2, int: 4, 'long int': 8, 'void *': 8 };
  const cases: [string, string[]][] = [
    ['g_hot_small', ['a', 'c', 'g']],
    ['g_hot_small', ['b', 'f', 'h']],
    ['g_hot_small', ['g', 'd', 'e']],
    ['g_hot_small', ['a', 'b', 'c', 'd', 'e']],
    ['g_hot_arrays', ['name', 'y', 'w']],
    ['g_hot_arrays', ['z', 'u', 'x']],
    ['g_hot_arrays', ['name', 'z', 'u']],
  ];
  for (const [struct, hot] of cases) {
    it(`${struct} --hot ${hot.join(',')}`, () => {
      const shown = JSON.parse(run('show', x86.path, '-C', struct, '--format', 'json').stdout).files[0].types[0];
      const members = (shown.members as { name: string; type: string; size: number; arrayDims?: number[] }[]).map((m) => {
        const count = (m.arrayDims ?? []).reduce((p, d) => p * d, 1);
        const align = SCALAR_ALIGN[m.type.replace(/\s*\[.*$/, '')]!;
        expect(align, m.type).toBeDefined();
        return { name: m.name, size: m.size, align: m.arrayDims ? Math.min(align, m.size / count) : align };
      });
      const structAlign = Math.max(...members.map((m) => m.align));
      let fewest = Infinity;
      let smallest = Infinity; // the smallest size among the orders with the fewest hot lines
      for (const order of permutations(members)) {
        let off = 0;
        const lines = new Set<number>();
        for (const m of order) {
          off = Math.ceil(off / m.align) * m.align;
          if (hot.includes(m.name)) for (let l = Math.floor(off / 64); l <= Math.floor((off + m.size - 1) / 64); l++) lines.add(l);
          off += m.size;
        }
        const size = Math.ceil(off / structAlign) * structAlign;
        if (lines.size < fewest || (lines.size === fewest && size < smallest)) [fewest, smallest] = [lines.size, size];
      }
      const [t] = reorgJson(x86.path, '-C', struct, '--hot', hot.join(','));
      expect(t!.reorganized, t!.reason).toBe(true);
      expect(t!.hot!.cachelinesAfter).toBe(fewest);
      // read from the proposal's own offsets
      const lines = new Set(t!.members.filter((m) => hot.includes(m.name)).flatMap((m) => [Math.floor(m.offset / 64), Math.floor((m.offset + m.size - 1) / 64)]));
      expect(lines.size).toBe(fewest);
      expect(t!.newSize).toBe(smallest);
      // the hot members come first
      expect(new Set(t!.members.slice(0, hot.length).map((m) => m.name))).toEqual(new Set(hot));
    });
  }
});

describe('--max-moves bounds every proposal', () => {
  const files = [...targets.map((e) => e.path), fixturePath('virtio_net.ko'), fixturePath('reorg-x86_64.o')];
  for (const path of files) {
    it(path.replace(/.*\//, ''), () => {
      const unbounded = new Map(reorgJson(path, '--max-moves', '1000').map((t) => [t.name, t]));
      for (const n of [0, 1, 3, undefined]) {
        for (const t of reorgJson(path, ...(n === undefined ? [] : ['--max-moves', String(n)]))) {
          if (!t.reorganized) continue;
          const limit = n ?? 8;
          expect(t.moves.length, `${t.name} --max-moves ${limit}`).toBeLessThanOrEqual(limit);
          const u = unbounded.get(t.name)!;
          expect(t.newSize, t.name).toBeGreaterThanOrEqual(u.newSize);
          if (t.budget) {
            // what a larger budget would do: the unbounded search's own result
            expect(t.budget.maxMoves).toBe(limit);
            expect(t.budget.moves, t.name).toBeGreaterThan(limit);
            expect(t.budget.size, t.name).toBe(u.newSize);
            expect(t.budget.moreSaved, t.name).toBe(t.newSize - u.newSize);
          } else expect(t.newSize, t.name).toBe(u.newSize);
        }
      }
    });
  }
});
