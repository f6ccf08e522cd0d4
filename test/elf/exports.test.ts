/**
 * Exported symbols (src/elf/exports.ts through src/load/exports.ts) on real binaries, against
 * binutils:
 * - .dynsym: `readelf --dyn-syms -W` (defined GLOBAL/WEAK FUNC/OBJECT/TLS, not HIDDEN/INTERNAL)
 *   and `nm -D --defined-only`;
 * - __ksymtab*: what `readelf -S/-s/-p` say independently of the table bytes and relocations
 *   we decode: one `__ksymtab_NAME` symbol per entry in a `__ksymtab`/`__ksymtab_gpl` section,
 *   its namespace at the `__kstrtabns_NAME` symbol in `__ksymtab_strings`, its kind from the
 *   STT of NAME; and, for RELA objects, the relocation `readelf -r` shows on each name field.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { kernelExports, openElf, type ElfFile } from '../../src/elf/index.js';
import { readExports, type FileExports } from '../../src/load/exports.js';
import { versionedName } from '../../src/report/exports.js';
import { fixture, hasReadelf, removeTmpFiles, tmpFile } from './helpers.js';

const hasNm = spawnSync('nm', ['--version'], { encoding: 'utf8' }).status === 0;

function run(tool: string, ...args: string[]): string {
  const r = spawnSync(tool, args, { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`${tool} ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

const opened: ElfFile[] = [];
afterAll(() => opened.forEach((e) => e.close()));
function exportsOf(name: string): FileExports {
  const elf = openElf(fixture(name));
  opened.push(elf);
  return readExports(elf);
}

interface Sym {
  num: number;
  value: bigint;
  size: number;
  type: string;
  bind: string;
  vis: string;
  ndx: string;
  name: string;
  /** The name as printed, with its @VERSION / @@VERSION suffix. */
  printed: string;
}

/** Rows of `readelf -s -W` / `--dyn-syms -W` (version suffixes stripped). */
function readelfSymbols(file: string, which: '-s' | '--dyn-syms'): Sym[] {
  const out: Sym[] = [];
  for (const line of run('readelf', which, '-W', file).split('\n')) {
    const m = /^\s*(\d+): ([0-9a-f]+)\s+(\d+|0x[0-9a-f]+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s*(.*)$/.exec(line);
    if (!m) continue;
    out.push({
      num: Number(m[1]),
      value: BigInt('0x' + m[2]!),
      size: Number(m[3]),
      type: m[4]!,
      bind: m[5]!,
      vis: m[6]!,
      ndx: m[7]!,
      name: m[8]!.replace(/@.*$/, '').replace(/ \(\d+\)$/, ''),
      printed: m[8]!.replace(/ \(\d+\)$/, ''),
    });
  }
  return out;
}

/** Section names by index, from `readelf -S -W`. */
function readelfSectionNames(file: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const line of run('readelf', '-S', '-W', file).split('\n')) {
    const r = /^\s*\[\s*(\d+)\]\s(\S+)/.exec(line);
    if (r) m.set(r[1]!, r[2]!);
  }
  return m;
}

/** sh_addr of a section, from `readelf -S -W`. */
function readelfSectionAddr(file: string, section: string): bigint {
  for (const line of run('readelf', '-S', '-W', file).split('\n')) {
    const r = /^\s*\[\s*\d+\]\s(\S+)\s+\S+\s+([0-9a-f]+)\s/.exec(line);
    if (r && r[1] === section) return BigInt('0x' + r[2]!);
  }
  throw new Error(`${file}: no section ${section}`);
}

/** Strings of `readelf -p SECTION` by offset. */
function readelfStrings(file: string, section: string): Map<number, string> {
  const m = new Map<number, string>();
  for (const line of run('readelf', '-p', section, file).split('\n')) {
    const r = /^\s*\[\s*([0-9a-f]+)\]\s\s(.*)$/.exec(line);
    if (r) m.set(parseInt(r[1]!, 16), r[2]!);
  }
  return m;
}

const KIND: Record<string, 'function' | 'object' | undefined> = { FUNC: 'function', IFUNC: 'function', OBJECT: 'object', TLS: 'object', COMMON: 'object' };

