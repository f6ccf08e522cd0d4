/**
 * Target ABI descriptors for the theoretical layout engine.
 *
 * Every number below is copied from the verified tables in shared/design/ABI.md §1 and §5 and
 * shared/reference/abi/results/abi_tables.json (gcc-12 cross compilers, member size/alignment,
 * i.e. C11 _Alignof, not GNU __alignof__). One parameterised descriptor covers every target:
 * the targets collapse into a handful of layout classes (ABI.md §0).
 */

/** Target-independent scalar kinds; see classify.ts for the mapping from DWARF base types. */
export type ScalarKind =
  | 'char'
  | 'short'
  | 'int'
  | 'long'
  | 'llong'
  | 'int128'
  | 'bool'
  | 'float'
  | 'double'
  | 'ldouble'
  | 'f128'
  | 'f16'
  | 'float80'
  | 'ibm128'
  | 'f64x'
  | 'ptr';

/** Size and alignment (bytes) of a scalar as a struct member; null when the target lacks it. */
export type ScalarTable = Readonly<Record<ScalarKind, readonly [size: number, align: number] | null>>;

/** Format of `long double` (only informational: the layout uses the size/alignment). */
export type LongDoubleKind = 'x87-80' | 'binary128' | 'ibm-double-double' | 'double' | 'm68k-ext96';

export interface Abi {
  /** Descriptor name: 'x86_64', 'arm', 'mipsn32', … */
  readonly name: string;
  readonly dataModel: 'LP64' | 'ILP32';
  readonly littleEndian: boolean;
  readonly ptrSize: number;
  readonly longSize: number;
  /** Member size/alignment of every scalar kind. */
  readonly scalars: ScalarTable;
  readonly longDouble: LongDoubleKind;
  /** __int128 exists (`scalars.int128 !== null`). */
  readonly int128: boolean;
  /**
   * gcc PCC_BITFIELD_TYPE_MATTERS: bit-fields may not straddle a unit of their declared type and
   * named ones give the struct their type's alignment. False only on m68k.
   */
  readonly pccBitfieldTypeMatters: boolean;
  /** Unnamed non-zero-width bit-fields raise the struct alignment (arm, aarch64). */
  readonly unnamedBitfieldAffectsAlign: boolean;
  /** Zero-width bit-fields (`T :0`) raise the struct alignment (arm, aarch64; m68k through emptyFieldBoundary). */
  readonly zeroWidthAffectsAlign: boolean;
  /** gcc EMPTY_FIELD_BOUNDARY in bits: where `T :0` jumps to when PCC rules are off (m68k 16). */
  readonly emptyFieldBoundary: number;
  /** gcc STRUCTURE_SIZE_BOUNDARY in bits: minimum alignment of every non-packed struct/union (OABI 32, else 8). */
  readonly structSizeBoundary: number;
  /** __BIGGEST_ALIGNMENT__ in bytes: bare `aligned`, mode alignment cap (atomics, m68k bit-fields). */
  readonly biggestAlignment: number;
  /** Largest member alignment of a standard scalar (bytes). */
  readonly maxScalarAlign: number;
  /** Default cache line size in bytes (Linux L1_CACHE_BYTES for the usual config). */
  readonly cachelineSize: number;
  /** Vector types (vector_size): maximum alignment (arm EABI 8), else their size. */
  readonly vectorMaxAlign: number;
  /**
   * gcc STRICT_ALIGNMENT (arm, mips, riscv, sparc): a struct that fits an integer machine mode
   * aligned as the mode loses TYPE_USER_ALIGN, so gcc records no DW_AT_alignment for it
   * (verified with gcc-12 probes, see annotations.ts).
   */
  readonly strictAlignment: boolean;
}

type Row = readonly [number, number] | null;
function table(
  char: Row, short: Row, int: Row, long: Row, llong: Row, int128: Row, bool: Row, float: Row, double: Row,
  ldouble: Row, f128: Row, f16: Row, float80: Row, ibm128: Row, f64x: Row, ptr: Row,
): ScalarTable {
  return { char, short, int, long, llong, int128, bool, float, double, ldouble, f128, f16, float80, ibm128, f64x, ptr };
}

