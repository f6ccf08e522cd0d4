import { StructscopeError } from '../util/errors.js';
import { DW_AT, DW_FORM, DW_OP, DW_TAG, formName } from './constants.js';
import { VARIABLE, fixedFormSize, type AbbrevTable } from './abbrev.js';
import { DieFlag, RefKind, StrKind, UnitDies } from './dies.js';
import type { SectionBytes } from './sections.js';
import type { UnitHeader } from './unit.js';
import { hex8 } from './unit.js';

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

/** Tags whose attributes we decode; every other DIE is skipped but kept in the tree. */
const WANTED = new Uint8Array(0x50);
for (const t of [
  DW_TAG.array_type, DW_TAG.class_type, DW_TAG.enumeration_type, DW_TAG.formal_parameter, DW_TAG.member,
  DW_TAG.pointer_type, DW_TAG.reference_type, DW_TAG.structure_type, DW_TAG.subroutine_type, DW_TAG.typedef,
  DW_TAG.union_type, DW_TAG.unspecified_parameters, DW_TAG.inheritance, DW_TAG.ptr_to_member_type,
  DW_TAG.subrange_type, DW_TAG.base_type, DW_TAG.const_type, DW_TAG.enumerator, DW_TAG.volatile_type,
  DW_TAG.restrict_type, DW_TAG.interface_type, DW_TAG.unspecified_type, DW_TAG.rvalue_reference_type,
  DW_TAG.atomic_type, DW_TAG.immutable_type, DW_TAG.variable, DW_TAG.packed_type, DW_TAG.generic_subrange,
]) WANTED[t] = 1;
// dwz: DW_TAG_imported_unit's DW_AT_import is kept in the type slot (see case DW_AT.import)
WANTED[DW_TAG.imported_unit] = 1;

/** Aggregate tags: their DW_TAG_subprogram children (member functions) are decoded too. */
const AGGREGATE = new Uint8Array(0x50);
for (const t of [DW_TAG.structure_type, DW_TAG.class_type, DW_TAG.union_type, DW_TAG.interface_type]) AGGREGATE[t] = 1;

function isAggregateTag(tag: number): boolean {
  return tag < 0x50 && AGGREGATE[tag] === 1;
}

const MAX_DEPTH = 4096;

/**
 * Decode every DIE of `unit` into `dies` (reset first). This is the hot loop of the whole tool:
 * LEB128 and fixed-width reads are written out inline on a local index rather than through a
 * Reader, because a helper would have to return both value and position (an allocation per value).
 * Returns the unit DIE's attributes.
 * Throws StructscopeError naming the section offset when the unit is malformed.
 */
