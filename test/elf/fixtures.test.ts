/**
 * Integration tests on the committed fixtures (fixtures/manifest.json, fixtures/bin).
 * Every check is one that is true by construction of the format, not a remembered number:
 * section names, class/endianness implied by the target, decompressed sizes equal to ch_size,
 * relocated string offsets that land on string starts, units that tile their section.
 */
import { describe, expect, it } from 'vitest';
import {
  ET,
  SHF,
  SHT,
  STT,
  debugSectionParts,
  loadDebugSection,
  openElf,
  parseRelocations,
  relocationSectionsFor,
  type ElfFile,
  type RelocDiagnostic,
  type Section,
} from '../../src/elf/index.js';
import { fixture, manifest } from './helpers.js';

/** What the manifest's target names imply about the ELF header. */
const ARCH: Record<string, { class: 32 | 64; machineName: string }> = {
  x86_64: { class: 64, machineName: 'x86_64' },
  i386: { class: 32, machineName: 'i386' },
  aarch64: { class: 64, machineName: 'aarch64' },
  arm: { class: 32, machineName: 'arm' },
  riscv64: { class: 64, machineName: 'riscv64' },
  ppc64le: { class: 64, machineName: 'ppc64' },
  ppc64: { class: 64, machineName: 'ppc64' },
  s390x: { class: 64, machineName: 's390x' },
  mips: { class: 32, machineName: 'mips' },
  x32: { class: 32, machineName: 'x32' },
  mipsel: { class: 32, machineName: 'mips' },
  mips64: { class: 64, machineName: 'mips64' },
  mips64el: { class: 64, machineName: 'mips64' },
  mipsn32: { class: 32, machineName: 'mips' },
  ppc32: { class: 32, machineName: 'ppc' },
  m68k: { class: 32, machineName: 'm68k' },
  sparc64: { class: 64, machineName: 'sparcv9' },
  riscv32: { class: 32, machineName: 'riscv32' },
};

/** The files the elf tests rely on by name: their absence is a failure, not a skip. */
const REQUIRED = [
  'layout-plain.o',
  'layout-zlib.o',
  'layout-zstd.o',
  'layout-exe',
  'layout-i386.o',
  'layout-aarch64.o',
  'layout-arm.o',
  'layout-riscv64.o',
  'layout-ppc64le.o',
  'layout-ppc64.o',
  'layout-s390x.o',
  'layout-mips.o',
  'virtio_net.ko',
];

function withElf<T>(name: string, fn: (elf: ElfFile) => T): T {
  const elf = openElf(fixture(name));
  try {
    return fn(elf);
  } finally {
    elf.close();
  }
}

function u32(b: Uint8Array, off: number, le: boolean): number {
  return new DataView(b.buffer, b.byteOffset, b.byteLength).getUint32(off, le);
}

/** Is `off` the first byte of a NUL-terminated string in `strs`? */
function isStringStart(strs: Uint8Array, off: number): boolean {
  return off < strs.length && (off === 0 || strs[off - 1] === 0) && strs.indexOf(0, off) >= 0;
}

/** Walk DWARF unit headers: lengths must tile the section exactly. Returns the unit headers. */
function units(data: Uint8Array, le: boolean): { offset: number; length: number; version: number; header: number }[] {
  const out = [];
  let p = 0;
  while (p < data.length) {
    let len = u32(data, p, le);
    let header = 4;
    if (len === 0xffffffff) {
      const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
      len = Number(dv.getBigUint64(p + 4, le));
      header = 12;
    }
    const version = new DataView(data.buffer, data.byteOffset).getUint16(p + header, le);
    out.push({ offset: p, length: len, version, header });
    p += header + len;
  }
  expect(p).toBe(data.length);
  return out;
}

/** For each relocation into `target` whose symbol lives in `strSec`, the relocated u32 at r_offset. */
function stringRefs(elf: ElfFile, target: Section, relocated: Uint8Array, strSec: Section): number[] {
  const refs: number[] = [];
  for (const rs of relocationSectionsFor(elf, target)) {
    const syms = elf.symbolTable(elf.sections[rs.link]!);
    const rel = parseRelocations(elf.readSection(rs), rs.type === SHT.RELA, elf.header.class, elf.header.littleEndian, elf.header.machine);
    for (let i = 0; i < rel.count; i++) {
      const sym = syms[rel.sym[i]!]!;
      if (sym.shndx !== strSec.index) continue;
      refs.push(u32(relocated, rel.offset[i]!, elf.header.littleEndian));
    }
  }
  return refs;
}