/* Columns: char short int long llong int128 bool float double ldouble f128 f16 float80 ibm128 f64x ptr */
const LP64_X86 = table([1, 1], [2, 2], [4, 4], [8, 8], [8, 8], [16, 16], [1, 1], [4, 4], [8, 8], [16, 16], [16, 16], [2, 2], [16, 16], null, [16, 16], [8, 8]);
const I386 = table([1, 1], [2, 2], [4, 4], [4, 4], [8, 4], null, [1, 1], [4, 4], [8, 4], [12, 4], [16, 16], null, [12, 4], null, [12, 4], [4, 4]);
const X32 = table([1, 1], [2, 2], [4, 4], [4, 4], [8, 8], [16, 16], [1, 1], [4, 4], [8, 8], [16, 16], [16, 16], [2, 2], [16, 16], null, [16, 16], [4, 4]);
const AARCH64 = table([1, 1], [2, 2], [4, 4], [8, 8], [8, 8], [16, 16], [1, 1], [4, 4], [8, 8], [16, 16], [16, 16], [2, 2], null, null, [16, 16], [8, 8]);
const ARM_EABI = table([1, 1], [2, 2], [4, 4], [4, 4], [8, 8], null, [1, 1], [4, 4], [8, 8], [8, 8], null, null, null, null, null, [4, 4]);
const ARM_OABI = table([1, 1], [2, 2], [4, 4], [4, 4], [8, 4], null, [1, 1], [4, 4], [8, 4], [8, 4], null, null, null, null, null, [4, 4]);
const RISCV64 = table([1, 1], [2, 2], [4, 4], [8, 8], [8, 8], [16, 16], [1, 1], [4, 4], [8, 8], [16, 16], [16, 16], null, null, null, [16, 16], [8, 8]);
const RISCV32 = table([1, 1], [2, 2], [4, 4], [4, 4], [8, 8], null, [1, 1], [4, 4], [8, 8], [16, 16], [16, 16], null, null, null, [16, 16], [4, 4]);
const PPC64 = table([1, 1], [2, 2], [4, 4], [8, 8], [8, 8], [16, 16], [1, 1], [4, 4], [8, 8], [16, 16], null, null, null, [16, 16], null, [8, 8]);
const PPC64LE = table([1, 1], [2, 2], [4, 4], [8, 8], [8, 8], [16, 16], [1, 1], [4, 4], [8, 8], [16, 16], [16, 16], null, null, [16, 16], [16, 16], [8, 8]);
const PPC32 = table([1, 1], [2, 2], [4, 4], [4, 4], [8, 8], null, [1, 1], [4, 4], [8, 8], [16, 16], null, null, null, [16, 16], null, [4, 4]);
const S390X = table([1, 1], [2, 2], [4, 4], [8, 8], [8, 8], [16, 8], [1, 1], [4, 4], [8, 8], [16, 8], [16, 8], null, null, null, [16, 8], [8, 8]);
const S390 = table([1, 1], [2, 2], [4, 4], [4, 4], [8, 8], null, [1, 1], [4, 4], [8, 8], [16, 8], [16, 8], null, null, null, [16, 8], [4, 4]);
const MIPS_O32 = table([1, 1], [2, 2], [4, 4], [4, 4], [8, 8], null, [1, 1], [4, 4], [8, 8], [8, 8], null, null, null, null, null, [4, 4]);
const MIPS_N64 = table([1, 1], [2, 2], [4, 4], [8, 8], [8, 8], [16, 16], [1, 1], [4, 4], [8, 8], [16, 16], [16, 16], null, null, null, [16, 16], [8, 8]);
const MIPS_N32 = table([1, 1], [2, 2], [4, 4], [4, 4], [8, 8], [16, 16], [1, 1], [4, 4], [8, 8], [16, 16], [16, 16], null, null, null, [16, 16], [4, 4]);
const M68K = table([1, 1], [2, 2], [4, 2], [4, 2], [8, 2], null, [1, 1], [4, 2], [8, 2], [12, 2], null, null, null, null, null, [4, 2]);
const SPARC64 = table([1, 1], [2, 2], [4, 4], [8, 8], [8, 8], [16, 16], [1, 1], [4, 4], [8, 8], [16, 16], [16, 16], null, null, null, [16, 16], [8, 8]);
const SPARC32 = table([1, 1], [2, 2], [4, 4], [4, 4], [8, 8], null, [1, 1], [4, 4], [8, 8], [16, 8], [16, 8], null, null, null, [16, 8], [4, 4]);

interface Spec {
  name: string;
  scalars: ScalarTable;
  littleEndian: boolean;
  longDouble: LongDoubleKind;
  biggestAlignment: number;
  cachelineSize: number;
  armBitfields?: boolean;
  m68k?: boolean;
  oabi?: boolean;
  vectorMaxAlign?: number;
}

