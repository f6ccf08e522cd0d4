/** Debug sections of ELF files built byte by byte in the test: compressed (zlib, zstd, .zdebug) and relocated. */
import { deflateSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { EM, ET, SHF, SHT, loadDebugSection, type RelocDiagnostic } from '../../src/elf/index.js';
import { Bytes, removeTmpFiles, type ElfSpec } from './helpers.js';
import { cat, enc, expectError, open, sym64 } from './synthetic-helpers.js';

afterAll(removeTmpFiles);

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
