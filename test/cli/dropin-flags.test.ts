import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from '../helpers/cli.js';
import { fixturePath } from '../helpers/fixtures.js';
import { withoutGroups } from '../helpers/groups.js';

// pahole's -I/--show_decl_info, -A/--nested_anon_include and --compile, checked against live pahole
// 1.24 and 1.31 and, for --compile, against real compilers: the C must compile, and an object
// compiled from it with -g must have the layouts of the original.

const upstream = process.env.PAHOLE131 ?? join(homedir(), '.cache/pahole-1.31/pahole');
const PAHOLES = [
  { dialect: '1.24', bin: 'pahole', missing: 'pahole 1.24 (Debian dwarves) not installed' },
  { dialect: '1.31', bin: upstream, missing: `pahole 1.31 not built (${upstream}; run fixtures/tools/pahole-upstream/build.sh)` },
] as const;

function present(bin: string, dialect: string): boolean {
  if (bin !== 'pahole' && !existsSync(bin)) return false;
  const v = spawnSync(bin, ['--version'], { encoding: 'utf8' });
  return v.status === 0 && v.stdout.trim() === `v${dialect}`;
}

function tool(bin: string): boolean {
  return spawnSync(bin, ['--version'], { encoding: 'utf8' }).status === 0;
}

const tmp = mkdtempSync(join(tmpdir(), 'structscope-compile-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** pahole -a -A prints an anonymous type at each of its occurrences; structscope's table holds identical ones once. */
function withoutRepeatedAnonymous(text: string): string {
  const blocks = text.split(/(?<=\n}[^\n]*;\n)/);
  const seen = new Set<string>();
  return blocks.filter((b) => !/^(struct|union) \{/.test(b) || (seen.has(b) ? false : (seen.add(b), true))).join('');
}

for (const { dialect, bin, missing } of PAHOLES) {
  const ok = present(bin, dialect);
  const pahole = (...args: string[]): string => spawnSync(bin, ['-F', 'dwarf', ...args], { encoding: 'utf8', maxBuffer: 256 << 20 }).stdout;
  const ours = (...args: string[]) => run(...args, '--pahole', dialect);

  describe.skipIf(!ok)(`-I and -A against live pahole ${dialect}${ok ? '' : `: skipped, ${missing}`}`, () => {
    // gcc's and clang's C objects: clang nests anonymous member types in the struct, where pahole
    // prints -I lines for them too, and names DWARF 5's file 0, which elfutils prints as (null)
    const files = ['layout-plain.o', 'layout-dwarf4.o', 'layout-i386.o', 'layout-aarch64.o', 'reorg-x86_64.o', 'virtio_net.ko', 'layout-clang-dwarf5.o', 'layout-clang-dwarf4.o'];

    it('-I on whole files and with -C: the same bytes', () => {
      for (const f of files) {
        const path = fixturePath(f);
        expect(withoutGroups(ours('-I', path).stdout), `${f} -I`).toBe(pahole('-I', path));
        const names = f === 'virtio_net.ko' ? 'virtnet_info,send_queue' : 'holes,with_anon';
        expect(ours('-I', '-C', names, path).stdout, `${f} -I -C`).toBe(pahole('-I', '-C', names, path));
      }
    });

    it('-a -A: the same bytes, each identical anonymous type once', () => {
      for (const f of ['layout-plain.o', 'layout-clang-dwarf5.o', 'layout-i386.o', 'reorg-x86_64.o']) {
        const path = fixturePath(f);
        expect(ours('-a', '-A', path).stdout, `${f} -a -A`).toBe(withoutRepeatedAnonymous(pahole('-a', '-A', path)));
      }
      // -A alone changes nothing, in pahole too; structscope says so
      const alone = ours('-A', fixturePath('reorg-x86_64.o'));
      expect(alone.stdout).toBe(pahole('-A', fixturePath('reorg-x86_64.o')));
      expect(alone.stderr).toMatch(/only adds to --anon_include/);
    });

    it('-a -C: only the typedefs -C names, in -C order, on gcc and clang objects', () => {
      for (const f of ['layout-dwarf4.o', 'layout-clang-dwarf5.o', 'typedefs.o']) {
        const path = fixturePath(f);
        for (const names of ['ops', 'point_t,ops', 'ops,point_t', 'anon_t,named,anon_union_t']) {
          for (const a of [['-a'], ['-a', '-A']]) expect(ours(...a, '-C', names, path).stdout, `${f} ${a.join(' ')} -C ${names}`).toBe(pahole(...a, '-C', names, path));
        }
      }
    });
  });
}

describe('-I on BTF', () => {
  it('warns once that BTF has no declarations and prints the layouts without them', () => {
    const r = run('-I', '-F', 'btf', '-C', 'holes', fixturePath('btf/layout-plain-btf-only.o'));
    expect(r.stderr.match(/BTF records no declaration/g)?.length ?? 0).toBe(1);
    expect(r.stdout).toMatch(/^struct holes \{/);
  });
});

/** A layout's facts from show --format json: size and, recursively, member names, offsets, sizes and bit-fields. */
function layouts(path: string): Map<string, string> {
  type M = { name?: string; offset: number; size: number; bitOffset?: number; bitSize?: number; members?: M[] };
  const facts = (ms: M[] | undefined): unknown[] => (ms ?? []).map((m) => [m.name, m.offset, m.size, m.bitOffset, m.bitSize, facts(m.members)]);
  const doc = JSON.parse(run('--format', 'json', path).stdout) as { files: { types: (M & { kind: string; name: string })[] }[] };
  const out = new Map<string, string>();
  for (const t of doc.files[0]!.types) if (!out.has(`${t.kind} ${t.name}`)) out.set(`${t.kind} ${t.name}`, JSON.stringify([t.size, facts(t.members)]));
  return out;
}

/**
 * Types whose layout comes from attributes pahole's text cannot carry (it infers only __packed__
 * and __aligned__ of whole structs and of members): #pragma pack(2), packed with aligned, a packed
 * member, a typedef lowering alignment, unnamed bit-fields that align; bvec_iter is `__packed
 * __aligned(4)`, printed as packed only. pahole 1.31's --compile loses them the same way.
 */
const UNCARRIED = new Set(['struct unnamed_bits', 'struct zero_width', 'struct aligned_members', 'struct packed_aligned', 'struct member_packed', 'struct pack2', 'struct pack4', 'struct bvec_iter']);

describe('--compile', () => {
  const CASES = [
    { f: 'layout-plain.o', cc: 'gcc' },
    { f: 'layout-i386.o', cc: 'i686-linux-gnu-gcc-12' },
    { f: 'layout-clang-dwarf5.o', cc: 'clang-19' },
    { f: 'virtio_net.ko', cc: 'gcc' },
    { f: 'bmi160_core.ko', cc: 'gcc' },
    { f: 'reorg-x86_64.o', cc: 'gcc' },
    { f: 'atomic-plain.o', cc: 'gcc' },
  ];
  for (const { f, cc } of CASES) {
    it.skipIf(!tool(cc) || !tool('gcc') || !tool('clang-19'))(`${f}: compiles with gcc and clang-19; ${cc} -g of it gives the same layouts${tool(cc) && tool('clang-19') ? '' : ` (skipped: ${cc} or clang-19 not installed)`}`, () => {
      const r = run('--compile', fixturePath(f));
      expect(r.code, r.stderr).toBe(0);
      const c = join(tmp, `${f}.c`);
      writeFileSync(c, r.stdout);
      for (const compiler of ['gcc', 'clang-19']) {
        if (f === 'layout-i386.o' && compiler !== 'gcc') continue; // an i386 file: its own compiler below
        const out = spawnSync(compiler, ['-c', '-x', 'c', c, '-o', join(tmp, 'check.o')], { encoding: 'utf8' });
        expect(out.status, `${compiler} ${f}: ${out.stderr}`).toBe(0);
      }
      const obj = join(tmp, `${f}.recompiled.o`);
      const built = spawnSync(cc, ['-g', '-fno-eliminate-unused-debug-types', '-c', '-x', 'c', c, '-o', obj], { encoding: 'utf8' });
      expect(built.status, built.stderr).toBe(0);
      const before = layouts(fixturePath(f));
      const after = layouts(obj);
      const differ = [...before].filter(([k, v]) => after.get(k) !== v).map(([k]) => k);
      expect(differ.filter((k) => !UNCARRIED.has(k)), `${f}: layouts not reproduced`).toEqual([]);
      expect(before.size - differ.length).toBeGreaterThan(before.size / 2);
    });
  }

  it.skipIf(!tool('gcc'))('BTF input compiles too', () => {
    const r = run('--compile', '-F', 'btf', fixturePath('btf/layout-plain-btf-only.o'));
    expect(r.code, r.stderr).toBe(0);
    const c = join(tmp, 'btf.c');
    writeFileSync(c, r.stdout);
    const out = spawnSync('gcc', ['-c', '-x', 'c', c, '-o', join(tmp, 'btf.o')], { encoding: 'utf8' });
    expect(out.status, out.stderr).toBe(0);
  });

  it('-C: only the selected types and what they need; a type already printed is printed once', () => {
    const r = run('--compile', '-C', 'named_pair,ops,named_pair', fixturePath('layout-plain.o'));
    expect(r.code).toBe(0);
    expect(r.stdout.match(/^typedef struct \{$/gm)?.length).toBe(1); // point_t, for named_pair
    expect(r.stdout).toMatch(/^struct ops;$/m); // ops points to itself
    expect(r.stdout).toContain('(*arr_of_fn[2])(int);');
    expect(r.stdout).not.toMatch(/struct holes/);
  });

  it('is a usage error with --format json, --sizes and -E', () => {
    for (const extra of [['--format', 'json'], ['--sizes'], ['-E']]) expect(run('--compile', ...extra, fixturePath('layout-plain.o')).code).toBe(64);
  });

  const ok = present(upstream, '1.31');
  describe.skipIf(!ok)(`against live pahole 1.31 --compile${ok ? '' : `: skipped, ${PAHOLES[1].missing}`}`, () => {
    const pahole = (...args: string[]): string => spawnSync(upstream, ['-F', 'dwarf', '--compile', ...args], { encoding: 'utf8', maxBuffer: 256 << 20 }).stdout;
    /** pahole's two spellings that are not C, as structscope prints them (README: "--compile"). */
    const asC = (text: string): string =>
      text
        .replace(/\(\*(\w+)\)(\([^)]*\))((?:\[\d*\])+);/g, '(*$1$3)$2;')
        .replace(/\bcomplex (float|double)( +)/g, (_, t: string, pad: string) => `_Complex ${t}${pad.length > 1 ? pad.slice(1) : pad}`);

    it('the same text as pahole 1.31 where pahole prints C', () => {
      for (const f of ['layout-plain.o', 'layout-i386.o', 'reorg-x86_64.o', 'atomic-plain.o']) {
        const path = fixturePath(f);
        expect(run('--compile', path).stdout, f).toBe(asC(pahole(path)));
      }
      const names = 'virtnet_info,send_queue,receive_queue,net_device,virtio_net_config';
      expect(withoutGroups(run('--compile', '-C', names, fixturePath('virtio_net.ko')).stdout)).toBe(pahole('-C', names, fixturePath('virtio_net.ko')));
    });
  });
});
