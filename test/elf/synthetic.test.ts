/** openElf and friends on ELF files built byte by byte in the test: header, sections, symbols, notes, machines, large files. */
import * as fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { EM, ET, SHF, SHT, machineName, openElf } from '../../src/elf/index.js';
import { Bytes, buildElf, tmpFile, removeTmpFiles, type SectionSpec } from './helpers.js';
import { cat, enc, open, sym32, sym64 } from './synthetic-helpers.js';

afterAll(removeTmpFiles);

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