/** The exports binutils' view of a kernel file implies (see the file comment). */
function expectedKernelExports(file: string): { name: string; kind: string | undefined; gplOnly: boolean; namespace: string | undefined }[] {
  const sections = readelfSectionNames(file);
  const syms = readelfSymbols(file, '-s');
  const strings = readelfStrings(file, '__ksymtab_strings');
  const stringsAddr = readelfSectionAddr(file, '__ksymtab_strings');
  const byName = new Map<string, Sym>();
  for (const s of syms) if (s.ndx !== 'UND' && KIND[s.type]) byName.set(s.name, s);
  const ns = new Map(syms.filter((s) => s.name.startsWith('__kstrtabns_')).map((s) => [s.name.slice('__kstrtabns_'.length), s.value]));
  const out = [];
  for (const s of syms) {
    const sec = sections.get(s.ndx) ?? '';
    const gpl = sec === '__ksymtab_gpl' || sec.startsWith('___ksymtab_gpl+');
    const table = gpl || sec === '__ksymtab' || sec.startsWith('___ksymtab+');
    if (!table || s.type === 'SECTION' || !s.name.startsWith('__ksymtab_')) continue;
    const name = s.name.slice('__ksymtab_'.length);
    const nsOffset = ns.get(name);
    const namespace = nsOffset === undefined ? undefined : strings.get(Number(nsOffset - stringsAddr)) || undefined;
    out.push({ name, kind: KIND[byName.get(name)?.type ?? ''], gplOnly: gpl, namespace });
  }
  return out;
}

const byName = (a: { name: string }, b: { name: string }): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
const plain = (r: FileExports) => r.exports.map((e) => ({ name: e.name, kind: e.kind, gplOnly: e.gplOnly, namespace: e.namespace })).sort(byName);

describe.skipIf(!hasReadelf)('.dynsym exports of a shared library', () => {
  const file = 'libexports.so';
  it('equal readelf --dyn-syms: defined global/weak functions and objects, not hidden', () => {
    const r = exportsOf(file);
    expect(r.source).toBe('dynamic');
    const want = readelfSymbols(fixture(file), '--dyn-syms')
      .filter((s) => s.ndx !== 'UND' && (s.bind === 'GLOBAL' || s.bind === 'WEAK') && KIND[s.type] && s.vis !== 'HIDDEN' && s.vis !== 'INTERNAL')
      .map((s) => ({ name: s.name, kind: KIND[s.type], binding: s.bind.toLowerCase(), address: s.value }))
      .sort(byName);
    const got = r.exports.map((e) => ({ name: e.name, kind: e.kind, binding: e.binding, address: e.address })).sort(byName);
    expect(got).toEqual(want);
    expect(got.map((e) => e.name)).toEqual(expect.arrayContaining(['lib_distance', 'lib_origin', 'lib_tls_errno', 'lib_weak_tunable', 'lib_protected_total', 'lib_log']));
  });

  it('leave out what .symtab has but the library does not export (static, hidden, internal, undefined)', () => {
    const names = new Set(exportsOf(file).exports.map((e) => e.name));
    const symtab = new Set(readelfSymbols(fixture(file), '-s').map((s) => s.name));
    for (const n of ['lib_static_helper', 'lib_hidden_helper', 'lib_internal_helper', 'lib_hidden_table']) {
      expect(symtab.has(n), `${n} in .symtab`).toBe(true);
      expect(names.has(n), n).toBe(false);
    }
    expect(names.has('puts')).toBe(false);
  });

  it.skipIf(!hasNm)('equal nm -D --defined-only (less absolute symbols)', () => {
    const want = run('nm', '-D', '--defined-only', fixture(file))
      .split('\n')
      .map((l) => /^[0-9a-f]+ ([A-Za-z]) (\S+)$/.exec(l))
      .filter((m): m is RegExpExecArray => m !== null && m[1] !== 'A')
      .map((m) => m[2]!.replace(/@.*$/, ''))
      .sort();
    expect(exportsOf(file).exports.map((e) => e.name).sort()).toEqual(want);
  });
});

describe.skipIf(!hasReadelf)('.dynsym exports of a versioned shared library', () => {
  const file = 'libexports-versioned.so';
  it('name@VERSION / name@@VERSION equal readelf --dyn-syms and nm -D --defined-only', () => {
    const r = exportsOf(file);
    const got = r.exports.map(versionedName).sort();
    const want = readelfSymbols(fixture(file), '--dyn-syms')
      .filter((s) => s.ndx !== 'UND' && s.ndx !== 'ABS' && (s.bind === 'GLOBAL' || s.bind === 'WEAK') && KIND[s.type])
      .map((s) => s.printed)
      .sort();
    expect(got).toEqual(want);
    expect(got).toEqual(['vlib_call@@VLIB_2.0', 'vlib_call@VLIB_1.0', 'vlib_data@@VLIB_1.0', 'vlib_new@@VLIB_2.0', 'vlib_state@@VLIB_2.0']);
    if (hasNm) {
      const nm = run('nm', '-D', '--defined-only', fixture(file))
        .split('\n')
        .map((l) => /^[0-9a-f]+ ([A-Za-z]) (\S+)$/.exec(l))
        .filter((m): m is RegExpExecArray => m !== null && m[1] !== 'A')
        .map((m) => m[2]!)
        .sort();
      expect(got).toEqual(nm);
    }
  });

  it('an unversioned library has no versions', () => {
    expect(exportsOf('libexports.so').exports.every((e) => e.version === undefined)).toBe(true);
  });
});