export function scanUnit(sec: SectionBytes, unit: UnitHeader, abbrevs: AbbrevTable, dies: UnitDies, littleEndian: boolean): UnitRoot {
  dies.reset(unit.offset, unit.end - unit.offset);
  const b = sec.bytes;
  const end = unit.end;
  const plan = abbrevs.plan(unit);
  const { formSize, fixedTotal } = plan;
  const offsetSize = unit.offsetSize;
  const addrSize = unit.addressSize;
  const refAddrSize = unit.version <= 2 ? unit.addressSize : unit.offsetSize;
  const unitStart = unit.offset;
  const root: UnitRoot = { tag: 0, nameKind: StrKind.None, name: 0, compDirKind: StrKind.None, compDir: 0, dwoNameKind: StrKind.None, dwoName: 0 };
  const fail = (at: number, msg: string, code: 'EOF' | 'BAD_ABBREV' | 'BAD_FORM' | 'LIMIT' = 'EOF'): never => {
    throw new StructscopeError(code, msg, { section: sec.name, fileOffset: sec.fileOffset + at });
  };

  // unsigned little/big-endian reads of n bytes at p (n <= 8); values above 2^53 lose precision
  const rd = (p: number, n: number): number => readUnsigned(b, p, n, littleEndian);

  let p = unit.dieOffset;
  let parent = -1;
  let lastChild = -1; // last child appended under `parent`
  const lastChildStack: number[] = [];
  // inside a function body (under a subprogram that is not a member function, not under a type):
  // parameters and variables there are skipped, and leaves that are not types are not recorded
  let inBody = false;
  const bodyStack: boolean[] = [];
  let depth = 0;
  const skipAttributes = (at: number, ai: number, aStart: number, aEnd: number): number => {
    const fixed = fixedTotal[ai]!;
    if (fixed !== VARIABLE) return at + fixed;
    for (let j = aStart; j < aEnd; j++) {
      const sz = formSize[j]!;
      if (sz !== VARIABLE) at += sz;
      else at = skipVariable(b, at, abbrevs.attrForm[j]!, unit, littleEndian, fail);
    }
    return at;
  };
  while (p < end) {
    const dieOff = p;
    // abbreviation code (ULEB128)
    let code = b[p++]!;
    if (code >= 0x80) {
      code &= 0x7f;
      let mul = 0x80;
      let byte: number;
      do {
        byte = b[p++]!;
        code += (byte & 0x7f) * mul;
        mul *= 0x80;
      } while (byte & 0x80);
    }
    if (code === 0) {
      // end of a sibling chain
      if (parent < 0) continue; // padding after the unit DIE
      lastChild = lastChildStack.pop()!;
      inBody = bodyStack.pop()!;
      parent = dies.parent[parent]!;
      depth--;
      continue;
    }
    const ai = abbrevs.indexOf(code);
    if (ai < 0) fail(dieOff, `abbreviation code ${code} not in the table at 0x${unit.abbrevOffset.toString(16)}`, 'BAD_ABBREV');
    const tag = abbrevs.tags[ai]!;
    const aStart = abbrevs.attrStart[ai]!;
    const aEnd = aStart + abbrevs.attrCount[ai]!;
    const isRoot = dies.count === 0;
    // member functions: DW_TAG_subprogram directly inside a struct/class/union (never elsewhere)
    const isMethod = tag === DW_TAG.subprogram && parent >= 0 && isAggregateTag(dies.tag[parent]!);
    const wanted = isRoot || isMethod || (tag < 0x50 && WANTED[tag] === 1 && !(inBody && (tag === DW_TAG.formal_parameter || tag === DW_TAG.variable)));
    const hasChildren = abbrevs.hasChildren[ai] === 1;
    if (!wanted && inBody && !hasChildren) {
      // a function's parameter, variable, label or call site: not even recorded
      p = skipAttributes(p, ai, aStart, aEnd);
      if (p > end) fail(dieOff, 'DIE runs past the end of the unit');
      continue;
    }
    const i = dies.push(dieOff, tag, parent);
    if (lastChild >= 0) dies.nextSibling[lastChild] = i;
    else if (parent >= 0) dies.firstChild[parent] = i;
    lastChild = i;

    if (!wanted) {
      p = skipAttributes(p, ai, aStart, aEnd);
    } else {
      if (isMethod) dies.resetMethod(i);
      for (let j = aStart; j < aEnd; j++) {
        const at = abbrevs.attrName[j]!;
        let form = abbrevs.attrForm[j]!;
        const valPos = p;
        if (form === DW_FORM.indirect) {
          form = 0;
          let mul = 1;
          let byte: number;
          do {
            byte = b[p++]!;
            form += (byte & 0x7f) * mul;
            mul *= 0x80;
          } while (byte & 0x80);
          if (form === DW_FORM.indirect || form === DW_FORM.implicit_const) fail(valPos, `bad indirect form ${formName(form)}`, 'BAD_FORM');
        }
        // decode the value: number `v`, or a string/ref/block description
        let v = NaN;
        let strKind = StrKind.None;
        let refKind = RefKind.None;
        let blockStart = -1;
        let blockLen = 0;
        let signed = false;
        switch (form) {
          case DW_FORM.addr:
            v = rd(p, addrSize);
            p += addrSize;
            break;
          case DW_FORM.data1:
          case DW_FORM.flag:
            v = b[p]!;
            p += 1;
            break;
          case DW_FORM.data2:
            v = rd(p, 2);
            p += 2;
            break;
          case DW_FORM.data4:
            v = rd(p, 4);
            p += 4;
            break;
          case DW_FORM.data8:
            v = rd(p, 8);
            p += 8;
            break;
          case DW_FORM.data16:
            p += 16;
            break;
          case DW_FORM.sdata: {
            let result = 0;
            let mul = 1;
            let byte: number;
            do {
              byte = b[p++]!;
              result += (byte & 0x7f) * mul;
              mul *= 0x80;
            } while (byte & 0x80);
            if (mul > LEB_MAX_MUL) fail(valPos, LEB_TOO_LONG, 'BAD_FORM');
            if (byte & 0x40) result -= mul;
            v = result;
            signed = true;
            break;
          }
          case DW_FORM.udata:
          case DW_FORM.ref_udata:
          case DW_FORM.strx:
          case DW_FORM.addrx:
          case DW_FORM.loclistx:
          case DW_FORM.rnglistx:
          case DW_FORM.GNU_addr_index:
          case DW_FORM.GNU_str_index: {
            let result = 0;
            let mul = 1;
            let byte: number;
            do {
              byte = b[p++]!;
              result += (byte & 0x7f) * mul;
              mul *= 0x80;
            } while (byte & 0x80);
            if (mul > LEB_MAX_MUL) fail(valPos, LEB_TOO_LONG, 'BAD_FORM');
            v = result;
            if (form === DW_FORM.ref_udata) {
              v += unitStart;
              refKind = RefKind.Section;
            } else if (form === DW_FORM.strx || form === DW_FORM.GNU_str_index) strKind = StrKind.Strx;
            break;
          }
          case DW_FORM.implicit_const:
            v = abbrevs.implicitConst[j]!;
            signed = true;
            break;
          case DW_FORM.flag_present:
            v = 1;
            break;
          case DW_FORM.string: {
            const z = b.indexOf(0, p);
            if (z < 0 || z >= end) fail(p, 'unterminated inline string');
            v = p;
            strKind = StrKind.Inline;
            p = z + 1;
            break;
          }
          case DW_FORM.strp:
            v = rd(p, offsetSize);
            p += offsetSize;
            strKind = StrKind.Strp;
            break;
          case DW_FORM.line_strp:
            v = rd(p, offsetSize);
            p += offsetSize;
            strKind = StrKind.LineStrp;
            break;
          case DW_FORM.strp_sup:
          case DW_FORM.GNU_strp_alt:
            v = rd(p, offsetSize);
            p += offsetSize;
            strKind = StrKind.StrpAlt;
            break;
          case DW_FORM.strx1:
            v = b[p]!;
            p += 1;
            strKind = StrKind.Strx;
            break;
          case DW_FORM.strx2:
            v = rd(p, 2);
            p += 2;
            strKind = StrKind.Strx;
            break;
          case DW_FORM.strx3:
            v = rd(p, 3);
            p += 3;
            strKind = StrKind.Strx;
            break;
          case DW_FORM.strx4:
            v = rd(p, 4);
            p += 4;
            strKind = StrKind.Strx;
            break;
          case DW_FORM.addrx1:
            p += 1;
            break;
          case DW_FORM.addrx2:
            p += 2;
            break;
          case DW_FORM.addrx3:
            p += 3;
            break;
          case DW_FORM.addrx4:
            p += 4;
            break;
          case DW_FORM.ref1:
            v = b[p]! + unitStart;
            p += 1;
            refKind = RefKind.Section;
            break;
          case DW_FORM.ref2:
            v = rd(p, 2) + unitStart;
            p += 2;
            refKind = RefKind.Section;
            break;
          case DW_FORM.ref4:
            v = rd(p, 4) + unitStart;
            p += 4;
            refKind = RefKind.Section;
            break;
          case DW_FORM.ref8:
            v = rd(p, 8) + unitStart;
            p += 8;
            refKind = RefKind.Section;
            break;
          case DW_FORM.ref_addr:
            v = rd(p, refAddrSize);
            p += refAddrSize;
            refKind = RefKind.Section;
            break;
          case DW_FORM.ref_sig8:
            v = dies.signatures.length;
            dies.signatures.push(hex8(b.subarray(p, p + 8), littleEndian));
            p += 8;
            refKind = RefKind.Signature;
            break;
          case DW_FORM.ref_sup4:
            v = rd(p, 4);
            p += 4;
            refKind = RefKind.Alt;
            break;
          case DW_FORM.ref_sup8:
            v = rd(p, 8);
            p += 8;
            refKind = RefKind.Alt;
            break;
          case DW_FORM.GNU_ref_alt:
            v = rd(p, offsetSize);
            p += offsetSize;
            refKind = RefKind.Alt;
            break;
          case DW_FORM.sec_offset:
            v = rd(p, offsetSize);
            p += offsetSize;
            break;
          case DW_FORM.block1:
            blockLen = b[p]!;
            blockStart = p + 1;
            p = blockStart + blockLen;
            break;
          case DW_FORM.block2:
            blockLen = rd(p, 2);
            blockStart = p + 2;
            p = blockStart + blockLen;
            break;
          case DW_FORM.block4:
            blockLen = rd(p, 4);
            blockStart = p + 4;
            p = blockStart + blockLen;
            break;
          case DW_FORM.block:
          case DW_FORM.exprloc: {
            let result = 0;
            let mul = 1;
            let byte: number;
            do {
              byte = b[p++]!;
              result += (byte & 0x7f) * mul;
              mul *= 0x80;
            } while (byte & 0x80);
            blockLen = result;
            blockStart = p;
            p += blockLen;
            break;
          }
          default:
            fail(valPos, `unknown attribute form ${formName(form)}`, 'BAD_FORM');
        }
        if (p > end) fail(valPos, 'attribute value runs past the end of the unit');
        switch (at) {
          case DW_AT.name:
            if (strKind !== StrKind.None) {
              dies.nameKind[i] = strKind;
              dies.name[i] = v;
            }
            break;
          case DW_AT.type:
            if (refKind !== RefKind.None) {
              dies.typeKind[i] = refKind;
              dies.type[i] = v;
            }
            break;
          case DW_AT.import:
            // DW_TAG_imported_unit (dwz): the partial unit it pulls in, stored as a type reference
            if (refKind !== RefKind.None && tag === DW_TAG.imported_unit) {
              dies.typeKind[i] = refKind;
              dies.type[i] = v;
            }
            break;
          case DW_AT.signature:
            // a declaration completed by a type unit: treat like a type reference to that unit
            if (refKind === RefKind.Signature && dies.typeKind[i] === RefKind.None) {
              dies.typeKind[i] = refKind;
              dies.type[i] = v;
            }
            break;
          case DW_AT.containing_type:
            if (refKind !== RefKind.None) {
              dies.containingKind[i] = refKind;
              dies.containing[i] = v;
            }
            break;
          case DW_AT.byte_size:
            if (refKind === RefKind.None && blockStart < 0) dies.byteSize[i] = v;
            break;
          case DW_AT.bit_size:
            if (refKind === RefKind.None && blockStart < 0) dies.bitSize[i] = v;
            break;
          case DW_AT.bit_offset:
            dies.bitOffset[i] = v;
            break;
          case DW_AT.data_bit_offset:
            dies.dataBitOffset[i] = v;
            break;
          case DW_AT.data_member_location:
            if (blockStart >= 0) {
              const loc = evalLocation(b, blockStart, blockLen);
              if (loc === undefined) dies.flags[i]! |= DieFlag.LocationNotConstant;
              else dies.memberLocation[i] = loc;
            } else if (form === DW_FORM.sec_offset || form === DW_FORM.loclistx) {
              dies.flags[i]! |= DieFlag.LocationNotConstant;
            } else dies.memberLocation[i] = v;
            break;
          case DW_AT.upper_bound:
            if (refKind === RefKind.None && blockStart < 0) dies.upperBound[i] = signed ? v : unsignedBound(v, form);
            break;
          case DW_AT.lower_bound:
            if (refKind === RefKind.None && blockStart < 0) dies.lowerBound[i] = v;
            break;
          case DW_AT.count:
            if (refKind === RefKind.None && blockStart < 0) dies.count_[i] = v;
            break;
          case DW_AT.encoding:
            dies.encoding[i] = v;
            break;
          case DW_AT.alignment:
            dies.alignment[i] = v;
            break;
          case DW_AT.decl_file:
            dies.declFile[i] = v;
            break;
          case DW_AT.decl_line:
            dies.declLine[i] = v;
            break;
          case DW_AT.accessibility:
            dies.accessibility[i] = v;
            break;
          case DW_AT.virtuality:
            dies.virtuality[i] = v;
            break;
          case DW_AT.MIPS_linkage_name:
            if (strKind !== StrKind.None) {
              dies.linkageKind[i] = strKind;
              dies.linkage[i] = v;
            }
            break;
          case DW_AT.inline:
            dies.inline[i] = v;
            break;
          case DW_AT.vtable_elem_location:
            if (blockStart >= 0) {
              const loc = evalLocation(b, blockStart, blockLen);
              if (loc !== undefined) dies.vtableIndex[i] = loc;
            } else if (refKind === RefKind.None && strKind === StrKind.None) dies.vtableIndex[i] = v;
            break;
          case DW_AT.const_value:
            dies.constValue[i] = v;
            dies.constPos[i] = valPos;
            dies.constForm[i] = form;
            if (signed) dies.flags[i]! |= DieFlag.ConstSigned;
            break;
          case DW_AT.declaration:
            if (v) dies.flags[i]! |= DieFlag.Declaration;
            break;
          case DW_AT.artificial:
            if (v) dies.flags[i]! |= DieFlag.Artificial;
            break;
          case DW_AT.external:
            if (v) dies.flags[i]! |= DieFlag.External;
            break;
          case DW_AT.prototyped:
            if (v) dies.flags[i]! |= DieFlag.Prototyped;
            break;
          case DW_AT.GNU_vector:
            if (v) dies.flags[i]! |= DieFlag.Vector;
            break;
          case DW_AT.export_symbols:
            if (v) dies.flags[i]! |= DieFlag.ExportSymbols;
            break;
          default:
            // the 64-bit dwo_id does not fit a number: keep its bytes
            if (isRoot && at === DW_AT.GNU_dwo_id && form === DW_FORM.data8) root.dwoId = hex8(b.subarray(p - 8, p), littleEndian);
            else if (isRoot) readRootAttr(root, at, v, strKind);
        }
      }
      if (isRoot) {
        root.tag = tag;
        root.nameKind = dies.nameKind[0] as StrKind;
        root.name = dies.name[0]!;
      }
    }
    if (p > end) fail(dieOff, 'DIE runs past the end of the unit');
    if (hasChildren) {
      if (++depth > MAX_DEPTH) fail(dieOff, `DIE nesting deeper than ${MAX_DEPTH}`, 'LIMIT');
      lastChildStack.push(lastChild);
      bodyStack.push(inBody);
      parent = i;
      lastChild = -1;
      // a function body starts under a subprogram that is not a member function and ends under a type
      if (isRoot || isMethod || wanted) inBody = false;
      else if (tag === DW_TAG.subprogram) inBody = true;
    }
  }
  return root;
}

