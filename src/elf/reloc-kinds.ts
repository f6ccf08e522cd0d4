/**
 * Which relocation types each machine uses in debug sections, and what applying each one means
 * (the OP_* operations reloc.ts performs). Unknown types are not here: reloc.ts reports them.
 */
import { EM } from './constants.js';


export const OP_SKIP = 0; // known, nothing to do for debug data (NONE, PC-relative, RELAX markers)
export const OP_ABS = 1; // field = S + A + bias
export const OP_ADD = 2; // field += S + A
export const OP_SUB = 3; // field -= S + A
export const OP_SET6 = 4; // low 6 bits = S + A
export const OP_SUB6 = 5; // low 6 bits -= S + A
export const OP_SET_ULEB = 6; // ULEB128 in place = S + A
export const OP_SUB_ULEB = 7; // ULEB128 in place -= S + A

export interface RelocKind {
  op: number;
  width: number;
  bias: number;
}

function kinds(entries: [number, number, number, number?][]): Map<number, RelocKind> {
  const m = new Map<number, RelocKind>();
  for (const [type, op, width, bias] of entries) m.set(type, { op, width, bias: bias ?? 0 });
  return m;
}

const SKIP = OP_SKIP;
const ABS = OP_ABS;

// prettier-ignore
const X86_64 = kinds([
  [0, SKIP, 0], // R_X86_64_NONE
  [1, ABS, 8], // R_X86_64_64
  [2, SKIP, 4], // R_X86_64_PC32
  [10, ABS, 4], // R_X86_64_32
  [11, ABS, 4], // R_X86_64_32S
  [17, ABS, 8], // R_X86_64_DTPOFF64
  [21, ABS, 4], // R_X86_64_DTPOFF32
  [24, SKIP, 8], // R_X86_64_PC64
]);
// prettier-ignore
const I386 = kinds([
  [0, SKIP, 0], // R_386_NONE
  [1, ABS, 4], // R_386_32
  [2, SKIP, 4], // R_386_PC32
  [32, ABS, 4], // R_386_TLS_LDO_32
]);
// prettier-ignore
const AARCH64 = kinds([
  [0, SKIP, 0], // R_AARCH64_NONE
  [256, SKIP, 0], // R_AARCH64_NONE (withdrawn number)
  [257, ABS, 8], // R_AARCH64_ABS64
  [258, ABS, 4], // R_AARCH64_ABS32
  [259, ABS, 2], // R_AARCH64_ABS16
  [260, SKIP, 8], // R_AARCH64_PREL64
  [261, SKIP, 4], // R_AARCH64_PREL32
  [262, SKIP, 2], // R_AARCH64_PREL16
  [1029, ABS, 8], // R_AARCH64_TLS_DTPREL64
]);
// prettier-ignore
const AARCH64_ILP32 = kinds([
  [0, SKIP, 0], // R_AARCH64_NONE
  [1, ABS, 4], // R_AARCH64_P32_ABS32
]);
// prettier-ignore
const ARM = kinds([
  [0, SKIP, 0], // R_ARM_NONE
  [2, ABS, 4], // R_ARM_ABS32
  [3, SKIP, 4], // R_ARM_REL32
  [106, ABS, 4], // R_ARM_TLS_LDO32
]);
// prettier-ignore
const RISCV = kinds([
  [0, SKIP, 0], // R_RISCV_NONE
  [1, ABS, 4], // R_RISCV_32
  [2, ABS, 8], // R_RISCV_64
  [8, ABS, 4, -0x800], // R_RISCV_TLS_DTPREL32 (DTV points 0x800 into the block)
  [9, ABS, 8, -0x800], // R_RISCV_TLS_DTPREL64
  [33, OP_ADD, 1], // R_RISCV_ADD8
  [34, OP_ADD, 2], // R_RISCV_ADD16
  [35, OP_ADD, 4], // R_RISCV_ADD32
  [36, OP_ADD, 8], // R_RISCV_ADD64
  [37, OP_SUB, 1], // R_RISCV_SUB8
  [38, OP_SUB, 2], // R_RISCV_SUB16
  [39, OP_SUB, 4], // R_RISCV_SUB32
  [40, OP_SUB, 8], // R_RISCV_SUB64
  [51, SKIP, 0], // R_RISCV_RELAX
  [52, OP_SUB6, 1], // R_RISCV_SUB6
  [53, OP_SET6, 1], // R_RISCV_SET6
  [54, ABS, 1], // R_RISCV_SET8
  [55, ABS, 2], // R_RISCV_SET16
  [56, ABS, 4], // R_RISCV_SET32
  [57, SKIP, 4], // R_RISCV_32_PCREL
  [60, OP_SET_ULEB, 0], // R_RISCV_SET_ULEB128
  [61, OP_SUB_ULEB, 0], // R_RISCV_SUB_ULEB128
]);
// prettier-ignore
const PPC = kinds([
  [0, SKIP, 0], // R_PPC_NONE
  [1, ABS, 4], // R_PPC_ADDR32
  [24, ABS, 4], // R_PPC_UADDR32
  [26, SKIP, 4], // R_PPC_REL32
  [78, ABS, 4, -0x8000], // R_PPC_DTPREL32
]);
// prettier-ignore
const PPC64 = kinds([
  [0, SKIP, 0], // R_PPC64_NONE
  [1, ABS, 4], // R_PPC64_ADDR32
  [24, ABS, 4], // R_PPC64_UADDR32
  [26, SKIP, 4], // R_PPC64_REL32
  [38, ABS, 8], // R_PPC64_ADDR64
  [43, ABS, 8], // R_PPC64_UADDR64
  [44, SKIP, 8], // R_PPC64_REL64
  [78, ABS, 8, -0x8000], // R_PPC64_DTPREL64
]);
// prettier-ignore
const S390 = kinds([
  [0, SKIP, 0], // R_390_NONE
  [4, ABS, 4], // R_390_32
  [5, SKIP, 4], // R_390_PC32
  [22, ABS, 8], // R_390_64
  [23, SKIP, 8], // R_390_PC64
  [52, ABS, 4], // R_390_TLS_LDO32
  [53, ABS, 8], // R_390_TLS_LDO64
]);
// prettier-ignore
const MIPS = kinds([
  [0, SKIP, 0], // R_MIPS_NONE
  [2, ABS, 4], // R_MIPS_32
  [18, ABS, 8], // R_MIPS_64
  [39, ABS, 4, -0x8000], // R_MIPS_TLS_DTPREL32
  [41, ABS, 8, -0x8000], // R_MIPS_TLS_DTPREL64
  [248, SKIP, 4], // R_MIPS_PC32
]);
// prettier-ignore
const SPARC = kinds([
  [0, SKIP, 0], // R_SPARC_NONE
  [3, ABS, 4], // R_SPARC_32
  [6, SKIP, 4], // R_SPARC_DISP32
  [23, ABS, 4], // R_SPARC_UA32
  [32, ABS, 8], // R_SPARC_64
  [54, ABS, 8], // R_SPARC_UA64
  [76, ABS, 4], // R_SPARC_TLS_DTPOFF32
  [77, ABS, 8], // R_SPARC_TLS_DTPOFF64
]);
// prettier-ignore
const M68K = kinds([
  [0, SKIP, 0], // R_68K_NONE
  [1, ABS, 4], // R_68K_32
]);
// prettier-ignore
const LOONGARCH = kinds([
  [0, SKIP, 0], // R_LARCH_NONE
  [1, ABS, 4], // R_LARCH_32
  [2, ABS, 8], // R_LARCH_64
  [8, ABS, 4], // R_LARCH_TLS_DTPREL32
  [9, ABS, 8], // R_LARCH_TLS_DTPREL64
  [47, OP_ADD, 1], // R_LARCH_ADD8
  [48, OP_ADD, 2], // R_LARCH_ADD16
  [50, OP_ADD, 4], // R_LARCH_ADD32
  [51, OP_ADD, 8], // R_LARCH_ADD64
  [52, OP_SUB, 1], // R_LARCH_SUB8
  [53, OP_SUB, 2], // R_LARCH_SUB16
  [55, OP_SUB, 4], // R_LARCH_SUB32
  [56, OP_SUB, 8], // R_LARCH_SUB64
]);
const NONE = kinds([]);

export function kindsFor(machine: number, elfClass: 32 | 64): Map<number, RelocKind> {
  switch (machine) {
    case EM.X86_64:
      return X86_64;
    case EM[386]:
      return I386;
    case EM.AARCH64:
      return elfClass === 64 ? AARCH64 : AARCH64_ILP32;
    case EM.ARM:
      return ARM;
    case EM.RISCV:
      return RISCV;
    case EM.PPC:
      return PPC;
    case EM.PPC64:
      return PPC64;
    case EM.S390:
      return S390;
    case EM.MIPS:
      return MIPS;
    case EM.SPARC:
    case 18: // EM_SPARC32PLUS
    case EM.SPARCV9:
      return SPARC;
    case EM.M68K:
      return M68K;
    case EM.LOONGARCH:
      return LOONGARCH;
    default:
      return NONE;
  }
}

/** Whether structscope can apply relocation `type` of `machine` (or knows it needs nothing for debug data). */
export function isKnownRelocation(machine: number, elfClass: 32 | 64, type: number): boolean {
  return kindsFor(machine, elfClass).has(type);
}

