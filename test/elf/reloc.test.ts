/** Unit tests of relocation decoding and application on bytes built here. */
import { describe, expect, it } from 'vitest';
import { EM, applyRelocations, loadSectionRelocated, openElf, parseRelocations, relocationTable, type Relocation, type RelocSymbol } from '../../src/elf/index.js';
import { fixturePath } from '../helpers/fixtures.js';
import { Bytes } from './helpers.js';

const syms = (...values: (number | bigint)[]): RelocSymbol[] => [
  { value: 0 },
  ...values.map((v) => (typeof v === 'bigint' ? { value: Number(v), valueBig: v } : { value: v })),
];

function apply(
  target: Uint8Array,
  list: Relocation[],
  symbols: RelocSymbol[],
  machine: number,
  elfClass: 32 | 64,
  le: boolean,
  rela = true,
) {
  return applyRelocations(target, relocationTable(list, rela), symbols, machine, elfClass, le);
}

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

describe('applyRelocations', () => {
  it('x86_64 RELA: 64, 32, 32S write S + A little-endian; PC32 is left alone', () => {
    const t = new Uint8Array(24).fill(0xee);
    const r = apply(
      t,
      [
        { offset: 0, type: 1, sym: 1, addend: 0x10 }, // R_X86_64_64
        { offset: 8, type: 10, sym: 2, addend: 4 }, // R_X86_64_32
        { offset: 12, type: 11, sym: 0, addend: -1 }, // R_X86_64_32S
        { offset: 16, type: 2, sym: 1, addend: 0 }, // R_X86_64_PC32
      ],
      syms(0x1000, 0x20),
      EM.X86_64,
      64,
      true,
    );
    expect(r.diagnostics).toEqual([]);
    expect(hex(r.data)).toBe('1010000000000000' + '24000000' + 'ffffffff' + 'eeeeeeeeeeeeeeee');
    // the input is untouched: the result is a copy
    expect(t.every((b) => b === 0xee)).toBe(true);
  });

  it('inPlace writes into the given buffer', () => {
    const t = new Uint8Array(4);
    const r = applyRelocations(t, relocationTable([{ offset: 0, type: 10, sym: 1, addend: 1 }], true), syms(5), EM.X86_64, 64, true, { inPlace: true });
    expect(r.data).toBe(t);
    expect(hex(t)).toBe('06000000');
  });

  it('64-bit values beyond 2^53 and negative results are exact (two\'s complement)', () => {
    const r = apply(
      new Uint8Array(16),
      [
        { offset: 0, type: 1, sym: 1, addend: 0x18 },
        { offset: 8, type: 1, sym: 0, addend: -8n },
      ],
      syms(0xffffffff81000000n),
      EM.X86_64,
      64,
      true,
    );
    expect(hex(r.data)).toBe('18000081ffffffff' + 'f8ffffffffffffff');
  });

  it('big-endian writes: ppc64 ADDR64/ADDR32, s390x 32/64', () => {
    const ppc = apply(
      new Uint8Array(12),
      [
        { offset: 0, type: 38, sym: 1, addend: 2 }, // R_PPC64_ADDR64
        { offset: 8, type: 1, sym: 1, addend: 0x100 }, // R_PPC64_ADDR32
      ],
      syms(0x11223344),
      EM.PPC64,
      64,
      false,
    );
    expect(hex(ppc.data)).toBe('0000000011223346' + '11223444');
    const s390 = apply(
      new Uint8Array(12),
      [
        { offset: 0, type: 4, sym: 1, addend: 1 }, // R_390_32
        { offset: 4, type: 22, sym: 1, addend: 0 }, // R_390_64
      ],
      syms(0xa0b0c0d0),
      EM.S390,
      64,
      false,
    );
    expect(hex(s390.data)).toBe('a0b0c0d1' + '00000000a0b0c0d0');
  });

  it('REL: the implicit addend in place is added (i386 LE, arm LE, mips BE)', () => {
    const i386 = apply(Uint8Array.from([0x10, 0, 0, 0]), [{ offset: 0, type: 1, sym: 1 }], syms(0x100), EM[386], 32, true, false);
    expect(hex(i386.data)).toBe('10010000');
    const arm = apply(Uint8Array.from([0xff, 0xff, 0xff, 0xff]), [{ offset: 0, type: 2, sym: 1 }], syms(2), EM.ARM, 32, true, false);
    expect(hex(arm.data)).toBe('01000000'); // wraps modulo 2^32
    const mips = apply(Uint8Array.from([0, 0, 0x01, 0x00, 9]), [{ offset: 0, type: 2, sym: 1 }], syms(0x20), EM.MIPS, 32, false, false);
    expect(hex(mips.data)).toBe('0000012009');
  });

  it('aarch64 ABS64/ABS32/ABS16; PREL32 left alone', () => {
    const r = apply(
      new Uint8Array(16),
      [
        { offset: 0, type: 257, sym: 1, addend: 1 },
        { offset: 8, type: 258, sym: 1, addend: 2 },
        { offset: 12, type: 259, sym: 1, addend: 3 },
        { offset: 14, type: 261, sym: 1, addend: 3 },
      ],
      syms(0x4000),
      EM.AARCH64,
      64,
      true,
    );
    expect(r.diagnostics).toEqual([]);
    expect(hex(r.data)).toBe('0140000000000000' + '02400000' + '0340' + '0000');
  });

  it('TLS module offsets carry the ABI bias (ppc64 DTPREL64: -0x8000)', () => {
    const r = apply(new Uint8Array(8), [{ offset: 0, type: 78, sym: 1, addend: 0x8000 }], syms(0x10), EM.PPC64, 64, false);
    expect(hex(r.data)).toBe('0000000000000010');
  });

  it('riscv ADD/SUB pairs compute label differences in place', () => {
    // .4byte .Lend - .Lstart, .2byte, .byte, .8byte, as gas emits them with -mrelax
    const r = apply(
      new Uint8Array(15),
      [
        { offset: 0, type: 35, sym: 2, addend: 0 }, // ADD32 .Lend
        { offset: 0, type: 39, sym: 1, addend: 0 }, // SUB32 .Lstart
        { offset: 4, type: 34, sym: 2, addend: 4 }, // ADD16
        { offset: 4, type: 38, sym: 1, addend: 0 }, // SUB16
        { offset: 6, type: 33, sym: 1, addend: 0 }, // ADD8: 0x10 - 0x90 wraps
        { offset: 6, type: 37, sym: 2, addend: 0 }, // SUB8
        { offset: 7, type: 36, sym: 2, addend: 0 }, // ADD64
        { offset: 7, type: 40, sym: 1, addend: 0 }, // SUB64
      ],
      syms(0x10, 0x90),
      EM.RISCV,
      64,
      true,
    );
    expect(r.diagnostics).toEqual([]);
    expect(hex(r.data)).toBe('80000000' + '8400' + '80' + '8000000000000000');
  });

  it('riscv SET6/SUB6 keep the top two bits; SET8/16/32 replace', () => {
    const t = Uint8Array.from([0xc5, 0x41, 0, 0, 0, 0, 0, 0, 0]);
    const r = apply(
      t,
      [
        { offset: 0, type: 53, sym: 0, addend: 0x3a }, // SET6
        { offset: 1, type: 52, sym: 0, addend: 2 }, // SUB6: 1 - 2 wraps in 6 bits
        { offset: 2, type: 54, sym: 1, addend: 0 }, // SET8
        { offset: 3, type: 55, sym: 1, addend: 0 }, // SET16
        { offset: 5, type: 56, sym: 1, addend: 0 }, // SET32
      ],
      syms(0x1234),
      EM.RISCV,
      64,
      true,
    );
    expect(hex(r.data)).toBe('fa' + '7f' + '34' + '3412' + '34120000');
  });

  it('riscv SET_ULEB128/SUB_ULEB128 rewrite a ULEB128 in its existing length', () => {
    const t = Uint8Array.from([0x80, 0x00, 0x00, 0xaa]); // 2-byte ULEB128 placeholder, then a 1-byte one
    const r = apply(
      t,
      [
        { offset: 0, type: 60, sym: 2, addend: 0 }, // SET_ULEB128 .Lend (0x200)
        { offset: 0, type: 61, sym: 1, addend: 0 }, // SUB_ULEB128 .Lstart (0x10)
        { offset: 2, type: 60, sym: 2, addend: 0 }, // 0x200 does not fit 7 bits
      ],
      syms(0x10, 0x200),
      EM.RISCV,
      64,
      true,
    );
    expect(hex(r.data.subarray(0, 2))).toBe('f003'); // 0x1f0
    expect(r.diagnostics).toMatchObject([{ code: 'LIMIT', relocType: 60, offset: 2, count: 1 }]);
  });

  it('problems become counted diagnostics, never exceptions', () => {
    const r = apply(
      new Uint8Array(8),
      [
        { offset: 0, type: 999, sym: 1, addend: 0 },
        { offset: 4, type: 999, sym: 1, addend: 0 },
        { offset: 6, type: 10, sym: 1, addend: 0 }, // 4 bytes at 6 of 8
        { offset: 0, type: 10, sym: 7, addend: 0 }, // no symbol 7
      ],
      syms(1),
      EM.X86_64,
      64,
      true,
    );
    expect(hex(r.data)).toBe('0000000000000000');
    expect(r.diagnostics).toMatchObject([
      { code: 'UNSUPPORTED', relocType: 999, count: 2, offset: 0 },
      { code: 'EOF', relocType: 10, count: 1, offset: 6 },
      { code: 'BAD_REF', relocType: 10, count: 1, offset: 0 },
    ]);
    const unknownMachine = apply(new Uint8Array(4), [{ offset: 0, type: 1, sym: 0 }], [], 0x1234, 64, true);
    expect(unknownMachine.diagnostics).toMatchObject([{ code: 'UNSUPPORTED', count: 1 }]);
    expect(unknownMachine.diagnostics[0]!.detail).toContain('machine-4660');
  });
});