function readRootAttr(root: UnitRoot, at: number, v: number, strKind: StrKind): void {
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
function unsignedBound(v: number, form: number): number {
  // 0xff and 0xffff are real bounds (char x[256]); only all-ones 4- and 8-byte values mean -1
  if ((form === DW_FORM.data4 && v === 0xffffffff) || (form === DW_FORM.data8 && v >= 2 ** 64 - 2048)) return -1;
  return v;
}

/** A member location expression reduced to a constant: DW_OP_plus_uconst N, DW_OP_constu N, DW_OP_litN. */
function evalLocation(b: Uint8Array, start: number, len: number): number | undefined {
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

type Fail = (at: number, msg: string, code?: 'BAD_FORM') => never;

/** Skip a value of a form whose size is not fixed; returns the position after it. */
function skipVariable(b: Uint8Array, p: number, form: number, unit: UnitHeader, le: boolean, fail: Fail): number {
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
    case DW_FORM.exprloc: {
      let result = 0;
      let mul = 1;
      let byte: number;
      do {
        byte = b[p++]!;
        result += (byte & 0x7f) * mul;
        mul *= 0x80;
      } while (byte & 0x80);
      return p + result;
    }
    case DW_FORM.indirect: {
      let inner = 0;
      let mul = 1;
      let byte: number;
      do {
        byte = b[p++]!;
        inner += (byte & 0x7f) * mul;
        mul *= 0x80;
      } while (byte & 0x80);
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
      while (b[p++]! & 0x80);
      return p;
  }
}

/** A LEB128 of more than 10 bytes holds more than 64 bits: no DWARF value is that wide. */
const LEB_MAX_MUL = 2 ** 70;
const LEB_TOO_LONG = 'LEB128 value longer than 10 bytes (more than 64 bits)';

function readUnsigned(b: Uint8Array, p: number, n: number, le: boolean): number {
  let v = 0;
  if (le) for (let k = n - 1; k >= 0; k--) v = v * 256 + b[p + k]!;
  else for (let k = 0; k < n; k++) v = v * 256 + b[p + k]!;
  return v;
}
