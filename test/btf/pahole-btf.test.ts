/**
 * Text parity with `pahole -F btf` on BTF fixtures (fixtures/build-btf.sh; goldens by
 * fixtures/gen-expected.sh) and, when it exists, on the running kernel's /sys/kernel/btf/vmlinux
 * against live pahole 1.24 and 1.31.
 *
 * Both pahole versions' goldens are compared byte for byte, each in its own dialect (`--pahole`);
 * the running kernel's cacheline-group comment block (structscope's addition) is set aside.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadFile } from '../../src/load/index.js';
import { renderAll, renderSizes } from '../../src/pahole-text.js';
import { run as runCli } from '../helpers/cli.js';
import { withoutGroups } from '../helpers/groups.js';

/** The CLI in pahole 1.24's dialect, which the 1.24 goldens and live pahole 1.24 print. */
const run = (...args: string[]) => runCli('--pahole', '1.24', ...args);
import { fixturesDir } from '../helpers/fixtures.js';
import { splitBlocks } from '../report/builder.js';

const bin = (f: string) => join(fixturesDir, 'bin/btf', f);
const golden = (f: string) => join(fixturesDir, 'expected/btf', f);

/** The fixture, its base when split, and whether pahole 1.24 reads it. */
const FIXTURES: { file: string; base?: string; p124: boolean }[] = [
  { file: 'layout-plain-124.o', p124: true },
  { file: 'layout-plain-131.o', p124: true },
  { file: 'layout-s390x-131.o', p124: true }, // big-endian BTF
  { file: 'base.btf', p124: true }, // raw BTF file
  { file: 'module.btf', base: 'base.btf', p124: true }, // split BTF
  { file: 'btf_kinds.o', p124: false }, // type tags: pahole 1.24 prints <ERROR>
];

function ours(file: string, pahole: '1.24' | '1.31', base?: string) {
  const f = loadFile(file, { format: ['btf'], btfAlignment: { cachelineSize: 64, pahole }, ...(base ? { btfBase: base } : {}) });
  return { text: renderAll(f.table, { addressSize: f.info.addressSize, pahole }), sizes: renderSizes(f.table, { addressSize: f.info.addressSize, pahole }), file: f };
}