/** Kernel fixtures and the kernel_symbol layout each must be read with (undefined: not asserted). */
const KERNEL: [file: string, layout: { relative: boolean; hasNamespace: boolean; entrySize: number } | undefined][] = [
  ['ksymtab-rel3-x86_64.o', { relative: true, hasNamespace: true, entrySize: 12 }],
  ['ksymtab-rel2-x86_64.o', { relative: true, hasNamespace: false, entrySize: 8 }],
  ['ksymtab-abs3-x86_64.o', { relative: false, hasNamespace: true, entrySize: 24 }],
  ['ksymtab-abs2-x86_64.o', { relative: false, hasNamespace: false, entrySize: 16 }],
  // 32-bit objects: relative and absolute entries have the same size and, read through their
  // relocations, the same meaning; the layout is not decidable and not asserted
  ['ksymtab-rel3-i386.o', undefined],
  ['ksymtab-abs2-i386.o', undefined],
  ['ksymtab-rel3-aarch64.o', { relative: true, hasNamespace: true, entrySize: 12 }],
  ['ksymtab-abs3-s390x.o', { relative: false, hasNamespace: true, entrySize: 24 }],
  ['ksymtab-rel3-x86_64-linked', { relative: true, hasNamespace: true, entrySize: 12 }],
  ['ksymtab-abs3-x86_64-linked', { relative: false, hasNamespace: true, entrySize: 24 }],
  ['ksymtab-abs2-i386-linked', { relative: false, hasNamespace: false, entrySize: 8 }],
  ['ksymtab-abs3-s390x-linked', { relative: false, hasNamespace: true, entrySize: 24 }],
  ['bmi160_core.ko', { relative: true, hasNamespace: true, entrySize: 12 }],
];

describe.skipIf(!hasReadelf)('__ksymtab exports', () => {
  for (const [file, layout] of KERNEL) {
    it(`${file}: equal the __ksymtab_NAME / __kstrtabns_NAME symbols readelf lists`, () => {
      const r = exportsOf(file);
      expect(r.source).toBe('kernel');
      expect(r.diagnostics).toEqual([]);
      const want = expectedKernelExports(fixture(file)).sort(byName);
      expect(want.length).toBeGreaterThan(0);
      expect(plain(r)).toEqual(want);
      expect([...(r.ksymtabSymbols ?? [])].sort()).toEqual(want.map((e) => e.name));
      if (layout) for (const l of r.layouts!.values()) expect(l).toEqual(layout);
    });
  }

  it('the fixture objects export what src/ksymtab.c says', () => {
    const r = exportsOf('ksymtab-rel3-x86_64.o');
    expect(plain(r)).toEqual([
      { name: 'kfx_asm_func', kind: 'function', gplOnly: false, namespace: undefined },
      { name: 'kfx_counter', kind: 'object', gplOnly: true, namespace: undefined },
      { name: 'kfx_devices', kind: 'object', gplOnly: false, namespace: undefined },
      { name: 'kfx_func', kind: 'function', gplOnly: false, namespace: undefined },
      { name: 'kfx_gpl_probe', kind: 'function', gplOnly: true, namespace: undefined },
      { name: 'kfx_ns_helper', kind: 'function', gplOnly: true, namespace: 'KFX_NS' },
    ]);
  });

  it('bmi160_core.ko: each name field is the R_X86_64_PC32 relocation readelf -r shows against __kstrtab_NAME', () => {
    const file = fixture('bmi160_core.ko');
    const want: string[] = [];
    let section = '';
    for (const line of run('readelf', '-r', '-W', file).split('\n')) {
      const head = /^Relocation section '([^']+)'/.exec(line);
      if (head) section = head[1]!;
      const m = /^([0-9a-f]+)\s+[0-9a-f]+\s+R_X86_64_PC32\s+[0-9a-f]+\s+__kstrtab_(\S+) \+ 0$/.exec(line);
      if (m && /^\.rela__ksymtab(_gpl)?$/.test(section) && parseInt(m[1]!, 16) % 12 === 4) want.push(m[2]!);
    }
    const r = exportsOf('bmi160_core.ko');
    expect(r.exports.map((e) => e.name)).toEqual(want);
    expect(r.exports.filter((e) => e.namespace === 'IIO_BMI160')).toHaveLength(3);
    expect(r.exports.filter((e) => e.gplOnly).map((e) => e.name)).toEqual(['bmi160_core_probe']);
  });

  it('linked files: each address is the symbol value readelf -s gives', () => {
    for (const file of ['ksymtab-rel3-x86_64-linked', 'ksymtab-abs3-x86_64-linked', 'ksymtab-abs2-i386-linked', 'ksymtab-abs3-s390x-linked']) {
      const values = new Map(readelfSymbols(fixture(file), '-s').map((s) => [s.name, s.value]));
      for (const e of exportsOf(file).exports) expect(e.address, `${file} ${e.name}`).toBe(values.get(e.name));
    }
  });

  it('virtio_net.ko exports nothing (no __ksymtab sections), read as kernel code', () => {
    const r = exportsOf('virtio_net.ko');
    expect(r.source).toBe('kernel');
    expect(r.exports).toEqual([]);
    expect(readelfSectionNames(fixture('virtio_net.ko'))).not.toContain('__ksymtab');
  });
});

