/**
 * `show --format map` on real binaries, read back character by character and checked against
 * pahole 1.24's text for the same files (fixtures/expected/*.pahole.txt, from
 * fixtures/gen-expected.sh): every byte of each struct is drawn exactly once, as a member, a hole
 * or padding, where pahole's offsets and sizes put it; holes add up to pahole's `XXX N bytes hole`
 * lines and padding to its `padding: N`; each member's run starts with its name or a key that the
 * row's key list resolves to that name; members crossing a cacheline boundary are marked. The
 * coloured output is the same characters wrapped in SGR codes.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { CLI, CLI_ENV } from '../helpers/cli.js';
import { fixturePath, readExpected } from '../helpers/fixtures.js';
import { paholeBlocks, type PaholeBlock } from '../helpers/pahole-text.js';

function map(file: string, extra: string[], env: Record<string, string | undefined> = {}): string {
  const r = spawnSync(process.execPath, [CLI, 'show', fixturePath(file), '--format', 'map', ...extra], {
    encoding: 'utf8',
    maxBuffer: 256 << 20,
    env: { ...CLI_ENV, NO_COLOR: undefined, FORCE_COLOR: undefined, ...env },
  });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return r.stdout;
}

interface MapBlock {
  title: string;
  size: number;
  rows: { offset: number; left: string; cells: string; right: string; keys: Map<string, string> }[];
}

const ROW = /^\s*(\d+) ([|>])(.*)([|>])$/;

function parseMap(text: string): MapBlock[] {
  const blocks: MapBlock[] = [];
  let cur: MapBlock | undefined;
  for (const line of text.split('\n')) {
    const head = /^((?:struct|union|class) \S+): (\d+) bytes,/.exec(line);
    if (head) {
      cur = { title: head[1]!, size: Number(head[2]), rows: [] };
      blocks.push(cur);
      continue;
    }
    if (!cur || line === '') continue;
    const same = /^\s*\.\.\. (\d+) more rows like the one above \(bytes (\d+)\.\.(\d+)\)$/.exec(line);
    if (same) {
      // identical full rows printed once: every byte of them is the row above's
      const prev = cur.rows[cur.rows.length - 1]!;
      for (let k = 0; k < Number(same[1]); k++) cur.rows.push({ ...prev, offset: Number(same[2]) + k * (Number(same[3]) + 1 - Number(same[2])) / Number(same[1]) });
      continue;
    }
    const row = ROW.exec(line);
    if (row) {
      cur.rows.push({ offset: Number(row[1]), left: row[2]!, cells: row[3]!, right: row[4]!, keys: new Map() });
      continue;
    }
    const last = cur.rows[cur.rows.length - 1];
    if (!last || !/^\s/.test(line)) continue; // the ruler, the legend
    for (const entry of line.trim().split(/ {2,}/)) {
      if (!/^(\S=|0 bytes|\+ )/.test(entry) && last.keys.size) {
        // a long entry continued on the next line
        const k = [...last.keys.keys()].pop()!;
        last.keys.set(k, `${last.keys.get(k)} ${entry}`);
        continue;
      }
      const k = /^(\S)=(.*)$/.exec(entry);
      if (k) last.keys.set(k[1]!, k[2]!);
    }
  }
  return blocks;
}

type ByteClass = 'member' | 'hole' | 'padding';

/** Which bytes pahole's member lines cover, and the gaps between them (holes) and after them (padding). */
function expectedClasses(b: PaholeBlock): ByteClass[] {
  const cls: (ByteClass | undefined)[] = new Array(b.size).fill(undefined);
  const used = b.members.map((m): [number, number] => {
    if (m.bitWidth === undefined) return [m.offset, m.offset + m.size];
    const bit = m.offset * 8 + m.bitPos!;
    return [Math.floor(bit / 8), Math.ceil((bit + m.bitWidth) / 8)];
  });
  let end = 0;
  b.members.forEach((m, k) => {
    let [s, e] = used[k]!;
    // a bit-field's storage unit is its own up to the next plain member after it (pahole counts the
    // unused bits of a unit as bit holes, not byte holes)
    if (m.bitWidth !== undefined) {
      const next = b.members.slice(k + 1).find((n) => n.bitWidth === undefined && n.offset >= e)?.offset ?? b.size;
      // bits spilling past pahole's unit (combined with previous fields) end in the next unit-sized one
      const unitEnd = e > m.offset + m.size ? Math.ceil(e / m.size) * m.size : m.offset + m.size;
      e = Math.max(e, Math.min(unitEnd, next));
    }
    for (let i = s; i < Math.min(e, b.size); i++) cls[i] = 'member';
    end = Math.max(end, Math.min(e, b.size));
  });
  return cls.map((c, i) => c ?? (i < end ? 'hole' : 'padding'));
}