describe('pahole -F btf parity on fixtures', () => {
  for (const fx of FIXTURES) {
    const base = fx.base ? bin(fx.base) : undefined;
    it.runIf(fx.p124)(`${fx.file}: pahole 1.24, exact`, () => {
      const o = ours(bin(fx.file), '1.24', base);
      expect(o.file.diagnostics).toEqual([]);
      expect(o.text).toBe(readFileSync(golden(`${fx.file}.pahole124.txt`), 'utf8'));
      expect(o.sizes).toBe(readFileSync(golden(`${fx.file}.sizes124.txt`), 'utf8'));
    });
    it(`${fx.file}: pahole 1.31, exact`, () => {
      const o = ours(bin(fx.file), '1.31', base);
      const expected = readFileSync(golden(`${fx.file}.pahole131.txt`), 'utf8');
      expect(o.text).toBe(expected);
      expect(o.sizes).toBe(readFileSync(golden(`${fx.file}.sizes131.txt`), 'utf8'));
    });
  }

  it('the CLI reads BTF: -F btf on an ELF file, a raw file by its magic, --btf-base for split BTF', () => {
    expect(run('-F', 'btf', bin('layout-plain-124.o')).stdout).toBe(readFileSync(golden('layout-plain-124.o.pahole124.txt'), 'utf8'));
    expect(run(bin('base.btf')).stdout).toBe(readFileSync(golden('base.btf.pahole124.txt'), 'utf8'));
    const split = run('--btf-base', bin('base.btf'), bin('module.btf'));
    expect(split.stderr).toBe('');
    expect(split.stdout).toBe(readFileSync(golden('module.btf.pahole124.txt'), 'utf8'));
    // pahole's spelling of the option too
    expect(run('--btf_base', bin('base.btf'), bin('module.btf'), '--sizes').stdout).toBe(readFileSync(golden('module.btf.sizes124.txt'), 'utf8'));
  });

  it('-C reads only the named types and what they reach: the same blocks as the whole file', () => {
    const blocks = splitBlocks(readFileSync(golden('layout-plain-124.o.pahole124.txt'), 'utf8'));
    const names = ['kitchen_sink', 'arrays', 'pack1_bits', 'typedefs', 'ops'];
    const f = loadFile(bin('layout-plain-124.o'), { format: ['btf'], onlyNames: names });
    expect(f.partial).toBe(true);
    for (const name of names) {
      const block = blocks.find((b) => b.startsWith(`struct ${name} {`))!;
      expect(run('-F', 'btf', bin('layout-plain-124.o'), '-C', name).stdout, name).toBe(block + '\n');
    }
  });

  it('the DWARF is read by default where a file has both (pahole: dwarf before btf)', () => {
    const dwarf = readFileSync(join(fixturesDir, 'expected/layout-plain.o.pahole.txt'), 'utf8');
    expect(run(bin('layout-plain-124.o')).stdout).toBe(dwarf);
    expect(run('-F', 'dwarf,btf', bin('layout-plain-124.o')).stdout).toBe(dwarf);
    expect(run('-F', 'btf,dwarf', bin('layout-plain-124.o')).stdout).not.toBe(dwarf);
  });

  it('a file whose DWARF was stripped but whose .BTF was kept is read from BTF (pahole: dwarf, then btf)', () => {
    const f = bin('layout-plain-btf-only.o');
    expect(run(f).stdout).toBe(readFileSync(golden('layout-plain-124.o.pahole124.txt'), 'utf8'));
    expect(spawnSync('pahole', [f], { encoding: 'utf8' }).stdout || readFileSync(golden('layout-plain-124.o.pahole124.txt'), 'utf8')).toBe(readFileSync(golden('layout-plain-124.o.pahole124.txt'), 'utf8'));
    const d = run('-F', 'dwarf', f);
    expect(d.code).toBe(2);
    expect(d.stderr).toContain('no DWARF debug info');
  });

  it('a raw BTF file asked for as DWARF only is one error line, exit 2', () => {
    const r = run('-F', 'dwarf', bin('base.btf'));
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('base.btf');
  });

  it('split BTF without its base is an error naming the file', () => {
    const r = run('-F', 'btf', bin('module.btf'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/module\.btf.*offset 0x/);
  });
});

const VMLINUX = '/sys/kernel/btf/vmlinux';
const P131 = '/root/.cache/pahole-1.31/pahole';
const has124 = spawnSync('pahole', ['--version'], { encoding: 'utf8' }).stdout?.trim() === 'v1.24';
const has131 = existsSync(P131);

describe.skipIf(!existsSync(VMLINUX))(`the running kernel's BTF (${VMLINUX})`, () => {
  const paholeOut = (cmd: string, ...args: string[]) => spawnSync(cmd, ['-F', 'btf', ...args], { encoding: 'utf8', maxBuffer: 256 << 20 }).stdout;

  it.skipIf(!has124)('structscope with no file = pahole 1.24 -F btf /sys/kernel/btf/vmlinux (which warns about kinds it does not know)', () => {
    const r = run();
    expect(r.code).toBe(0);
    expect(withoutGroups(r.stdout)).toBe(paholeOut('pahole', VMLINUX));
  });

  it.skipIf(!has131)('pahole 1.31 -F btf, exact (the groups block aside)', () => {
    expect(withoutGroups(ours(VMLINUX, '1.31').text)).toBe(paholeOut(P131, VMLINUX));
    const r = runCli();
    expect(r.code).toBe(0);
    expect(withoutGroups(r.stdout)).toBe(paholeOut(P131, VMLINUX));
  });

  it.skipIf(!has124)('-C task_struct with no file', () => {
    expect(run('-C', 'task_struct').stdout).toBe(paholeOut('pahole', '-C', 'task_struct', VMLINUX));
  });

  it.skipIf(!has131)('-C of typedefs and enums: pahole -C finds any named type', () => {
    for (const names of ['spinlock_t', 'atomic_t', 'pid_type', 'task_struct,spinlock_t,pid_type']) {
      const r = runCli('-C', names, '--pahole', '1.31');
      expect(r.code, names).toBe(0);
      expect(r.stdout, names).toBe(paholeOut(P131, '-C', names, VMLINUX));
    }
  });
});
