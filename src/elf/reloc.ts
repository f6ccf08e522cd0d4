/**
 * Relocations for debug sections of relocatable files (ET_REL: `.o`, `.ko`).
 *
 * Only what debug sections need: absolute data relocations (S + A) of 1/2/4/8 bytes, the
 * RISC-V / LoongArch ADD/SUB/SET pairs that encode label differences, RISC-V ULEB128
 * pairs, and the TLS module-offset relocations found in DW_AT_location expressions.
 * PC-relative relocations are known and deliberately left alone; unknown ones are reported
 * as diagnostics, never thrown.
 *
 * "Linking" an ET_REL file places every section at address 0, so S is the symbol's st_value
 * (section symbols: 0) and a debug section's references to `.debug_str + 0x1234` come out as
 * the offset 0x1234.
 */
import { StructscopeError } from '../util/errors.js';
import { EM, machineName } from './constants.js';
import { OP_ABS, OP_ADD, OP_SET6, OP_SET_ULEB, OP_SKIP, OP_SUB, OP_SUB6, OP_SUB_ULEB, kindsFor } from './reloc-kinds.js';

/** Relocation entries as parallel typed arrays (one entry per index, no object per relocation). */
export interface RelocationTable {
  /** RELA (explicit addends) or REL (addend is the value already in place). */
  readonly rela: boolean;
  readonly count: number;
  /** r_offset: byte offset in the target section. */
  readonly offset: Float64Array;
  /** Symbol index. */
  readonly sym: Uint32Array;
  /** Relocation type (for MIPS64: the first of its three types). */
  readonly type: Uint32Array;
  /** MIPS64 only: r_type2 and r_type3 (0 = R_MIPS_NONE). */
  readonly type2: Uint8Array | undefined;
  readonly type3: Uint8Array | undefined;
  /** r_addend as two's-complement 32-bit halves (all zero for REL). */
  readonly addendLo: Uint32Array;
  readonly addendHi: Int32Array;
  /** Where entry 0 is in the file, and the entry size, for diagnostics. */
  readonly fileOffset: number | undefined;
  readonly entrySize: number;
}

/** One relocation, for building a RelocationTable by hand (tests, synthetic input). */
export interface Relocation {
  offset: number;
  type: number;
  sym: number;
  addend?: number | bigint;
  type2?: number;
  type3?: number;
}

/** What a relocation needs to know about a symbol. ElfSymbol satisfies it. */
export interface RelocSymbol {
  /** st_value (exact below 2^53). */
  value: number;
  /** st_value exactly, when it may exceed 2^53. */
  valueBig?: bigint;
}

/** A problem found while relocating; identical problems are counted, not repeated. */
export interface RelocDiagnostic {
  /** UNSUPPORTED: unknown relocation type; BAD_REF: symbol index out of range; EOF: offset outside the target; LIMIT: value does not fit its field. */
  code: 'UNSUPPORTED' | 'BAD_REF' | 'EOF' | 'LIMIT';
  detail: string;
  /** The relocation type involved. */
  relocType: number;
  /** How many relocations had this problem. */
  count: number;
  /** r_offset of the first one. */
  offset: number;
  /** Relocation section name (set by loadDebugSection). */
  section?: string;
  /** File offset of the first offending relocation entry, when known. */
  fileOffset?: number;
}

export interface ApplyResult {
  data: Uint8Array;
  diagnostics: RelocDiagnostic[];
}

// ------------------------------------------------------------------------------------------------
// Parsing

/** Size of one relocation entry. */
export function relocEntrySize(rela: boolean, elfClass: 32 | 64): number {
  return elfClass === 64 ? (rela ? 24 : 16) : rela ? 12 : 8;
}

/**
 * Decode the bytes of a SHT_REL / SHT_RELA section.
 * ELF64 MIPS uses its own r_info layout (r_sym, r_ssym, r_type3, r_type2, r_type).
 */
