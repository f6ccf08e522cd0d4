/** openElf and friends on ELF files built byte by byte in the test. */
import * as fs from 'node:fs';
import { deflateSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { StructscopeError } from '../../src/util/errors.js';
import { EM, ET, SHF, SHT, loadDebugSection, machineName, openElf, type RelocDiagnostic } from '../../src/elf/index.js';
import { Bytes, buildElf, tmpFile, removeTmpFiles, type ElfSpec, type SectionSpec } from './helpers.js';

afterAll(removeTmpFiles);

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

function open(spec: ElfSpec) {
  return openElf(tmpFile(buildElf(spec)));
}

function sym64(le: boolean, name: number, info: number, shndx: number, value: number | bigint, size = 0): Uint8Array {
  return new Bytes(le).u32(name).u8(info).u8(0).u16(shndx).u64(value).u64(size).done();
}
function sym32(le: boolean, name: number, info: number, shndx: number, value: number, size = 0): Uint8Array {
  return new Bytes(le).u32(name).u32(value).u32(size).u8(info).u8(0).u16(shndx).done();
}
const cat = (...parts: Uint8Array[]): Uint8Array => Uint8Array.from(parts.flatMap((p) => [...p]));

/** Expect `fn` to throw a StructscopeError with these fields. */
function expectError(fn: () => unknown, fields: Partial<Pick<StructscopeError, 'code' | 'section' | 'fileOffset' | 'file'>>): StructscopeError {
  let err: unknown;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(StructscopeError);
  expect(err).toMatchObject(fields);
  return err as StructscopeError;
}

/** A zstd frame made of raw / RLE blocks (valid zstd, no entropy coding needed). */
function zstdFrame(blocks: ({ raw: Uint8Array } | { rle: number; count: number })[], declareSize: boolean): Uint8Array {
  const b = new Bytes(true).u32(0xfd2fb528);
  const total = blocks.reduce((n, x) => n + ('raw' in x ? x.raw.length : x.count), 0);
  if (declareSize) b.u8(0xa0).u32(total); // single segment, 4-byte Frame_Content_Size
  else b.u8(0x00).u8(0x00); // window descriptor: 1 KiB, no content size
  blocks.forEach((x, i) => {
    const last = i === blocks.length - 1 ? 1 : 0;
    if ('raw' in x) {
      const h = last | (0 << 1) | (x.raw.length << 3);
      b.u8(h & 0xff).u8((h >> 8) & 0xff).u8(h >> 16).bytes(x.raw);
    } else {
      const h = last | (1 << 1) | (x.count << 3);
      b.u8(h & 0xff).u8((h >> 8) & 0xff).u8(h >> 16).u8(x.rle);
    }
  });
  return b.done();
}

function chdr(is64: boolean, le: boolean, type: number, size: number | bigint): Uint8Array {
  const b = new Bytes(le).u32(type);
  if (is64) b.u32(0).u64(size).u64(1);
  else b.u32(Number(size)).u32(1);
  return b.done();
}

describe('ELF header and section table', () => {
  it('ELF64 LE with e_shnum = 0 and e_shstrndx = SHN_XINDEX (values in section 0)', () => {
    const sections: SectionSpec[] = [];
    for (let i = 0; i < 40; i++) sections.push({ name: `.s${i}`, type: SHT.PROGBITS, data: Uint8Array.of(i) });
    const elf = open({ class: 64, littleEndian: true, sections, xindex: true, machine: EM.AARCH64, flags: 0x12 });
    try {
      expect(elf.header).toMatchObject({ class: 64, littleEndian: true, type: ET.REL, machine: 183, flags: 0x12, shnum: 42, shstrndx: 41 });
      expect(elf.sections.length).toBe(42);
      expect(elf.sections[0]).toMatchObject({ index: 0, name: '', type: SHT.NULL, size: 42, link: 41 });
      expect(elf.sections[41]!.name).toBe('.shstrtab');
      for (let i = 0; i < 40; i++) {
        const s = elf.section(`.s${i}`)!;
        expect(s.index).toBe(i + 1);
        expect([...elf.readRaw(s)]).toEqual([i]);
      }
      expect(elf.machineName).toBe('aarch64');
    } finally {
      elf.close();
    }
  });

  it('ELF32 big-endian: header, sections, symbols, notes, debug links', () => {
    const le = false;
    const strtab = cat(Uint8Array.of(0), enc('alpha\0beta\0'));
    const symtab = cat(sym32(le, 0, 0, 0, 0), sym32(le, 1, 0x12, 1, 0x1234, 8), sym32(le, 7, 0x11, 0xfff1, 0xfffffff0, 4));
    const note = new Bytes(le).u32(4).u32(4).u32(1).str('GNU').bytes([1, 2, 3, 4]);
    note.u32(4).u32(20).u32(3).str('GNU').bytes(Array.from({ length: 20 }, (_, i) => i * 13));
    const debuglink = new Bytes(le).str('foo.debug').align(4).u32(0xdeadbeef).done();
    const altlink = cat(enc('/usr/lib/debug/.dwz/x.debug\0'), Uint8Array.of(0xab, 0xcd, 0x01));
    const elf = open({
      class: 32,
      littleEndian: false,
      type: ET.EXEC,
      machine: EM.MIPS,
      sections: [
        { name: '.text', type: SHT.PROGBITS, flags: SHF.ALLOC | SHF.EXECINSTR, data: Uint8Array.of(1, 2, 3, 4), addr: 0x400000n, addralign: 4 },
        { name: '.symtab', type: SHT.SYMTAB, data: symtab, link: 3, info: 1, entsize: 16, addralign: 4 },
        { name: '.strtab', type: SHT.STRTAB, data: strtab },
        { name: '.note.gnu.build-id', type: SHT.NOTE, data: note.done(), addralign: 4 },
        { name: '.gnu_debuglink', type: SHT.PROGBITS, data: debuglink },
        { name: '.gnu_debugaltlink', type: SHT.PROGBITS, data: altlink },
        { name: '.bss', type: SHT.NOBITS, size: 0x1000, flags: SHF.ALLOC | SHF.WRITE },
      ],
    });
    try {
      expect(elf.header).toMatchObject({ class: 32, littleEndian: false, type: ET.EXEC, machine: EM.MIPS, shnum: 9, shstrndx: 8 });
      expect(elf.machineName).toBe('mips');
      expect(elf.section('.text')).toMatchObject({ index: 1, addr: 0x400000n, size: 4, addralign: 4, flags: 6 });
      expect(elf.section('.symtab')).toMatchObject({ link: 3, info: 1, entsize: 16 });
      const syms = elf.symbols();
      expect(syms.map((s) => s.name)).toEqual(['', 'alpha', 'beta']);
      expect(syms[1]).toMatchObject({ value: 0x1234, valueBig: 0x1234n, size: 8, bind: 1, type: 2, shndx: 1 });
      expect(syms[2]).toMatchObject({ value: 0xfffffff0, shndx: 0xfff1, bind: 1, type: 1 });
      expect(elf.notes(elf.section('.note.gnu.build-id')!).map((n) => [n.name, n.type, n.desc.length])).toEqual([
        ['GNU', 1, 4],
        ['GNU', 3, 20],
      ]);
      expect(elf.buildId()).toBe(Array.from({ length: 20 }, (_, i) => ((i * 13) & 0xff).toString(16).padStart(2, '0')).join(''));
      expect(elf.debugLink()).toEqual({ name: 'foo.debug', crc: 0xdeadbeef });
      expect(elf.debugAltLink()).toEqual({ name: '/usr/lib/debug/.dwz/x.debug', buildId: 'abcd01' });
      const bss = elf.section('.bss')!;
      expect(bss.size).toBe(0x1000);
      expect(elf.readRaw(bss).length).toBe(0);
      expect(elf.readSection(bss).length).toBe(0);
    } finally {
      elf.close();
    }
  });

  it('build-id from any SHT_NOTE section with an NT_GNU_BUILD_ID note owned by "GNU"', () => {
    const le = true;
    const notes = new Bytes(le).u32(6).u32(4).u32(3).str('Linux').align(4).bytes([9, 9, 9, 9]);
    notes.u32(4).u32(2).u32(3).str('GNU').bytes([0xbe, 0xef]).align(4);
    const elf = open({ class: 64, littleEndian: le, sections: [{ name: '.notes', type: SHT.NOTE, data: notes.done(), addralign: 4 }] });
    try {
      expect(elf.buildId()).toBe('beef');
      expect(elf.debugLink()).toBeUndefined();
    } finally {
      elf.close();
    }
  });

  it('symbols with SHN_XINDEX take their section index from SHT_SYMTAB_SHNDX', () => {
    const le = true;
    const symtab = cat(sym64(le, 0, 0, 0, 0), sym64(le, 1, 3, 0xffff, 0), sym64(le, 3, 0x10, 2, 0xffffffff81000010n));
    const shndx = new Bytes(le).u32(0).u32(70000).u32(0).done();
    const elf = open({
      class: 64,
      littleEndian: le,
      sections: [
        { name: '.symtab', type: SHT.SYMTAB, data: symtab, link: 2, entsize: 24 },
        { name: '.strtab', type: SHT.STRTAB, data: enc('\0a\0b\0') },
        { name: '.symtab_shndx', type: SHT.SYMTAB_SHNDX, data: shndx, link: 1, entsize: 4 },
      ],
    });
    try {
      const syms = elf.symbols();
      expect(syms[1]).toMatchObject({ name: 'a', shndx: 70000, type: 3 });
      expect(syms[2]).toMatchObject({ name: 'b', shndx: 2, valueBig: 0xffffffff81000010n });
    } finally {
      elf.close();
    }
  });

  it('.dynsym is used when there is no .symtab', () => {
    const le = true;
    const elf = open({
      class: 64,
      littleEndian: le,
      type: ET.DYN,
      sections: [
        { name: '.dynsym', type: SHT.DYNSYM, data: cat(sym64(le, 0, 0, 0, 0), sym64(le, 1, 0x12, 0, 0)), link: 2 },
        { name: '.dynstr', type: SHT.STRTAB, data: enc('\0printf\0') },
      ],
    });
    try {
      expect(elf.symbols().map((s) => s.name)).toEqual(['', 'printf']);
    } finally {
      elf.close();
    }
  });
});

describe('compressed sections', () => {
  const text = enc('struct layout '.repeat(50));

  it('ELFCOMPRESS_ZLIB in a big-endian ELF32 (Elf32_Chdr)', () => {
    const data = cat(chdr(false, false, 1, text.length), deflateSync(text));
    const elf = open({ class: 32, littleEndian: false, sections: [{ name: '.debug_str', type: SHT.PROGBITS, flags: SHF.COMPRESSED, data }] });
    try {
      const s = elf.section('.debug_str')!;
      expect(elf.uncompressedSize(s)).toBe(text.length);
      expect(elf.readSection(s)).toEqual(text);
      expect(elf.readRaw(s).length).toBe(data.length);
    } finally {
      elf.close();
    }
  });

  it('ELFCOMPRESS_ZSTD (Elf64_Chdr): several frames, raw and RLE blocks, with and without a content size', () => {
    const z = cat(
      zstdFrame([{ raw: enc('hello ') }, { rle: 0x78, count: 10 }], true),
      new Bytes(true).u32(0x184d2a50).u32(3).bytes([1, 2, 3]).done(), // skippable frame
      zstdFrame([{ raw: enc(' world') }], false),
    );
    const want = enc('hello xxxxxxxxxx world');
    const elf = open({
      class: 64,
      littleEndian: true,
      sections: [
        { name: '.debug_info', type: SHT.PROGBITS, flags: SHF.COMPRESSED, data: cat(chdr(true, true, 2, want.length), z) },
        { name: '.debug_big', type: SHT.PROGBITS, flags: SHF.COMPRESSED, data: cat(chdr(true, true, 2, want.length + 1), z) },
        { name: '.debug_small', type: SHT.PROGBITS, flags: SHF.COMPRESSED, data: cat(chdr(true, true, 2, want.length - 1), z) },
        { name: '.debug_huge', type: SHT.PROGBITS, flags: SHF.COMPRESSED, data: cat(chdr(true, true, 2, 2 ** 40), z) },
        { name: '.debug_lzma', type: SHT.PROGBITS, flags: SHF.COMPRESSED, data: cat(chdr(true, true, 3, 5), z) },
      ],
    });
    try {
      expect(Buffer.from(elf.readSection(elf.section('.debug_info')!)).toString()).toBe('hello xxxxxxxxxx world');
      expect(loadDebugSection(elf, '.debug_info')).toEqual(want);
      for (const n of ['.debug_big', '.debug_small']) expectError(() => elf.readSection(elf.section(n)!), { code: 'BAD_COMPRESSION', section: n });
      expectError(() => elf.readSection(elf.section('.debug_huge')!), { code: 'LIMIT', section: '.debug_huge' });
      expectError(() => elf.readSection(elf.section('.debug_lzma')!), { code: 'UNSUPPORTED', section: '.debug_lzma' });
    } finally {
      elf.close();
    }
  });

  it('zlib size mismatches and corrupt streams are BAD_COMPRESSION', () => {
    const z = deflateSync(text);
    const bad = Uint8Array.from(z);
    bad[10]! ^= 0xff;
    const elf = open({
      class: 64,
      littleEndian: true,
      sections: [
        { name: '.debug_a', type: SHT.PROGBITS, flags: SHF.COMPRESSED, data: cat(chdr(true, true, 1, text.length + 1), z) },
        { name: '.debug_b', type: SHT.PROGBITS, flags: SHF.COMPRESSED, data: cat(chdr(true, true, 1, text.length - 1), z) },
        { name: '.debug_c', type: SHT.PROGBITS, flags: SHF.COMPRESSED, data: cat(chdr(true, true, 1, text.length), bad) },
        { name: '.debug_d', type: SHT.PROGBITS, flags: SHF.COMPRESSED, data: cat(chdr(true, true, 1, 1e9), z) },
        { name: '.debug_e', type: SHT.PROGBITS, flags: SHF.COMPRESSED, data: chdr(true, true, 1, 1).subarray(0, 10) },
      ],
    });
    try {
      for (const n of ['.debug_a', '.debug_b', '.debug_c', '.debug_d']) {
        expectError(() => elf.readSection(elf.section(n)!), { code: 'BAD_COMPRESSION', section: n, file: elf.path });
      }
      expectError(() => elf.readSection(elf.section('.debug_e')!), { code: 'EOF', section: '.debug_e' });
    } finally {
      elf.close();
    }
  });

  it('legacy .zdebug_*: "ZLIB" + 8-byte big-endian size, in any file byte order', () => {
    const z = cat(enc('ZLIB'), new Bytes(false).u64(text.length).done(), deflateSync(text));
    const elf = open({
      class: 64,
      littleEndian: true,
      sections: [
        { name: '.zdebug_info', type: SHT.PROGBITS, data: z },
        { name: '.zdebug_line', type: SHT.PROGBITS, data: enc('not compressed') },
      ],
    });
    try {
      expect(elf.readSection(elf.section('.zdebug_info')!)).toEqual(text);
      expect(loadDebugSection(elf, '.debug_info')).toEqual(text);
      expect(elf.uncompressedSize(elf.section('.zdebug_info')!)).toBe(text.length);
      // without the header the section is stored as is
      expect(loadDebugSection(elf, '.debug_line')).toEqual(enc('not compressed'));
      expect(loadDebugSection(elf, '.debug_str')).toBeUndefined();
    } finally {
      elf.close();
    }
  });
});

describe('loadDebugSection relocation', () => {
  const le = false; // big-endian ppc64 object
  const symtab = cat(
    sym64(le, 0, 0, 0, 0),
    sym64(le, 0, 3, 1, 0), // section symbol: .debug_info (first part)
    sym64(le, 0, 3, 2, 0), // section symbol: .debug_str
    sym64(le, 0, 3, 3, 0), // section symbol: .debug_info (second part)
  );
  const rela = (entries: [number, number, number, number][]): Uint8Array => {
    const b = new Bytes(le);
    for (const [off, sym, type, addend] of entries) b.u64(off).u64((BigInt(sym) << 32n) | BigInt(type)).u64(addend);
    return b.done();
  };
  const spec = (type: number): ElfSpec => ({
    class: 64,
    littleEndian: le,
    type,
    machine: EM.PPC64,
    sections: [
      /* 1 */ { name: '.debug_info', type: SHT.PROGBITS, data: new Uint8Array(12) },
      /* 2 */ { name: '.debug_str', type: SHT.PROGBITS, data: enc('a\0bc\0def\0') },
      /* 3 */ { name: '.debug_info', type: SHT.PROGBITS, data: new Uint8Array(8) },
      /* 4 */ { name: '.debug_aranges', type: SHT.PROGBITS, data: new Uint8Array(8) },
      /* 5 */ { name: '.symtab', type: SHT.SYMTAB, data: symtab, link: 6, entsize: 24 },
      /* 6 */ { name: '.strtab', type: SHT.STRTAB, data: Uint8Array.of(0) },
      /* 7 */ { name: '.rela.debug_info', type: SHT.RELA, flags: SHF.INFO_LINK, link: 5, info: 1, entsize: 24,
        data: rela([[0, 2, 1, 2], [4, 2, 1, 5], [8, 2, 999, 0]]) },
      /* 8 */ { name: '.rela.debug_info', type: SHT.RELA, flags: SHF.INFO_LINK, link: 5, info: 3, entsize: 24,
        data: rela([[0, 3, 1, 4], [4, 1, 1, 0]]) },
      /* 9 */ { name: '.rela.debug_aranges', type: SHT.RELA, flags: SHF.INFO_LINK, link: 5, info: 4, entsize: 24,
        data: rela([[0, 3, 38, 0]]) },
    ],
  });

  it('ET_REL: applies every RELA section targeting the section; same-named parts are concatenated', () => {
    const elf = open(spec(ET.REL));
    try {
      const diags: RelocDiagnostic[] = [];
      const info = loadDebugSection(elf, '.debug_info', diags)!;
      // part 1: .debug_str + 2, .debug_str + 5, unknown type; part 2: (part 2 itself = 12) + 4, part 1 + 0
      expect(Buffer.from(info).toString('hex')).toBe('00000002' + '00000005' + '00000000' + '00000010' + '00000000');
      expect(diags).toMatchObject([{ code: 'UNSUPPORTED', relocType: 999, count: 1, offset: 8, section: '.rela.debug_info' }]);
      expect(diags[0]!.fileOffset).toBe(elf.sections[7]!.fileOffset + 2 * 24);
      // .debug_aranges points at the second .debug_info part, which starts at 12 in the concatenation
      expect(Buffer.from(loadDebugSection(elf, '.debug_aranges')!).toString('hex')).toBe('000000000000000c');
      // a fresh copy every time
      info.fill(0xff);
      expect(loadDebugSection(elf, '.debug_info')![3]).toBe(2);
    } finally {
      elf.close();
    }
  });

  it('ET_EXEC / ET_DYN: relocation sections are not applied again', () => {
    for (const type of [ET.EXEC, ET.DYN]) {
      const elf = open(spec(type));
      try {
        expect(loadDebugSection(elf, '.debug_info')!.every((b) => b === 0)).toBe(true);
      } finally {
        elf.close();
      }
    }
  });
});

describe('malformed files', () => {
  const good = buildElf({ class: 64, littleEndian: true, sections: [{ name: '.debug_info', type: SHT.PROGBITS, data: new Uint8Array(16) }] });

  it('cannot open: IO naming the file', () => {
    expectError(() => openElf('/nonexistent/structscope/x.o'), { code: 'IO', file: '/nonexistent/structscope/x.o' });
  });

  it('not ELF: BAD_MAGIC', () => {
    const p = tmpFile(enc('#!/bin/sh\necho hello\n'));
    const e = expectError(() => openElf(p), { code: 'BAD_MAGIC', file: p, fileOffset: 0 });
    expect(e.message).toContain(p);
    expectError(() => openElf(tmpFile(new Uint8Array(0))), { code: 'BAD_MAGIC' });
  });

  it('truncated header: EOF; bad class or data encoding: BAD_HEADER', () => {
    expectError(() => openElf(tmpFile(good.subarray(0, 40))), { code: 'EOF' });
    const badClass = Uint8Array.from(good);
    badClass[4] = 3;
    expectError(() => openElf(tmpFile(badClass)), { code: 'BAD_HEADER', fileOffset: 4 });
    const badData = Uint8Array.from(good);
    badData[5] = 0;
    expectError(() => openElf(tmpFile(badData)), { code: 'BAD_HEADER', fileOffset: 5 });
  });

  it('section header table past the end: EOF', () => {
    expectError(() => openElf(tmpFile(good.subarray(0, good.length - 10))), { code: 'EOF', section: 'section headers' });
  });

  it('bad e_shentsize and e_shstrndx: BAD_HEADER', () => {
    const b = Uint8Array.from(good);
    b[0x3a] = 20;
    expectError(() => openElf(tmpFile(b)), { code: 'BAD_HEADER', fileOffset: 0x3a });
    const c = Uint8Array.from(good);
    c[0x3e] = 9;
    expectError(() => openElf(tmpFile(c)), { code: 'BAD_HEADER' });
  });

  it('a section past EOF is an error only when read, naming the section and offset', () => {
    const elf = open({
      class: 64,
      littleEndian: true,
      sections: [
        { name: '.ok', type: SHT.PROGBITS, data: Uint8Array.of(1) },
        { name: '.huge', type: SHT.PROGBITS, data: Uint8Array.of(1), size: 2n ** 40n },
        { name: '.far', type: SHT.PROGBITS, data: Uint8Array.of(1), offset: 0x1_0000_0010n },
        { name: '.beyond', type: SHT.PROGBITS, data: Uint8Array.of(1), offset: 2n ** 62n },
      ],
    });
    try {
      expect([...elf.readRaw(elf.section('.ok')!)]).toEqual([1]);
      const huge = elf.section('.huge')!;
      expect(huge.size).toBe(2 ** 40);
      expectError(() => elf.readRaw(huge), { code: 'EOF', section: '.huge', fileOffset: huge.fileOffset, file: elf.path });
      expectError(() => elf.readSection(elf.section('.far')!), { code: 'EOF', section: '.far', fileOffset: 0x1_0000_0010 });
      expectError(() => elf.readSection(elf.section('.beyond')!), { section: '.beyond' });
    } finally {
      elf.close();
    }
  });

  it('reads after close: IO', () => {
    const elf = openElf(tmpFile(good));
    elf.close();
    elf.close();
    expectError(() => elf.readSection(elf.section('.debug_info')!), { code: 'IO' });
  });

  it('a file that shrinks while open: EOF, not a crash', () => {
    const p = tmpFile(good);
    const elf = openElf(p);
    try {
      fs.truncateSync(p, 70);
      expectError(() => elf.readSection(elf.section('.debug_info')!), { code: 'EOF' });
    } finally {
      elf.close();
    }
  });
});

describe('machineName', () => {
  it('names the targets structscope knows, by class where it matters', () => {
    expect(machineName(62, 64)).toBe('x86_64');
    expect(machineName(3, 32)).toBe('i386');
    expect(machineName(183, 64)).toBe('aarch64');
    expect(machineName(40, 32)).toBe('arm');
    expect(machineName(243, 64)).toBe('riscv64');
    expect(machineName(243, 32)).toBe('riscv32');
    expect(machineName(20, 32)).toBe('ppc');
    expect(machineName(21, 64)).toBe('ppc64');
    expect(machineName(22, 64)).toBe('s390x');
    expect(machineName(22, 32)).toBe('s390');
    expect(machineName(8, 32)).toBe('mips');
    expect(machineName(8, 64)).toBe('mips64');
    expect(machineName(4, 32)).toBe('m68k');
    expect(machineName(2, 32)).toBe('sparc');
    expect(machineName(43, 64)).toBe('sparcv9');
    expect(machineName(9999, 64)).toBe('machine-9999');
  });
});

describe('large files', () => {
  it('reads a section beyond 4 GiB of a sparse file with positioned reads', () => {
    const at = 0x1_2000_0000; // 4.5 GiB
    const payload = enc('far away');
    const head = buildElf({
      class: 64,
      littleEndian: true,
      sections: [{ name: '.debug_str', type: SHT.PROGBITS, data: Uint8Array.of(0), offset: BigInt(at), size: payload.length }],
    });
    const p = tmpFile(head, 'sparse');
    const fd = fs.openSync(p, 'r+');
    try {
      fs.writeSync(fd, payload, 0, payload.length, at);
    } finally {
      fs.closeSync(fd);
    }
    const elf = openElf(p);
    try {
      expect(elf.fileSize).toBe(at + payload.length);
      const s = elf.section('.debug_str')!;
      expect(s.fileOffset).toBe(at);
      expect(elf.readSection(s)).toEqual(payload);
    } finally {
      elf.close();
      fs.rmSync(p);
    }
  });
});
