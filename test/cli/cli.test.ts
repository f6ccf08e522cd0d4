import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run, schemaValidator } from '../helpers/cli.js';
import { fixtureManifest, fixturePath, readExpected, repoRoot } from '../helpers/fixtures.js';

const KO = fixturePath('virtio_net.ko');
const PLAIN = fixturePath('layout-plain.o');


const validate = schemaValidator('show');

/** pahole's blocks of a golden dump, keyed by their first line. */
function goldenBlock(base: string, header: string): string {
  const text = readExpected(base, 'pahole.txt')!;
  const start = text.indexOf(`${header}\n`);
  expect(start).toBeGreaterThanOrEqual(0);
  const close = /\n}[^\n]*\n/g; // the block ends at the first `}` in column 0
  close.lastIndex = start;
  const m = close.exec(text)!;
  return text.slice(start, m.index + m[0].length);
}

describe('structscope show (the built CLI)', () => {
  it('prints the whole module exactly as pahole does', () => {
    const r = run(KO, '--pahole', '1.24');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(readExpected('virtio_net.ko', 'pahole.txt'));
  });

  it('`show` is the default command and -C selects exact names', () => {
    const a = run('show', KO, '-C', 'virtnet_info,receive_queue', '--pahole', '1.24');
    expect(a.code).toBe(0);
    // like pahole: in the order of the arguments
    expect(a.stdout).toBe(goldenBlock('virtio_net.ko', 'struct virtnet_info {') + goldenBlock('virtio_net.ko', 'struct receive_queue {'));
    expect(run(KO, '-C', 'virtnet_info', '--pahole', '1.24').stdout).toBe(goldenBlock('virtio_net.ko', 'struct virtnet_info {'));
  });

  it("pahole's order works: -C NAME, -x PREFIX and other list options before the file", () => {
    const block = goldenBlock('virtio_net.ko', 'struct virtnet_info {');
    expect(run('-C', 'virtnet_info', KO, '--pahole', '1.24')).toEqual({ code: 0, stdout: block, stderr: '' });
    expect(run('show', '-C', 'virtnet_info', KO, '--pahole', '1.24').stdout).toBe(block);
    // repeated -C adds names; each value may hold commas
    const both = run('-C', 'virtnet_info', '-C', 'receive_queue,send_queue', KO, '--sizes');
    expect(both.stdout.trim().split('\n').map((l) => l.split('\t')[0]).sort()).toEqual(['receive_queue', 'send_queue', 'virtnet_info']);
    const excluded = run('-x', 'virtnet', KO, '--sizes');
    expect(excluded.code).toBe(0);
    expect(excluded.stdout).not.toMatch(/^virtnet/m);
    expect(excluded.stdout).toMatch(/^send_queue\t/m);
    expect(run('reorg', '-C', 'virtnet_info', KO).stdout).toBe(run('reorg', KO, '-C', 'virtnet_info').stdout);
    const d = run('diff', '-C', 'virtnet_info', KO, KO);
    expect(d.code).toBe(0);
    expect(d.stdout).toMatch(/1 unchanged/);
  });

  it('-C /REGEX/ selects by pattern', () => {
    const r = run(KO, '-C', '/^virtnet_.*stats$/', '--sizes');
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n').map((l) => l.split('\t')[0])).toEqual(['virtnet_sq_stats', 'virtnet_rq_stats']);
  });

  it('a -C name that matches nothing exits 1, unless --skip-missing', () => {
    const r = run(KO, '-C', 'virtnet_info,no_such_struct');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`structscope: ${KO}: no type matches 'no_such_struct'\n`);
    expect(r.stdout).toContain('struct virtnet_info {');
    expect(run(KO, '-C', 'no_such_struct', '--skip-missing').code).toBe(0);
  });

  it('--sizes agrees with pahole --sizes on every fixture pahole can read', () => {
    let compared = 0;
    for (const fx of fixtureManifest()) {
      const golden = fx.paholeReadable ? readExpected(fx.base, 'sizes.txt') : undefined;
      if (golden === undefined) continue;
      expect(run(fx.path, '--sizes').stdout, fx.base).toBe(golden);
      compared++;
    }
    expect(compared).toBeGreaterThan(15);
  });

  it('--packable agrees with pahole --packable, and combines with -C', () => {
    for (const base of ['virtio_net.ko', 'layout-plain.o', 'layout-i386.o']) {
      const golden = readFileSync(join(repoRoot, 'fixtures/expected', `${base}.packable.txt`), 'utf8');
      expect(run(fixturePath(base), '--packable').stdout, base).toBe(golden);
    }
    const one = run(KO, '--packable', '-C', 'virtnet_info').stdout;
    expect(one).toMatch(/^virtnet_info\t304\t\d+\t\d+\n$/);
  });

  it('--structs, --unions, --exclude and --holes filter', () => {
    const unions = run(PLAIN, '--unions', '--sizes').stdout.trim().split('\n');
    const structs = run(PLAIN, '--structs', '--sizes').stdout.trim().split('\n');
    const all = run(PLAIN, '--sizes').stdout.trim().split('\n');
    expect(unions.length).toBeGreaterThan(0);
    expect(unions.length + structs.length).toBe(all.length);
    expect(run(PLAIN, '-C', '/^u/', '--structs', '--sizes').stdout).not.toMatch(/^union_/m);
    const excluded = run(KO, '--exclude', 'virtnet_', '--sizes').stdout;
    expect(excluded).not.toMatch(/^virtnet_/m);
    expect(excluded).toMatch(/^receive_queue\t/m);
    const holey = run(KO, '--holes', '4', '--sizes').stdout.trim().split('\n');
    expect(holey.length).toBeGreaterThan(0);
    for (const line of holey) expect(Number(line.split('\t')[2])).toBeGreaterThanOrEqual(4);
  });

  it('a name defined twice: -C prints the first, like pahole; --all-definitions prints both', () => {
    const exe = fixturePath('dup-exe');
    const golden = readExpected('dup-exe', 'pahole.txt')!;
    const [first, second] = golden.split(/(?=^struct dup \{)/m).filter((b) => b.startsWith('struct dup {'));
    const firstBlock = first!.slice(0, first!.indexOf('\n};\n') + 4);
    expect(run(exe, '-C', 'dup', '--pahole', '1.24').stdout).toBe(firstBlock);
    expect(run(exe, '-C', 'dup', '--all-definitions', '--pahole', '1.24').stdout).toBe(firstBlock + second);
  });

  it('several files: each under a header naming it', () => {
    const r = run(PLAIN, KO, '-C', 'virtnet_info', '--skip-missing');
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith(`==> ${PLAIN} <==\n==> ${KO} <==\nstruct virtnet_info {`)).toBe(true);
  });

  it('--format json validates against the shipped schema', () => {
    for (const f of [KO, PLAIN, fixturePath('layout-ppc64.o'), fixturePath('inherit-cxx.o')]) {
      const r = run(f, '--format', 'json');
      expect(r.code).toBe(0);
      const doc = JSON.parse(r.stdout);
      const ok = validate(doc);
      expect(validate.errors ?? []).toEqual([]);
      expect(ok).toBe(true);
      expect(doc.files[0].types.length).toBeGreaterThan(0);
    }
    const info = JSON.parse(run(KO, '-C', 'virtnet_info', '--format', 'json').stdout).files[0];
    expect(info).toMatchObject({ machine: 'x86_64', elfClass: 64, endianness: 'little', dwarfVersions: [5] });
    const t = info.types[0];
    expect(t).toMatchObject({ kind: 'struct', name: 'virtnet_info', size: 304, cachelines: 5, decl: { file: 'drivers/net/virtio_net.c' } });
    expect(t.summary.holes).toBe(t.holes.filter((h: { kind: string }) => h.kind === 'byte').length);
  });

  it('--format table lists the selected types, sortable', () => {
    const r = run(KO, '-C', '/^virtnet_/', '--format', 'table', '--sort', 'size');
    expect(r.code).toBe(0);
    const rows = r.stdout.split('\n').filter((l) => l.includes('struct '));
    expect(rows[0]).toContain('virtnet_info');
    expect(rows.length).toBe(4);
    // the savings column is pahole --packable's: virtnet_info 304 -> 288
    expect(rows[0]!.split('│').map((c) => c.trim()).filter(Boolean).at(-1)).toBe('16');
    const bySavings = run(KO, '-C', '/^virtnet_/', '--format', 'table', '--sort', 'savings').stdout.split('\n').filter((l) => l.includes('struct '));
    expect(bySavings[0]).toContain('virtnet_info');
  });

  it('errors: one line, no stack trace, exit 2 for unreadable input and 1 for usage', () => {
    const missing = run('/no/such/file');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^structscope: \/no\/such\/file: .*\n$/);
    const notElf = run(join(repoRoot, 'package.json'));
    expect(notElf.code).toBe(2);
    expect(notElf.stderr).toMatch(/package\.json: offset 0x0: not an ELF file/);
    const noDebug = run('/bin/true'); // Debian ships its binaries stripped
    expect(noDebug.code).toBe(2);
    expect(noDebug.stderr).toMatch(/no DWARF debug info/);
    // no FILE at all reads /sys/kernel/btf/vmlinux, as pahole does (test/btf/pahole-btf.test.ts)
    for (const args of [['--bogus', KO], ['check'], [KO, '--structs', '--unions'], [KO, '-C', '/[/']]) {
      const r = run(...args);
      expect(r.code).toBe(64); // EX_USAGE: never a finding's code
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).not.toMatch(/\bat .*\.js:\d+/);
    }
  });
});
