/** ELF constants used by structscope (numbers from the System V gABI and the processor supplements). */

export const ELFCLASS32 = 1;
export const ELFCLASS64 = 2;
export const ELFDATA2LSB = 1;
export const ELFDATA2MSB = 2;

/** e_type */
export const ET = {
  NONE: 0,
  REL: 1,
  EXEC: 2,
  DYN: 3,
  CORE: 4,
} as const;

/** Special section indices. */
export const SHN = {
  UNDEF: 0,
  LORESERVE: 0xff00,
  ABS: 0xfff1,
  COMMON: 0xfff2,
  XINDEX: 0xffff,
} as const;

/** sh_type */
export const SHT = {
  NULL: 0,
  PROGBITS: 1,
  SYMTAB: 2,
  STRTAB: 3,
  RELA: 4,
  HASH: 5,
  DYNAMIC: 6,
  NOTE: 7,
  NOBITS: 8,
  REL: 9,
  DYNSYM: 11,
  GROUP: 17,
  SYMTAB_SHNDX: 18,
  /** Compact relocations (binutils 2.43+, LLVM 19+); not supported, reported as a diagnostic. */
  CREL: 0x40000014,
} as const;

/** sh_flags */
export const SHF = {
  WRITE: 0x1,
  ALLOC: 0x2,
  EXECINSTR: 0x4,
  MERGE: 0x10,
  STRINGS: 0x20,
  INFO_LINK: 0x40,
  GROUP: 0x200,
  TLS: 0x400,
  COMPRESSED: 0x800,
} as const;

/** ch_type of Elf32_Chdr / Elf64_Chdr. */
export const ELFCOMPRESS_ZLIB = 1;
export const ELFCOMPRESS_ZSTD = 2;

/** Note types. */
export const NT_GNU_BUILD_ID = 3;

/** Symbol types (low nibble of st_info). */
export const STT = {
  NOTYPE: 0,
  OBJECT: 1,
  FUNC: 2,
  SECTION: 3,
  FILE: 4,
  COMMON: 5,
  TLS: 6,
} as const;

/** e_machine values that structscope knows by name. */
export const EM = {
  NONE: 0,
  SPARC: 2,
  386: 3,
  M68K: 4,
  MIPS: 8,
  PARISC: 15,
  PPC: 20,
  PPC64: 21,
  S390: 22,
  ARM: 40,
  SH: 42,
  SPARCV9: 43,
  IA_64: 50,
  X86_64: 62,
  AARCH64: 183,
  RISCV: 243,
  BPF: 247,
  LOONGARCH: 258,
} as const;

/**
 * A short target name for e_machine, taking the ELF class into account where one e_machine
 * covers both 32- and 64-bit variants:
 *
 * | e_machine | ELFCLASS32 | ELFCLASS64 |
 * |---|---|---|
 * | 62 | x32 | x86_64 |
 * | 3 | i386 | i386 |
 * | 183 | aarch64_ilp32 | aarch64 |
 * | 40 | arm | arm |
 * | 243 | riscv32 | riscv64 |
 * | 20 | ppc | ppc |
 * | 21 | ppc64 | ppc64 |
 * | 22 | s390 | s390x |
 * | 8 | mips | mips64 |
 * | 4 | m68k | m68k |
 * | 2 | sparc | sparc |
 * | 43 | sparcv9 | sparcv9 |
 *
 * and a few others (ia64, sh, parisc, bpf, loongarch32/64); anything else is `machine-N`.
 */
export function machineName(machine: number, elfClass: 32 | 64): string {
  const is64 = elfClass === 64;
  switch (machine) {
    case EM.X86_64:
      return is64 ? 'x86_64' : 'x32';
    case EM[386]:
      return 'i386';
    case EM.AARCH64:
      return is64 ? 'aarch64' : 'aarch64_ilp32';
    case EM.ARM:
      return 'arm';
    case EM.RISCV:
      return is64 ? 'riscv64' : 'riscv32';
    case EM.PPC:
      return 'ppc';
    case EM.PPC64:
      return 'ppc64';
    case EM.S390:
      return is64 ? 's390x' : 's390';
    case EM.MIPS:
      return is64 ? 'mips64' : 'mips';
    case EM.M68K:
      return 'm68k';
    case EM.SPARC:
      return 'sparc';
    case EM.SPARCV9:
      return 'sparcv9';
    case EM.IA_64:
      return 'ia64';
    case EM.SH:
      return 'sh';
    case EM.PARISC:
      return 'parisc';
    case EM.BPF:
      return 'bpf';
    case EM.LOONGARCH:
      return is64 ? 'loongarch64' : 'loongarch32';
    default:
      return `machine-${machine}`;
  }
}
