/**
 * The attributes of one wanted DIE, decoded into its row of UnitDies: the inner half of the DIE
 * scan (scan.ts walks the tree, skips what is not wanted and calls decode() for the rest). LEB128
 * and fixed-width reads are written out inline on a local index rather than through a Reader,
 * because a helper would have to return both value and position (an allocation per value).
 */
import { DW_AT, DW_FORM, DW_TAG, formName } from './constants.js';
import { fixedFormSize, type AbbrevTable } from './abbrev.js';
import { DieFlag, RefKind, StrKind, type UnitDies } from './dies.js';
import { evalLocation, LEB_MAX_MUL, LEB_TOO_LONG, readRootAttr, readUnsigned, ulebEnd, ulebValue, unsignedBound, type Fail, type UnitRoot } from './scan-values.js';
import type { UnitHeader } from './unit.js';
import { hex8 } from './unit.js';

/** How the decoder reads a fixed-size form (Simple.No: not fixed-size, read by the switch). */
const enum Simple {
  No = 0,
  /** a number (data, flag, address, section offset) */
  Number,
  /** an address index (DW_FORM_addrx1..4): skipped */
  Skip,
  Strp,
  LineStrp,
  StrpAlt,
  Strx,
  /** a reference relative to the unit (DW_FORM_ref1..8) */
  RefUnit,
  /** a .debug_info offset (DW_FORM_ref_addr) */
  RefSection,
  /** an offset in the supplementary file's .debug_info (DW_FORM_ref_sup4/8) */
  RefAlt,
}

const SIMPLE = new Uint8Array(0x2d);
const simpleForms: [Simple, number[]][] = [
  [Simple.Number, [DW_FORM.addr, DW_FORM.data1, DW_FORM.flag, DW_FORM.data2, DW_FORM.data4, DW_FORM.data8, DW_FORM.sec_offset]],
  [Simple.Skip, [DW_FORM.addrx1, DW_FORM.addrx2, DW_FORM.addrx3, DW_FORM.addrx4]],
  [Simple.Strp, [DW_FORM.strp]],
  [Simple.LineStrp, [DW_FORM.line_strp]],
  [Simple.StrpAlt, [DW_FORM.strp_sup]],
  [Simple.Strx, [DW_FORM.strx1, DW_FORM.strx2, DW_FORM.strx3, DW_FORM.strx4]],
  [Simple.RefUnit, [DW_FORM.ref1, DW_FORM.ref2, DW_FORM.ref4, DW_FORM.ref8]],
  [Simple.RefSection, [DW_FORM.ref_addr]],
  [Simple.RefAlt, [DW_FORM.ref_sup4, DW_FORM.ref_sup8]],
];
for (const [kind, forms] of simpleForms) for (const f of forms) SIMPLE[f] = kind;
const STR_KIND: StrKind[] = [];
STR_KIND[Simple.Strp] = StrKind.Strp;
STR_KIND[Simple.LineStrp] = StrKind.LineStrp;
STR_KIND[Simple.StrpAlt] = StrKind.StrpAlt;
STR_KIND[Simple.Strx] = StrKind.Strx;

/** Decodes the attributes of the DIEs of one unit (made per unit by scanUnit). */
export class DieDecoder {
  private readonly offsetSize: number;
  private readonly unitStart: number;
  private readonly end: number;
  /** Byte size of each fixed-size form (SIMPLE) in this unit's encoding. */
  private readonly size = new Uint8Array(SIMPLE.length);

  constructor(
    private readonly b: Uint8Array,
    unit: UnitHeader,
    private readonly abbrevs: AbbrevTable,
    private readonly dies: UnitDies,
    private readonly root: UnitRoot,
    private readonly le: boolean,
    private readonly fail: Fail,
  ) {
    this.offsetSize = unit.offsetSize;
    this.unitStart = unit.offset;
    this.end = unit.end;
    for (let f = 0; f < SIMPLE.length; f++) if (SIMPLE[f] !== Simple.No) this.size[f] = fixedFormSize(f, unit);
  }

