import { describe, expect, it } from 'vitest';
import { classifyBase, integerKindFromName } from '../../../src/layout/abi/classify.js';
import { ABIS, abiByName, abiForElf } from '../../../src/layout/abi/targets.js';

describe('abiForElf (ABI.md §5; e_flags from results/elf_headers.txt)', () => {
  const cases: [string, number, 32 | 64, boolean, number, string | undefined][] = [
    ['x86_64', 62, 64, true, 0, 'x86_64'],
    ['x32', 62, 32, true, 0, 'x32'],
    ['i386', 3, 32, true, 0, 'i386'],
    ['aarch64', 183, 64, true, 0, 'aarch64'],
    ['armhf', 40, 32, true, 0x5000000, 'arm'],
    ['armeb', 40, 32, false, 0x5000000, 'armeb'],
    ['arm apcs-gnu', 40, 32, true, 0x600, 'arm-oabi'],
    ['riscv64', 243, 64, true, 5, 'riscv64'],
    ['riscv32', 243, 32, true, 5, 'riscv32'],
    ['ppc64 v1', 21, 64, false, 0, 'ppc64'],
    ['ppc64 v2 BE', 21, 64, false, 2, 'ppc64'],
    ['ppc64le', 21, 64, true, 2, 'ppc64le'],
    ['ppc32', 20, 32, false, 0x8000, 'ppc32'],
    ['s390x', 22, 64, false, 0, 's390x'],
    ['s390', 22, 32, false, 0, 's390'],
    ['mips o32', 8, 32, false, 0x70001006, 'mips'],
    ['mipsel o32', 8, 32, true, 0x70001006, 'mipsel'],
    ['mips n32', 8, 32, true, 0x80000026, 'mipsn32el'],
    ['mips64', 8, 64, false, 0x80000006, 'mips64'],
    ['mips64el', 8, 64, true, 0x80000006, 'mips64el'],
    ['mips eabi32', 8, 32, false, 0x3000, undefined],
    ['m68k', 4, 32, false, 0, 'm68k'],
    ['sparc64', 43, 64, false, 2, 'sparc64'],
    ['sparc32', 2, 32, false, 0, 'sparc32'],
    ['unknown', 9999, 64, true, 0, undefined],
  ];
  for (const [label, machine, cls, le, flags, name] of cases) {
    it(label, () => expect(abiForElf(machine, cls, le, flags)?.name).toBe(name));
  }
  it('keeps the layout rules when only the byte order differs', () => {
    const eb = abiForElf(40, 32, false, 0x5000000)!;
    expect(eb.littleEndian).toBe(false);
    expect(eb.scalars).toEqual(ABIS.arm.scalars);
    expect(eb.unnamedBitfieldAffectsAlign).toBe(true);
  });
});

describe('descriptors (ABI.md §1, §5)', () => {
  it('hold the verified member sizes/alignments and flags', () => {
    expect(ABIS.i386.scalars.llong).toEqual([8, 4]);
    expect(ABIS.i386.scalars.ldouble).toEqual([12, 4]);
    expect(ABIS.s390x.scalars.ldouble).toEqual([16, 8]);
    expect(ABIS.arm.scalars.ldouble).toEqual([8, 8]);
    expect(ABIS.m68k.scalars.int).toEqual([4, 2]);
    expect(ABIS.x32).toMatchObject({ ptrSize: 4, longSize: 4, dataModel: 'ILP32', int128: true });
    expect(ABIS.riscv32.int128).toBe(false);
    expect(ABIS.m68k).toMatchObject({ pccBitfieldTypeMatters: false, emptyFieldBoundary: 16, biggestAlignment: 2 });
    expect(ABIS['arm-oabi']).toMatchObject({ structSizeBoundary: 32, biggestAlignment: 4 });
    expect(ABIS.aarch64).toMatchObject({ unnamedBitfieldAffectsAlign: true, zeroWidthAffectsAlign: true });
    expect(ABIS.x86_64).toMatchObject({ unnamedBitfieldAffectsAlign: false, cachelineSize: 64, maxScalarAlign: 16 });
    expect(ABIS.ppc64.cachelineSize).toBe(128);
    expect(ABIS.s390x).toMatchObject({ cachelineSize: 256, maxScalarAlign: 8 });
    expect(abiByName('mipsn32')?.dataModel).toBe('ILP32');
    expect(abiByName('toString')).toBeUndefined();
  });
});

describe('base type classification (ABI.md §4, results/dwarf_base_type_names.txt)', () => {
  it('accepts gcc and clang spellings', () => {
    const names: [string, string][] = [
      ['long unsigned int', 'long'],
      ['unsigned long', 'long'],
      ['long long int', 'llong'],
      ['unsigned long long', 'llong'],
      ['short unsigned int', 'short'],
      ['unsigned short', 'short'],
      ['signed char', 'char'],
      ['__int128 unsigned', 'int128'],
      ['unsigned __int128', 'int128'],
      ['unsigned int', 'int'],
      ['unsigned', 'int'],
    ];
    for (const [n, k] of names) expect(integerKindFromName(n), n).toBe(k);
    expect(integerKindFromName('long char')).toBeUndefined();
    expect(integerKindFromName('__bf16')).toBeUndefined();
  });
  it('floats, complex, bool, char16/32, nullptr', () => {
    expect(classifyBase({ kind: 'base', name: 'long double', size: 16, encoding: 4 })).toMatchObject({ scalar: 'ldouble' });
    expect(classifyBase({ kind: 'base', name: '_Float128', size: 16, encoding: 4 })).toMatchObject({ scalar: 'f128' });
    expect(classifyBase({ kind: 'base', name: 'complex double', size: 16, encoding: 3 })).toEqual({ kind: 'complex', part: 'double' });
    expect(classifyBase({ kind: 'base', name: 'complex', size: 8, encoding: 3 })).toEqual({ kind: 'complex', part: 'float' });
    expect(classifyBase({ kind: 'base', name: 'complex int', size: 8, encoding: 0x80 })).toEqual({ kind: 'complex', part: 'int' });
    expect(classifyBase({ kind: 'base', name: 'bool', size: 1, encoding: 2 })).toMatchObject({ scalar: 'bool' });
    expect(classifyBase({ kind: 'base', name: 'char16_t', size: 2, encoding: 0x10 })).toMatchObject({ scalar: 'short' });
    expect(classifyBase({ kind: 'base', name: 'wchar_t', size: 4, encoding: 5 })).toMatchObject({ scalar: 'int' });
    expect(classifyBase({ kind: 'base', name: 'decltype(nullptr)', size: 8, encoding: 0 })).toMatchObject({ scalar: 'ptr' });
    expect(classifyBase({ kind: 'base', name: '__bf16', size: 2, encoding: 4 }).kind).toBe('unpredictable');
  });
});