export function parseRelocations(
  bytes: Uint8Array,
  rela: boolean,
  elfClass: 32 | 64,
  littleEndian: boolean,
  machine: number,
  where: { section?: string; fileOffset?: number; entsize?: number } = {},
): RelocationTable {
  const size = relocEntrySize(rela, elfClass);
  const stride = where.entsize ? where.entsize : size;
  if (stride < size) {
    throw new StructscopeError('BAD_HEADER', `relocation entry size ${stride} is smaller than ${size}`, where);
  }
  if (bytes.length % stride !== 0) {
    throw new StructscopeError('BAD_HEADER', `relocation section size ${bytes.length} is not a multiple of ${stride}`, where);
  }
  const count = bytes.length / stride;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const le = littleEndian;
  const offset = new Float64Array(count);
  const sym = new Uint32Array(count);
  const type = new Uint32Array(count);
  const addendLo = new Uint32Array(count);
  const addendHi = new Int32Array(count);
  const mips64 = elfClass === 64 && machine === EM.MIPS;
  const type2 = mips64 ? new Uint8Array(count) : undefined;
  const type3 = mips64 ? new Uint8Array(count) : undefined;
  for (let i = 0, p = 0; i < count; i++, p += stride) {
    if (elfClass === 32) {
      offset[i] = dv.getUint32(p, le);
      const info = dv.getUint32(p + 4, le);
      sym[i] = info >>> 8;
      type[i] = info & 0xff;
      if (rela) {
        const a = dv.getInt32(p + 8, le);
        addendLo[i] = a >>> 0;
        addendHi[i] = a < 0 ? -1 : 0;
      }
    } else {
      offset[i] = dv.getUint32(p + (le ? 4 : 0), le) * 0x1_0000_0000 + dv.getUint32(p + (le ? 0 : 4), le);
      if (mips64) {
        sym[i] = dv.getUint32(p + 8, le);
        type3![i] = bytes[p + 13]!;
        type2![i] = bytes[p + 14]!;
        type[i] = bytes[p + 15]!;
      } else {
        // r_info = sym << 32 | type
        sym[i] = dv.getUint32(p + (le ? 12 : 8), le);
        type[i] = dv.getUint32(p + (le ? 8 : 12), le);
      }
      if (rela) {
        addendLo[i] = dv.getUint32(p + (le ? 16 : 20), le);
        addendHi[i] = dv.getInt32(p + (le ? 20 : 16), le);
      }
    }
  }
  return { rela, count, offset, sym, type, type2, type3, addendLo, addendHi, fileOffset: where.fileOffset, entrySize: stride };
}

/** Build a RelocationTable from plain objects. */
export function relocationTable(list: readonly Relocation[], rela: boolean): RelocationTable {
  const count = list.length;
  const offset = new Float64Array(count);
  const sym = new Uint32Array(count);
  const type = new Uint32Array(count);
  const addendLo = new Uint32Array(count);
  const addendHi = new Int32Array(count);
  const composed = list.some((r) => r.type2 !== undefined || r.type3 !== undefined);
  const type2 = composed ? new Uint8Array(count) : undefined;
  const type3 = composed ? new Uint8Array(count) : undefined;
  list.forEach((r, i) => {
    offset[i] = r.offset;
    sym[i] = r.sym;
    type[i] = r.type;
    if (type2) type2[i] = r.type2 ?? 0;
    if (type3) type3[i] = r.type3 ?? 0;
    const a = BigInt.asUintN(64, BigInt(r.addend ?? 0));
    addendLo[i] = Number(a & 0xffffffffn);
    addendHi[i] = Number(BigInt.asIntN(32, a >> 32n));
  });
  return { rela, count, offset, sym, type, type2, type3, addendLo, addendHi, fileOffset: undefined, entrySize: 0 };
}

// ------------------------------------------------------------------------------------------------
// Application

type Val = number | bigint;

const TWO32 = 0x1_0000_0000;

function add(a: Val, b: Val): Val {
  if (typeof a === 'number' && typeof b === 'number') {
    const s = a + b;
    if (Number.isSafeInteger(s)) return s;
  }
  return BigInt(a) + BigInt(b);
}

function sub(a: Val, b: Val): Val {
  if (typeof a === 'number' && typeof b === 'number') {
    const s = a - b;
    if (Number.isSafeInteger(s)) return s;
  }
  return BigInt(a) - BigInt(b);
}

/** Read an unsigned field of 1/2/4/8 bytes. */
function readField(t: Uint8Array, dv: DataView, off: number, width: number, le: boolean): Val {
  switch (width) {
    case 1:
      return t[off]!;
    case 2:
      return dv.getUint16(off, le);
    case 4:
      return dv.getUint32(off, le);
    default: {
      const hi = dv.getUint32(off + (le ? 4 : 0), le);
      const lo = dv.getUint32(off + (le ? 0 : 4), le);
      return hi < 0x200000 ? hi * TWO32 + lo : (BigInt(hi) << 32n) | BigInt(lo);
    }
  }
}

/** Write the low `width` bytes of v (two's complement) in the given byte order. */
function writeField(t: Uint8Array, dv: DataView, off: number, width: number, v: Val, le: boolean): void {
  if (typeof v === 'bigint') {
    if (width === 8) dv.setBigUint64(off, BigInt.asUintN(64, v), le);
    else writeField(t, dv, off, width, Number(BigInt.asUintN(32, v)), le);
    return;
  }
  // ToUint32 (>>> 0) is exact modulo 2^32 for any integral double
  switch (width) {
    case 1:
      t[off] = v & 0xff;
      return;
    case 2:
      dv.setUint16(off, v & 0xffff, le);
      return;
    case 4:
      dv.setUint32(off, v >>> 0, le);
      return;
    default: {
      const lo = v >>> 0;
      const hi = Math.floor(v / TWO32) >>> 0;
      dv.setUint32(off + (le ? 0 : 4), lo, le);
      dv.setUint32(off + (le ? 4 : 0), hi, le);
    }
  }
}

/**
 * Apply relocations to a copy of `target` (or to `target` itself with `inPlace`), as a linker
 * would for a debug section of an ET_REL file. Returns the relocated bytes and the relocations
 * that could not be applied (unknown types, bad symbol indices, offsets outside the section);
 * never throws for bad relocation entries.
 */