  /**
   * Decode attributes aStart..aEnd-1 (of the abbreviation table) of DIE i, whose values start at
   * p; returns the position after them. `isRoot`: the unit DIE, whose own attributes go to `root`.
   */
  decode(i: number, p: number, aStart: number, aEnd: number, tag: number, isRoot: boolean, isRootDecl = false): number {
    const { b, abbrevs, dies, root, le, fail, offsetSize, unitStart, end } = this;
    for (let j = aStart; j < aEnd; j++) {
      const at = abbrevs.attrName[j]!;
      let form = abbrevs.attrForm[j]!;
      const valPos = p;
      if (form === DW_FORM.indirect) {
        form = ulebValue(b, p);
        p = ulebEnd(b, p);
        if (form === DW_FORM.indirect || form === DW_FORM.implicit_const) fail(valPos, `bad indirect form ${formName(form)}`, 'BAD_FORM');
      }
      // decode the value: number `v`, or a string/ref/block description
      let v = NaN;
      let strKind = StrKind.None;
      let refKind = RefKind.None;
      let blockStart = -1;
      let blockLen = 0;
      let signed = false;
      const simple = form < SIMPLE.length ? SIMPLE[form]! : Simple.No;
      if (simple !== Simple.No) {
        // a fixed-size value: its size for this unit's encoding, and what it names
        const n = this.size[form]!;
        if (simple !== Simple.Skip) v = n === 1 ? b[p]! : readUnsigned(b, p, n, le);
        p += n;
        if (simple >= Simple.RefUnit) {
          refKind = simple === Simple.RefAlt ? RefKind.Alt : RefKind.Section;
          if (simple === Simple.RefUnit) v += unitStart;
        } else if (simple !== Simple.Number && simple !== Simple.Skip) strKind = STR_KIND[simple]!;
      } else
        switch (form) {
          case DW_FORM.data16:
            p += 16;
            break;
          case DW_FORM.sdata:
          case DW_FORM.udata:
          case DW_FORM.ref_udata:
          case DW_FORM.strx:
          case DW_FORM.addrx:
          case DW_FORM.loclistx:
          case DW_FORM.rnglistx:
          case DW_FORM.GNU_addr_index:
          case DW_FORM.GNU_str_index:
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
            if (form === DW_FORM.block || form === DW_FORM.exprloc) {
              blockLen = result;
              blockStart = p;
              p += blockLen;
              break;
            }
            if (mul > LEB_MAX_MUL) fail(valPos, LEB_TOO_LONG, 'BAD_FORM');
            if (form === DW_FORM.sdata) {
              if (byte & 0x40) result -= mul;
              signed = true;
            }
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
          case DW_FORM.GNU_strp_alt:
            v = readUnsigned(b, p, offsetSize, le);
            p += offsetSize;
            strKind = StrKind.StrpAlt;
            break;
          case DW_FORM.GNU_ref_alt:
            v = readUnsigned(b, p, offsetSize, le);
            p += offsetSize;
            refKind = RefKind.Alt;
            break;
          case DW_FORM.ref_sig8:
            v = dies.signatures.length;
            dies.signatures.push(hex8(b.subarray(p, p + 8), le));
            p += 8;
            refKind = RefKind.Signature;
            break;
          case DW_FORM.block1:
          case DW_FORM.block2:
          case DW_FORM.block4: {
            const n = form === DW_FORM.block1 ? 1 : form === DW_FORM.block2 ? 2 : 4;
            blockLen = readUnsigned(b, p, n, le);
            blockStart = p + n;
            p = blockStart + blockLen;
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
        case DW_AT.discr:
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
        case DW_AT.linkage_name:
          // only for diff --abi's roots (C++ symbols are matched by their linkage name)
          if (isRootDecl && strKind !== StrKind.None) {
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
        case DW_AT.discr_value:
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
          if (isRoot && at === DW_AT.GNU_dwo_id && form === DW_FORM.data8) root.dwoId = hex8(b.subarray(p - 8, p), le);
          else if (isRoot) readRootAttr(root, at, v, strKind);
      }
    }
    return p;
  }
}