function define(s: Spec): Abi {
  const ptr = s.scalars.ptr!;
  const long = s.scalars.long!;
  let maxScalarAlign = 1;
  for (const row of Object.values(s.scalars)) if (row && row[1] > maxScalarAlign) maxScalarAlign = row[1];
  return Object.freeze({
    name: s.name,
    dataModel: ptr[0] === 8 ? 'LP64' : 'ILP32',
    littleEndian: s.littleEndian,
    ptrSize: ptr[0],
    longSize: long[0],
    scalars: Object.freeze(s.scalars),
    longDouble: s.longDouble,
    int128: s.scalars.int128 !== null,
    pccBitfieldTypeMatters: !s.m68k,
    unnamedBitfieldAffectsAlign: !!s.armBitfields,
    zeroWidthAffectsAlign: !!s.armBitfields,
    emptyFieldBoundary: s.m68k ? 16 : 8,
    structSizeBoundary: s.oabi ? 32 : 8,
    biggestAlignment: s.biggestAlignment,
    maxScalarAlign,
    cachelineSize: s.cachelineSize,
    vectorMaxAlign: s.vectorMaxAlign ?? 1 << 30,
    strictAlignment: /^(arm|mips|riscv|sparc)/.test(s.name),
  } satisfies Abi);
}

/** Every named target descriptor. */
export const ABIS = {
  x86_64: define({ name: 'x86_64', scalars: LP64_X86, littleEndian: true, longDouble: 'x87-80', biggestAlignment: 16, cachelineSize: 64 }),
  i386: define({ name: 'i386', scalars: I386, littleEndian: true, longDouble: 'x87-80', biggestAlignment: 16, cachelineSize: 64 }),
  x32: define({ name: 'x32', scalars: X32, littleEndian: true, longDouble: 'x87-80', biggestAlignment: 16, cachelineSize: 64 }),
  aarch64: define({ name: 'aarch64', scalars: AARCH64, littleEndian: true, longDouble: 'binary128', biggestAlignment: 16, cachelineSize: 64, armBitfields: true }),
  arm: define({ name: 'arm', scalars: ARM_EABI, littleEndian: true, longDouble: 'double', biggestAlignment: 8, cachelineSize: 64, armBitfields: true, vectorMaxAlign: 8 }),
  // OABI: gcc's arm_align_anon_bitfield is AAPCS-only, so unnamed/zero-width bit-fields do not
  // raise the alignment (only visible in packed structs: every other struct is 4-aligned anyway).
  'arm-oabi': define({ name: 'arm-oabi', scalars: ARM_OABI, littleEndian: true, longDouble: 'double', biggestAlignment: 4, cachelineSize: 32, oabi: true }),
  riscv64: define({ name: 'riscv64', scalars: RISCV64, littleEndian: true, longDouble: 'binary128', biggestAlignment: 16, cachelineSize: 64 }),
  riscv32: define({ name: 'riscv32', scalars: RISCV32, littleEndian: true, longDouble: 'binary128', biggestAlignment: 16, cachelineSize: 64 }),
  ppc64: define({ name: 'ppc64', scalars: PPC64, littleEndian: false, longDouble: 'ibm-double-double', biggestAlignment: 16, cachelineSize: 128 }),
  ppc64le: define({ name: 'ppc64le', scalars: PPC64LE, littleEndian: true, longDouble: 'ibm-double-double', biggestAlignment: 16, cachelineSize: 128 }),
  ppc32: define({ name: 'ppc32', scalars: PPC32, littleEndian: false, longDouble: 'ibm-double-double', biggestAlignment: 16, cachelineSize: 32 }),
  s390x: define({ name: 's390x', scalars: S390X, littleEndian: false, longDouble: 'binary128', biggestAlignment: 8, cachelineSize: 256 }),
  s390: define({ name: 's390', scalars: S390, littleEndian: false, longDouble: 'binary128', biggestAlignment: 8, cachelineSize: 256 }),
  mips: define({ name: 'mips', scalars: MIPS_O32, littleEndian: false, longDouble: 'double', biggestAlignment: 8, cachelineSize: 32 }),
  mipsel: define({ name: 'mipsel', scalars: MIPS_O32, littleEndian: true, longDouble: 'double', biggestAlignment: 8, cachelineSize: 32 }),
  mips64: define({ name: 'mips64', scalars: MIPS_N64, littleEndian: false, longDouble: 'binary128', biggestAlignment: 16, cachelineSize: 32 }),
  mips64el: define({ name: 'mips64el', scalars: MIPS_N64, littleEndian: true, longDouble: 'binary128', biggestAlignment: 16, cachelineSize: 32 }),
  mipsn32: define({ name: 'mipsn32', scalars: MIPS_N32, littleEndian: false, longDouble: 'binary128', biggestAlignment: 16, cachelineSize: 32 }),
  mipsn32el: define({ name: 'mipsn32el', scalars: MIPS_N32, littleEndian: true, longDouble: 'binary128', biggestAlignment: 16, cachelineSize: 32 }),
  m68k: define({ name: 'm68k', scalars: M68K, littleEndian: false, longDouble: 'm68k-ext96', biggestAlignment: 2, cachelineSize: 16, m68k: true }),
  sparc64: define({ name: 'sparc64', scalars: SPARC64, littleEndian: false, longDouble: 'binary128', biggestAlignment: 16, cachelineSize: 32 }),
  sparc32: define({ name: 'sparc32', scalars: SPARC32, littleEndian: false, longDouble: 'binary128', biggestAlignment: 8, cachelineSize: 32 }),
} as const satisfies Record<string, Abi>;

