/** The unit DIE's attributes, and the values the DIE scan decodes off its hot path (scan.ts, die-decoder.ts). */
import { StructscopeError } from '../util/errors.js';
import { DW_AT, DW_FORM, DW_OP, formName } from './constants.js';
import { VARIABLE, fixedFormSize } from './abbrev.js';
import { StrKind } from './dies.js';
import type { UnitHeader } from './unit.js';

/** Attributes of the unit DIE itself. */
export interface UnitRoot {
  tag: number;
  language?: number;
  strOffsetsBase?: number;
  addrBase?: number;
  stmtList?: number;
  nameKind: StrKind;
  name: number;
  compDirKind: StrKind;
  compDir: number;
  dwoNameKind: StrKind;
  dwoName: number;
  /** DW_AT_GNU_dwo_id of a GNU DWARF 4 skeleton (16 hex digits; DWARF 5 has it in the unit header). */
  dwoId?: string;
}

export function readRootAttr(root: UnitRoot, at: number, v: number, strKind: StrKind): void {
  switch (at) {
    case DW_AT.language:
      root.language = v;
      break;
    case DW_AT.str_offsets_base:
      root.strOffsetsBase = v;
      break;
    case DW_AT.addr_base:
    case DW_AT.GNU_addr_base:
      root.addrBase = v;
      break;
    case DW_AT.stmt_list:
      root.stmtList = v;
      break;
    case DW_AT.comp_dir:
      root.compDirKind = strKind;
      root.compDir = v;
      break;
    case DW_AT.dwo_name:
    case DW_AT.GNU_dwo_name:
      root.dwoNameKind = strKind;
      root.dwoName = v;
      break;
  }
}

/** Older producers write an unsigned -1 upper bound for `T x[0]` / flexible arrays. */
export function unsignedBound(v: number, form: number): number {
  // 0xff and 0xffff are real bounds (char x[256]); only all-ones 4- and 8-byte values mean -1
  if ((form === DW_FORM.data4 && v === 0xffffffff) || (form === DW_FORM.data8 && v >= 2 ** 64 - 2048)) return -1;
  return v;
}

/** A member location expression reduced to a constant: DW_OP_plus_uconst N, DW_OP_constu N, DW_OP_litN. */
export function evalLocation(b: Uint8Array, start: number, len: number): number | undefined {
  if (len === 0) return 0;
  const op = b[start]!;
  let p = start + 1;
  const uleb = (): number => {
    let result = 0;
    let mul = 1;
    let byte: number;
    do {
      byte = b[p++]!;
      result += (byte & 0x7f) * mul;
      mul *= 0x80;
    } while (byte & 0x80 && p < start + len);
    return result;
  };
  let v: number | undefined;
  if (op === DW_OP.plus_uconst || op === DW_OP.constu) v = uleb();
  else if (op >= DW_OP.lit0 && op < DW_OP.lit0 + 32) v = op - DW_OP.lit0;
  else return undefined;
  return p === start + len ? v : undefined;
}

export type Fail = (at: number, msg: string, code?: 'BAD_FORM') => never;

/** Skip a value of a form whose size is not fixed; returns the position after it. */
export function skipVariable(b: Uint8Array, p: number, form: number, unit: UnitHeader, le: boolean, fail: Fail): number {
  switch (form) {
    case DW_FORM.string: {
      const z = b.indexOf(0, p);
      return z < 0 ? unit.end + 1 : z + 1;
    }
    case DW_FORM.block1:
      return p + 1 + b[p]!;
    case DW_FORM.block2:
      return p + 2 + readUnsigned(b, p, 2, le);
    case DW_FORM.block4:
      return p + 4 + readUnsigned(b, p, 4, le);
    case DW_FORM.block:
    case DW_FORM.exprloc:
      return ulebEnd(b, p) + ulebValue(b, p);
    case DW_FORM.indirect: {
      const inner = ulebValue(b, p);
      p = ulebEnd(b, p);
      if (inner === DW_FORM.indirect || inner === DW_FORM.implicit_const) fail(p, `bad indirect form ${formName(inner)}`, 'BAD_FORM');
      let size: number;
      try {
        size = fixedFormSize(inner, unit);
      } catch (e) {
        if (e instanceof StructscopeError) return fail(p, e.detail, 'BAD_FORM');
        throw e;
      }
      return size === VARIABLE ? skipVariable(b, p, inner, unit, le, fail) : p + size;
    }
    default:
      // the LEB128 forms
      return ulebEnd(b, p);
  }
}

/** The unsigned LEB128 at b[p] (off the hot path: the DIE loops read theirs inline). */
export function ulebValue(b: Uint8Array, p: number): number {
  let result = 0;
  let mul = 1;
  let byte: number;
  do {
    byte = b[p++]!;
    result += (byte & 0x7f) * mul;
    mul *= 0x80;
  } while (byte & 0x80);
  return result;
}

/** The position after the LEB128 at b[p]. */
export function ulebEnd(b: Uint8Array, p: number): number {
  while (b[p++]! & 0x80);
  return p;
}

/** A LEB128 of more than 10 bytes holds more than 64 bits: no DWARF value is that wide. */
export const LEB_MAX_MUL = 2 ** 70;
export const LEB_TOO_LONG = 'LEB128 value longer than 10 bytes (more than 64 bits)';

export function readUnsigned(b: Uint8Array, p: number, n: number, le: boolean): number {
  let v = 0;
  if (le) for (let k = n - 1; k >= 0; k--) v = v * 256 + b[p + k]!;
  else for (let k = 0; k < n; k++) v = v * 256 + b[p + k]!;
  return v;
}