describe('parseRelocations', () => {
  it('ELF32 REL and RELA, both byte orders', () => {
    for (const le of [true, false]) {
      const rel = new Bytes(le).u32(0x10).u32((5 << 8) | 2).u32(0x14).u32((1 << 8) | 1).done();
      const t = parseRelocations(rel, false, 32, le, EM.MIPS);
      expect(t.count).toBe(2);
      expect([...t.offset]).toEqual([0x10, 0x14]);
      expect([...t.sym]).toEqual([5, 1]);
      expect([...t.type]).toEqual([2, 1]);
      const rela = new Bytes(le).u32(8).u32((3 << 8) | 1).u32(-4).done();
      const u = parseRelocations(rela, true, 32, le, EM.PPC);
      expect([u.offset[0], u.sym[0], u.type[0], u.addendHi[0], u.addendLo[0]]).toEqual([8, 3, 1, -1, 0xfffffffc]);
    }
  });

  it('ELF64 RELA: r_info = sym << 32 | type, 64-bit addend, both byte orders', () => {
    for (const le of [true, false]) {
      const b = new Bytes(le).u64(0x1_0000_0008).u64((7n << 32n) | 257n).u64(-2n).done();
      const t = parseRelocations(b, true, 64, le, EM.AARCH64);
      expect([t.offset[0], t.sym[0], t.type[0], t.addendHi[0], t.addendLo[0]]).toEqual([0x1_0000_0008, 7, 257, -1, 0xfffffffe]);
    }
  });

  it('ELF64 MIPS: r_sym, r_ssym, r_type3, r_type2, r_type', () => {
    for (const le of [true, false]) {
      const b = new Bytes(le).u64(0x20).u32(9).bytes([0, 0, 0, 18]).u64(0x30);
      b.u64(0x28).u32(9).bytes([0, 0, 3, 18]).u64(0);
      const t = parseRelocations(b.done(), true, 64, le, EM.MIPS);
      expect([t.offset[0], t.sym[0], t.type[0], t.type2![0], t.type3![0], t.addendLo[0]]).toEqual([0x20, 9, 18, 0, 0, 0x30]);
      const r = applyRelocations(new Uint8Array(0x30), t, syms(1, 2, 3, 4, 5, 6, 7, 8, 0x100), EM.MIPS, 64, le);
      const dv = new DataView(r.data.buffer);
      expect(dv.getBigUint64(0x20, le)).toBe(0x130n);
      expect(r.diagnostics).toMatchObject([{ code: 'UNSUPPORTED', relocType: 18, offset: 0x28 }]);
    }
  });

  it('rejects a size that is not a whole number of entries', () => {
    expect(() => parseRelocations(new Uint8Array(25), true, 64, true, EM.X86_64, { section: '.rela.x', fileOffset: 64 })).toThrow(
      expect.objectContaining({ name: 'StructscopeError', code: 'BAD_HEADER', section: '.rela.x', fileOffset: 64 }),
    );
  });
});

describe('relocating in chunks', () => {
  it('gives the same bytes however many entries a chunk holds (virtio_net.ko, mips64 and s390x objects)', () => {
    for (const name of ['virtio_net.ko', 'layout-mips64.o', 'layout-s390x.o', 'layout-arm.o']) {
      const elf = openElf(fixturePath(name));
      try {
        const info = elf.section('.debug_info')!;
        const whole = loadSectionRelocated(elf, info);
        for (const n of [1, 7, 1000]) expect(Buffer.compare(loadSectionRelocated(elf, info, undefined, n), whole), `${name} chunks of ${n}`).toBe(0);
        // and relocation did change something, so the comparison means something
        expect(Buffer.compare(whole, elf.readSection(info))).not.toBe(0);
      } finally {
        elf.close();
      }
    }
  });
});