export type AbiName = keyof typeof ABIS;

/** The descriptor called `name` ('x86_64', 'arm-oabi', …), or undefined. */
export function abiByName(name: string): Abi | undefined {
  return Object.hasOwn(ABIS, name) ? ABIS[name as AbiName] : undefined;
}

/** The same layout rules with the other byte order (armeb, aarch64_be, ppc32le …). */
function withEndian(abi: Abi, littleEndian: boolean, name = abi.name): Abi {
  if (abi.littleEndian === littleEndian && name === abi.name) return abi;
  return Object.freeze({ ...abi, name, littleEndian });
}

/* ELF e_machine numbers. */
const EM_SPARC = 2;
const EM_386 = 3;
const EM_68K = 4;
const EM_MIPS = 8;
const EM_MIPS_RS3_LE = 10;
const EM_SPARC32PLUS = 18;
const EM_PPC = 20;
const EM_PPC64 = 21;
const EM_S390 = 22;
const EM_ARM = 40;
const EM_SPARCV9 = 43;
const EM_X86_64 = 62;
const EM_AARCH64 = 183;
const EM_RISCV = 243;

/* MIPS e_flags. */
const EF_MIPS_ABI2 = 0x20;
const EF_MIPS_ABI = 0xf000;
const E_MIPS_ABI_O32 = 0x1000;

/**
 * Pick the descriptor for an ELF file (ABI.md §5): x32 vs x86_64 and mips n32 vs n64 by ELF
 * class, mips o32 vs n32 by e_flags, arm OABI vs EABI by the e_flags EABI version (bits 24-31).
 * ppc64 ELFv1/ELFv2 and arm hard/soft float do not change layouts. Undefined for unknown machines
 * and for ABIs the tables do not cover (mips o64/EABI).
 */
export function abiForElf(machine: number, elfClass: 32 | 64, littleEndian: boolean, flags: number): Abi | undefined {
  const is64 = elfClass === 64;
  switch (machine) {
    case EM_X86_64:
      return is64 ? ABIS.x86_64 : ABIS.x32;
    case EM_386:
      return ABIS.i386;
    case EM_AARCH64:
      return withEndian(ABIS.aarch64, littleEndian, littleEndian ? 'aarch64' : 'aarch64_be');
    case EM_ARM: {
      const eabiVersion = (flags >>> 24) & 0xff;
      const base = eabiVersion === 0 ? ABIS['arm-oabi'] : ABIS.arm;
      return withEndian(base, littleEndian, littleEndian ? base.name : `${base.name}eb`);
    }
    case EM_RISCV:
      return is64 ? ABIS.riscv64 : ABIS.riscv32;
    case EM_PPC64:
      return littleEndian ? ABIS.ppc64le : ABIS.ppc64;
    case EM_PPC:
      return withEndian(ABIS.ppc32, littleEndian, littleEndian ? 'ppc32le' : 'ppc32');
    case EM_S390:
      return is64 ? ABIS.s390x : ABIS.s390;
    case EM_MIPS:
    case EM_MIPS_RS3_LE: {
      if (is64) return littleEndian ? ABIS.mips64el : ABIS.mips64;
      if (flags & EF_MIPS_ABI2) return littleEndian ? ABIS.mipsn32el : ABIS.mipsn32;
      const abiField = flags & EF_MIPS_ABI;
      if (abiField !== 0 && abiField !== E_MIPS_ABI_O32) return undefined; // o64, EABI32/64
      return littleEndian ? ABIS.mipsel : ABIS.mips;
    }
    case EM_68K:
      return ABIS.m68k;
    case EM_SPARCV9:
      return ABIS.sparc64;
    case EM_SPARC:
    case EM_SPARC32PLUS:
      return ABIS.sparc32;
    default:
      return undefined;
  }
}