function drawnClasses(cells: string): ByteClass[] {
  return [...cells].map((c) => (c === '.' ? 'hole' : c === '~' ? 'padding' : 'member'));
}

/** The runs of one class in order: [class, length]. */
function runs(cls: ByteClass[], which: ByteClass): number[] {
  const out: number[] = [];
  let n = 0;
  cls.forEach((c, i) => {
    if (c === which) n++;
    if ((c !== which || i === cls.length - 1) && n) {
      out.push(n);
      n = 0;
    }
  });
  return out;
}

const CASES: [string, string][] = [
  ['virtio_net.ko', 'virtio_net.ko'],
  ['layout-plain.o', 'layout-plain.o'],
  ['diff-v1.o', 'diff-v1.o'],
  ['diff-v2.o', 'diff-v2.o'],
  ['layout-i386.o', 'layout-i386.o'],
  ['layout-s390x.o', 'layout-s390x.o'],
  ['layout-m68k.o', 'layout-m68k.o'],
];

describe('show --format map against pahole 1.24', () => {
  for (const [file, base] of CASES) {
    it(`${file}: every byte drawn once where pahole puts it, holes and padding as pahole counts them`, () => {
      const expected = readExpected(base, 'pahole.txt');
      if (!expected) return void console.warn(`skipped: no pahole golden for ${base}`);
      const pahole = paholeBlocks(expected).filter((b) => b.kind !== 'union');
      const drawn = new Map(parseMap(map(file, ['--width', '80'])).map((b) => [b.title, b]));
      expect(pahole.length).toBeGreaterThan(0);
      let checked = 0;
      for (const p of pahole) {
        const m = drawn.get(`${p.kind} ${p.name}`);
        expect(m, `${p.kind} ${p.name} has a map`).toBeDefined();
        expect(m!.size).toBe(p.size);
        // one row per cacheline, one cell per byte at 80 columns
        expect(m!.rows.map((r) => r.offset)).toEqual(Array.from({ length: Math.ceil(p.size / 64) }, (_, i) => i * 64));
        const cells = m!.rows.map((r) => r.cells).join('');
        expect(cells.length, `${p.name}: cells`).toBe(p.size);
        const cls = drawnClasses(cells);
        expect(cls, `${p.name}: bytes`).toEqual(expectedClasses(p));
        const bitfields = p.members.some((x) => x.bitWidth !== undefined);
        const nested = p.members.some((x) => x.name === null);
        // pahole's byte hole lines, in order, are the map's runs of '.'; its padding the run of '~'
        // (bit holes stay inside their storage unit)
        expect(runs(cls, 'hole'), `${p.name}: holes`).toEqual(p.holes.map((h) => h.size));
        if (!nested && !bitfields) expect(cls.filter((c) => c === 'padding').length, `${p.name}: padding`).toBe(p.padding);
        // each member's run starts with its name, or a key the row's list resolves to it
        for (const mem of p.members) {
          if (mem.bitWidth !== undefined || mem.size === 0 || mem.name === null) continue;
          const row = m!.rows[Math.floor(mem.offset / 64)]!;
          const col = mem.offset % 64;
          const label = row.cells.slice(col);
          const key = row.keys.get(label[0]!);
          const ok = (label.startsWith(mem.name) && label[mem.name.length] === '-') || key === mem.name;
          expect(ok, `${p.name}.${mem.name} at ${mem.offset}: '${label.slice(0, 12)}' key ${key}`).toBe(true);
          // crossing a cacheline boundary: marked on both rows
          const last = Math.floor((mem.offset + mem.size - 1) / 64);
          for (let line = Math.floor(mem.offset / 64); line < last; line++) {
            expect(m!.rows[line]!.right, `${p.name}.${mem.name} continues`).toBe('>');
            expect(m!.rows[line + 1]!.left).toBe('>');
          }
        }
        checked++;
      }
      expect(checked).toBe(pahole.length);
    });
  }

  it('virtnet_info: the five holes pahole reports sit right after the members it names', () => {
    const p = paholeBlocks(readExpected('virtio_net.ko', 'pahole.txt')!).find((b) => b.name === 'virtnet_info')!;
    const m = parseMap(map('virtio_net.ko', ['-C', 'virtnet_info', '--width', '80']))[0]!;
    const cells = m.rows.map((r) => r.cells).join('');
    expect(p.holes.length).toBe(5);
    for (const h of p.holes) {
      const before = p.members[h.afterMember]!;
      const at = before.offset + before.size;
      expect(cells.slice(at, at + h.size)).toBe('.'.repeat(h.size));
      expect(cells[at + h.size]).not.toBe('.');
    }
  });

  it('colour (FORCE_COLOR=1) wraps the same characters; NO_COLOR and pipes get none', () => {
    const plain = map('virtio_net.ko', ['-C', 'virtnet_info', '--width', '80']);
    expect(plain).not.toContain('\x1b');
    const coloured = map('virtio_net.ko', ['-C', 'virtnet_info', '--width', '80'], { FORCE_COLOR: '1' });
    expect(coloured).toContain('\x1b[');
    expect(coloured.replace(/\x1b\[[0-9;]*m/g, '')).toBe(plain);
    // holes in red, straddle markers in bold red
    expect(coloured).toMatch(/\x1b\[97;41m\.+\x1b\[0m/);
    expect(coloured).toContain('\x1b[1;31m>\x1b[0m');
    expect(map('virtio_net.ko', ['-C', 'virtnet_info'], { FORCE_COLOR: '1', NO_COLOR: '1' })).not.toContain('\x1b');
    // collapsed rows too: a member keeps its colour on every row
    const big = ['-C', 'task_struct,dev_pm_info', '--width', '80'];
    expect(map('virtio_net.ko', big, { FORCE_COLOR: '1' }).replace(/\x1b\[[0-9;]*m/g, '')).toBe(map('virtio_net.ko', big));
  });

  it('fits narrower and wider terminals: the row width follows --width, bytes per cell a power of two', () => {
    for (const [width, perCell] of [
      [40, 2],
      [30, 4],
      [150, 0.5],
    ] as const) {
      const blocks = parseMap(map('virtio_net.ko', ['-C', 'virtnet_info', '--width', String(width)]));
      const rows = blocks[0]!.rows;
      expect(rows.length).toBe(5);
      for (const r of rows.slice(0, -1)) {
        expect(r.cells.length).toBe(64 / perCell);
        expect(r.cells.length + String(r.offset).length + 3).toBeLessThanOrEqual(width);
      }
    }
  });

  it('rows entirely inside one large member are printed once and counted (task_struct.cpus_mask)', () => {
    const p = paholeBlocks(readExpected('virtio_net.ko', 'pahole.txt')!).find((b) => b.name === 'task_struct')!;
    const m = p.members.find((x) => x.name === 'cpus_mask')!;
    const first = Math.ceil(m.offset / 64) + 1; // the first row inside it is drawn, the next ones counted
    const last = Math.floor((m.offset + m.size) / 64) - 1;
    expect(last - first + 1).toBeGreaterThanOrEqual(2);
    const text = map('virtio_net.ko', ['-C', 'task_struct', '--width', '80']);
    expect(text).toContain(`... ${last - first + 1} more rows like the one above (bytes ${first * 64}..${(last + 1) * 64 - 1})`);
    expect(text).toContain(`${(first - 1) * 64} >cpus_mask---`);
  });

  it('--width below 20 is a usage error on one line (exit 64)', () => {
    const r = spawnSync(process.execPath, [CLI, 'show', fixturePath('virtio_net.ko'), '-C', 'virtnet_info', '--format', 'map', '--width', '5'], { encoding: 'utf8', env: CLI_ENV });
    expect(r.status).toBe(64);
    expect(r.stderr.trim().split('\n')).toEqual(['structscope: --width takes a whole number of at least 20 (try --help)']);
  });

  it('bit-fields are listed inside their storage unit', () => {
    const text = map('layout-plain.o', ['-C', 'bits', '--width', '80']);
    const p = paholeBlocks(readExpected('layout-plain.o', 'pahole.txt')!).find((b) => b.name === 'bits')!;
    const m = parseMap(text)[0]!;
    const keys = [...m.rows[0]!.keys.values()].join('\n');
    for (const mem of p.members.filter((x) => x.bitWidth !== undefined)) {
      expect(keys).toContain(`${mem.name}:${mem.bitWidth} @bit ${mem.bitPos}`);
      expect(keys).toContain(`unit at ${mem.offset}`);
    }
  });

  it('names from the binary cannot reach the terminal as control characters', async () => {
    const { renderMap } = await import('../../src/report/map.js');
    const { byteMap } = await import('../../src/layout/bytemap.js');
    const members = [{ name: 'x\x1b[31mevil', offset: 0, size: 8 }];
    const out = renderMap({ title: 'struct \x07t', map: byteMap({ kind: 'struct', size: 8, members }, 64), members }, { width: 80, color: false });
    expect(out).not.toMatch(/[\x00-\x09\x0b-\x1f]/);
  });
});