describe('malformed __ksymtab (synthetic bytes)', () => {
  const strings = { index: 2, name: '__ksymtab_strings', addr: 0x2000n, fileOffset: 0x200, bytes: new TextEncoder().encode('foo\0NS\0') };
  const input = (table: Uint8Array) => ({
    elfClass: 64 as const,
    littleEndian: true,
    relocatable: false,
    tables: [{ index: 1, name: '__ksymtab', addr: 0x1000n, fileOffset: 0x100, bytes: table }],
    strings: [strings],
    symbols: [],
  });
  /** One relative entry at 0x1000: value, name → "foo", namespace → "NS" (or as given). */
  function entry(nameAt: number, nsAt: number | null): Uint8Array {
    const b = new Uint8Array(12);
    const dv = new DataView(b.buffer);
    dv.setInt32(0, 0x10, true);
    dv.setInt32(4, 0x2000 + nameAt - 0x1004, true);
    dv.setInt32(8, nsAt === null ? 0 : 0x2000 + nsAt - 0x1008, true);
    return b;
  }

  it('reads a well-formed relative entry, and a NULL namespace as none', () => {
    expect(kernelExports(input(entry(0, 4))).exports).toEqual([{ name: 'foo', kind: undefined, gplOnly: false, namespace: 'NS', address: 0x1010n }]);
    expect(kernelExports(input(entry(0, null))).exports[0]!.namespace).toBeUndefined();
  });

  it('names pointing outside __ksymtab_strings, or a section of no entry size: a diagnostic, no throw', () => {
    for (const bytes of [entry(0x500, 4), entry(-8, 4), new Uint8Array(13), new Uint8Array(5)]) {
      const r = kernelExports(input(bytes));
      expect(r.exports).toEqual([]);
      expect(r.diagnostics).toHaveLength(1);
      expect(r.diagnostics[0]).toMatchObject({ section: '__ksymtab', fileOffset: 0x100 });
    }
  });
});

describe('cross-check against the __ksymtab_NAME symbols', () => {
  afterAll(removeTmpFiles);
  it('a name changed in __ksymtab_strings (a copy of bmi160_core.ko): one diagnostic naming both sides', () => {
    const bytes = new Uint8Array(readFileSync(fixture('bmi160_core.ko')));
    const elf = openElf(fixture('bmi160_core.ko'));
    const strings = elf.section('__ksymtab_strings')!;
    elf.close();
    const text = Buffer.from(bytes.subarray(strings.fileOffset, strings.fileOffset + strings.size)).toString('latin1');
    const at = strings.fileOffset + text.indexOf('bmi160_core_probe') + 'bmi160_core_prob'.length;
    bytes[at] = 'X'.charCodeAt(0);
    const copy = openElf(tmpFile(bytes, 'bmi160'));
    opened.push(copy);
    const r = readExports(copy);
    expect(r.exports.map((e) => e.name)).toContain('bmi160_core_probX');
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0]!.detail).toBe(
      'the export tables and the __ksymtab_NAME symbols disagree: 1 symbols without an entry read (bmi160_core_probe), 1 entries without a symbol (bmi160_core_probX)',
    );
  });
});