export function applyRelocations(
  target: Uint8Array,
  relocs: RelocationTable,
  symbols: readonly RelocSymbol[],
  machine: number,
  elfClass: 32 | 64,
  littleEndian: boolean,
  options: { inPlace?: boolean } = {},
): ApplyResult {
  const t = options.inPlace ? target : target.slice();
  const dv = new DataView(t.buffer, t.byteOffset, t.byteLength);
  const le = littleEndian;
  const table = kindsFor(machine, elfClass);
  const problems = new Map<string, RelocDiagnostic>();
  const note = (code: RelocDiagnostic['code'], type: number, i: number, detail: string): void => {
    const key = `${code}:${type}`;
    const d = problems.get(key);
    if (d) {
      d.count++;
      return;
    }
    problems.set(key, {
      code,
      detail,
      relocType: type,
      count: 1,
      offset: relocs.offset[i]!,
      fileOffset: relocs.fileOffset === undefined ? undefined : relocs.fileOffset + i * relocs.entrySize,
    });
  };

  for (let i = 0; i < relocs.count; i++) {
    const type = relocs.type[i]!;
    const kind = table.get(type);
    if (kind === undefined) {
      note('UNSUPPORTED', type, i, `unsupported relocation type ${type} for ${machineName(machine, elfClass)}`);
      continue;
    }
    if ((relocs.type2 && relocs.type2[i]) || (relocs.type3 && relocs.type3[i])) {
      note('UNSUPPORTED', type, i, `composed MIPS relocation (${type}, ${relocs.type2![i]}, ${relocs.type3![i]}) is not supported`);
      continue;
    }
    if (kind.op === OP_SKIP) continue;
    const off = relocs.offset[i]!;
    if (off + kind.width > t.length || (kind.width === 0 && off >= t.length)) {
      note('EOF', type, i, `relocation at offset 0x${off.toString(16)} lies outside the ${t.length}-byte section`);
      continue;
    }
    const symIndex = relocs.sym[i]!;
    let s: Val = 0;
    if (symIndex !== 0) {
      const sym = symbols[symIndex];
      if (sym === undefined) {
        note('BAD_REF', type, i, `relocation refers to symbol ${symIndex}, but there are ${symbols.length}`);
        continue;
      }
      s = Number.isSafeInteger(sym.value) ? sym.value : (sym.valueBig ?? BigInt(sym.value));
    }
    let a: Val;
    if (relocs.rela) {
      const hi = relocs.addendHi[i]!;
      const lo = relocs.addendLo[i]!;
      a = hi >= -0x200000 && hi < 0x200000 ? hi * TWO32 + lo : BigInt(hi) * 0x1_0000_0000n + BigInt(lo);
    } else {
      // REL: the addend is the value in place, read with the relocation's own width
      a = kind.op === OP_ABS ? readField(t, dv, off, kind.width, le) : 0;
    }
    const sa = add(s, a);
    switch (kind.op) {
      case OP_ABS:
        writeField(t, dv, off, kind.width, kind.bias ? add(sa, kind.bias) : sa, le);
        break;
      case OP_ADD:
        writeField(t, dv, off, kind.width, add(readField(t, dv, off, kind.width, le), sa), le);
        break;
      case OP_SUB:
        writeField(t, dv, off, kind.width, sub(readField(t, dv, off, kind.width, le), sa), le);
        break;
      case OP_SET6: {
        const low = Number(BigInt.asUintN(6, BigInt(sa)));
        t[off] = (t[off]! & 0xc0) | low;
        break;
      }
      case OP_SUB6: {
        const low = Number(BigInt.asUintN(6, BigInt(t[off]! & 0x3f) - BigInt(sa)));
        t[off] = (t[off]! & 0xc0) | low;
        break;
      }
      case OP_SET_ULEB:
      case OP_SUB_ULEB: {
        const r = ulebAt(t, off);
        if (r === undefined) {
          note('EOF', type, i, `ULEB128 at offset 0x${off.toString(16)} runs past the section`);
          break;
        }
        const v = kind.op === OP_SET_ULEB ? BigInt(sa) : r.value - BigInt(sa);
        if (v < 0n || v >= 1n << BigInt(7 * r.length)) {
          note('LIMIT', type, i, `value does not fit the ${r.length}-byte ULEB128 at offset 0x${off.toString(16)}`);
          break;
        }
        let rest = v;
        for (let k = 0; k < r.length; k++) {
          t[off + k] = Number(rest & 0x7fn) | (k < r.length - 1 ? 0x80 : 0);
          rest >>= 7n;
        }
        break;
      }
    }
  }
  return { data: t, diagnostics: [...problems.values()] };
}

function ulebAt(t: Uint8Array, off: number): { value: bigint; length: number } | undefined {
  let value = 0n;
  let shift = 0n;
  for (let p = off; p < t.length; p++) {
    const b = t[p]!;
    value |= BigInt(b & 0x7f) << shift;
    shift += 7n;
    if (!(b & 0x80)) return { value, length: p - off + 1 };
  }
  return undefined;
}