/** Stripped binaries: their DWARF is in a separate debug file (test/load/packaging.test.ts). */
const NO_DWARF = new Set(['stripped-build-id', 'stripped-debuglink']);
/**
 * Strings outside the one .debug_info part checked here: type units in COMDAT .debug_info parts,
 * split DWARF (DW_FORM_strx into the .dwo's string table).
 */
const STRINGS_ELSEWHERE = new Set(['types4', 'types5', 'clang-types5', 'split', 'split4']);

describe('fixtures', () => {
  it('has every fixture the elf tests name, and every manifest file exists', () => {
    const files = manifest().map((e) => e.file.replace(/^bin\//, ''));
    for (const f of REQUIRED) expect(files).toContain(f);
    for (const f of files) fixture(f);
  });

  for (const entry of manifest()) {
    const name = entry.file.replace(/^bin\//, '');
    describe(name, () => {
      it('header agrees with the manifest target', () => {
        withElf(name, (elf) => {
          const arch = ARCH[entry.arch];
          expect(arch, `unknown arch ${entry.arch}`).toBeDefined();
          expect(elf.header.class).toBe(arch!.class);
          expect(elf.machineName).toBe(arch!.machineName);
          expect(elf.header.littleEndian).toBe(entry.endian === 'little');
          const relocatable = name.endsWith('.o') || name.endsWith('.ko');
          if (relocatable) expect(elf.header.type).toBe(ET.REL);
          else expect([ET.EXEC, ET.DYN]).toContain(elf.header.type);
        });
      });

      it('sections: names, the debug sections, every section readable', () => {
        withElf(name, (elf) => {
          if (NO_DWARF.has(entry.variant)) {
            expect(debugSectionParts(elf, '.debug_info')).toEqual([]);
            return;
          }
          expect(elf.sections[0]!.type).toBe(SHT.NULL);
          expect(elf.sections.length).toBe(elf.header.shnum);
          elf.sections.forEach((s, i) => expect(s.index).toBe(i));
          const names = elf.sections.map((s) => s.name);
          expect(names).toContain('.symtab');
          // gcc/gas names it .shstrtab; clang shares .strtab between section and symbol names
          const shstr = elf.sections[elf.header.shstrndx]!;
          expect(shstr.type).toBe(SHT.STRTAB);
          expect(['.shstrtab', '.strtab']).toContain(shstr.name);
          for (const n of ['.debug_info', '.debug_abbrev', '.debug_line', '.debug_str']) {
            expect(debugSectionParts(elf, n).length, n).toBeGreaterThan(0);
          }
          for (const s of elf.sections) {
            const raw = elf.readRaw(s);
            expect(raw.length).toBe(s.type === SHT.NOBITS ? 0 : s.size);
            const data = elf.readSection(s);
            expect(data.length).toBe(elf.uncompressedSize(s));
            if (!(s.flags & SHF.COMPRESSED) && !s.name.startsWith('.zdebug_')) expect(data).toEqual(raw);
          }
        });
      });

      it('debug units tile .debug_info and .debug_line, abbrev offsets are in range', () => {
        withElf(name, (elf) => {
          if (NO_DWARF.has(entry.variant)) return;
          const le = elf.header.littleEndian;
          const info = loadDebugSection(elf, '.debug_info')!;
          const abbrev = loadDebugSection(elf, '.debug_abbrev')!;
          const us = units(info, le);
          expect(us.length).toBeGreaterThan(0);
          for (const u of us) {
            expect(u.version).toBe(entry.dwarf);
            const p = u.offset + u.header + 2;
            const off = u.version >= 5 ? u32(info, p + 2, le) : u32(info, p, le);
            const addrSize = u.version >= 5 ? info[p + 1]! : info[p + 4]!;
            expect(off).toBeLessThan(abbrev.length);
            expect(addrSize).toBe(elf.header.class / 8);
          }
          const line = loadDebugSection(elf, '.debug_line')!;
          for (const u of units(line, le)) expect([2, 3, 4, 5]).toContain(u.version);
        });
      });

      it('relocated string offsets land on string starts', () => {
        withElf(name, (elf) => {
          if (NO_DWARF.has(entry.variant) || STRINGS_ELSEWHERE.has(entry.variant)) return;
          const diags: RelocDiagnostic[] = [];
          const infoSec = debugSectionParts(elf, '.debug_info');
          const strSec = debugSectionParts(elf, '.debug_str')[0]!;
          const strs = loadDebugSection(elf, '.debug_str')!;
          const info = loadDebugSection(elf, '.debug_info', diags)!;
          if (elf.header.type !== ET.REL) {
            // linked: nothing to apply, bytes as in the file
            expect(info).toEqual(elf.readSection(infoSec[0]!));
            expect(relocationSectionsFor(elf, infoSec[0]!)).toEqual([]);
            return;
          }
          expect(diags).toEqual([]);
          expect(infoSec.length).toBe(1);
          const refs = stringRefs(elf, infoSec[0]!, info, strSec);
          for (const r of refs) expect(isStringStart(strs, r), `offset 0x${r.toString(16)}`).toBe(true);
          // .debug_str_offsets (clang DWARF 5): every entry after each 8-byte header is a string start
          const so = debugSectionParts(elf, '.debug_str_offsets');
          if (so.length) {
            const data = loadDebugSection(elf, '.debug_str_offsets', diags)!;
            expect(diags).toEqual([]);
            let n = 0;
            for (const u of units(data, elf.header.littleEndian)) {
              for (let p = u.offset + 8; p < u.offset + 4 + u.length; p += 4) {
                expect(isStringStart(strs, u32(data, p, elf.header.littleEndian))).toBe(true);
                n++;
              }
            }
            expect(n).toBeGreaterThan(0);
          } else {
            expect(refs.length).toBeGreaterThan(0);
          }
          const nonZero = refs.filter((r) => r !== 0).length + (so.length ? 1 : 0);
          expect(nonZero).toBeGreaterThan(0);
          // RELA targets hold zeros until relocated: relocation must have changed the bytes
          if (relocationSectionsFor(elf, infoSec[0]!).some((s) => s.type === SHT.RELA)) {
            expect(info).not.toEqual(elf.readSection(infoSec[0]!));
          }
        });
      });

      it('symbols: a symbol table with section symbols or functions, names resolved', () => {
        withElf(name, (elf) => {
          const syms = elf.symbols();
          expect(syms.length).toBeGreaterThan(1);
          expect(syms[0]!.name).toBe('');
          for (const s of syms) {
            expect(s.bind).toBe(s.info >> 4);
            expect(s.type).toBe(s.info & 0xf);
            expect(s.value).toBe(Number(s.valueBig));
          }
          const files = syms.filter((s) => s.type === STT.FILE).map((s) => s.name);
          // strip --strip-debug drops the STT_FILE symbols
          if (!NO_DWARF.has(entry.variant)) expect(files.length).toBeGreaterThan(0);
        });
      });
    });
  }
});

describe('compressed objects', () => {
  it('layout-zstd.o (objcopy of layout-plain.o) decompresses and relocates to the same debug sections', () => {
    const plain = openElf(fixture('layout-plain.o'));
    const zstd = openElf(fixture('layout-zstd.o'));
    try {
      const debugNames = plain.sections.filter((s) => s.name.startsWith('.debug_')).map((s) => s.name);
      expect(debugNames).toContain('.debug_info');
      let compressed = 0;
      for (const n of debugNames) {
        const zs = zstd.section(n)!;
        if (zs.flags & SHF.COMPRESSED) {
          compressed++;
          // ch_type 2 = ELFCOMPRESS_ZSTD in the first word of the Elf64_Chdr
          expect(u32(zstd.readRaw(zs), 0, true)).toBe(2);
          expect(zstd.uncompressedSize(zs)).toBe(plain.section(n)!.size);
        }
        const a = loadDebugSection(plain, n)!;
        const b = loadDebugSection(zstd, n)!;
        expect(Buffer.from(b).equals(Buffer.from(a)), n).toBe(true);
      }
      expect(compressed).toBeGreaterThan(3);
    } finally {
      plain.close();
      zstd.close();
    }
  });

  it('layout-zlib.o (gcc -gz=zlib) has the same debug info as layout-plain.o, strings aside', () => {
    const plain = openElf(fixture('layout-plain.o'));
    const zlib = openElf(fixture('layout-zlib.o'));
    try {
      const zi = zlib.section('.debug_info')!;
      expect(zi.flags & SHF.COMPRESSED).toBeTruthy();
      expect(u32(zlib.readRaw(zi), 0, true)).toBe(1); // ELFCOMPRESS_ZLIB
      for (const n of ['.debug_abbrev', '.debug_line', '.debug_line_str']) {
        expect(Buffer.from(loadDebugSection(zlib, n)!).equals(Buffer.from(loadDebugSection(plain, n)!)), n).toBe(true);
      }
      // .debug_info differs only where it points into .debug_str, whose layout moved with the
      // longer DW_AT_producer ("-gz=zlib"): the strings pointed to must be the same.
      const strings = (elf: ElfFile): string[] => {
        const info = loadDebugSection(elf, '.debug_info')!;
        const strs = loadDebugSection(elf, '.debug_str')!;
        const refs = stringRefs(elf, elf.section('.debug_info')!, info, elf.section('.debug_str')!);
        return refs.map((r) => Buffer.from(strs.subarray(r, strs.indexOf(0, r))).toString('utf8').replace(' -gz=zlib', ''));
      };
      const a = strings(plain);
      expect(a.length).toBeGreaterThan(10);
      expect(strings(zlib)).toEqual(a);
      expect(loadDebugSection(zlib, '.debug_info')!.length).toBe(loadDebugSection(plain, '.debug_info')!.length);
    } finally {
      plain.close();
      zlib.close();
    }
  });
});

describe('linked files and kernel modules', () => {
  it('layout-exe: build-id, no relocation, dynamic symbols', () => {
    withElf('layout-exe', (elf) => {
      expect(elf.buildId()).toMatch(/^[0-9a-f]{40}$/);
      expect(elf.section('.note.gnu.build-id')).toBeDefined();
      expect(elf.symbols().some((s) => s.name === 'main' && s.type === STT.FUNC)).toBe(true);
      expect(elf.debugLink()).toBeUndefined();
      expect(elf.debugAltLink()).toBeUndefined();
    });
  });

  it('virtio_net.ko: ET_REL kernel module, .rela.debug_* applied, build-id', () => {
    withElf('virtio_net.ko', (elf) => {
      expect(elf.header.type).toBe(ET.REL);
      expect(elf.buildId()).toMatch(/^[0-9a-f]{40}$/);
      const info = elf.section('.debug_info')!;
      expect(relocationSectionsFor(elf, info).map((s) => s.name)).toEqual(['.rela.debug_info']);
      const diags: RelocDiagnostic[] = [];
      for (const n of ['.debug_info', '.debug_line', '.debug_loclists', '.debug_rnglists', '.debug_aranges', '.debug_frame']) {
        expect(loadDebugSection(elf, n, diags), n).toBeDefined();
      }
      expect(diags).toEqual([]);
    });
  });
});

describe('riscv64 label differences (R_RISCV_ADD*/SUB* pairs)', () => {
  it('every ADD/SUB pair in the debug sections yields a positive length within the code', () => {
    withElf('layout-riscv64.o', (elf) => {
      const code = elf.sections.filter((s) => s.flags & SHF.EXECINSTR).reduce((n, s) => n + s.size, 0);
      expect(code).toBeGreaterThan(0);
      const width: Record<number, number> = { 33: 1, 34: 2, 35: 4, 36: 8, 37: 1, 38: 2, 39: 4, 40: 8 };
      let pairs = 0;
      for (const target of elf.sections.filter((s) => s.name.startsWith('.debug_'))) {
        const data = loadDebugSection(elf, target.name)!;
        const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
        for (const rs of relocationSectionsFor(elf, target)) {
          const rel = parseRelocations(elf.readSection(rs), true, 64, true, elf.header.machine);
          const adds = new Map<number, number>();
          for (let i = 0; i < rel.count; i++) if (rel.type[i]! >= 33 && rel.type[i]! <= 36) adds.set(rel.offset[i]!, rel.type[i]!);
          for (let i = 0; i < rel.count; i++) {
            const t = rel.type[i]!;
            if (t < 37 || t > 40) continue;
            const off = rel.offset[i]!;
            expect(adds.get(off), `SUB without ADD at ${target.name}+0x${off.toString(16)}`).toBe(t - 4);
            const w = width[t]!;
            const v = w === 1 ? data[off]! : w === 2 ? dv.getUint16(off, true) : w === 4 ? dv.getUint32(off, true) : Number(dv.getBigUint64(off, true));
            expect(v).toBeGreaterThan(0);
            expect(v).toBeLessThanOrEqual(code);
            pairs++;
          }
        }
      }
      expect(pairs).toBeGreaterThan(0);
    });
  });
});
