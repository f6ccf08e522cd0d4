/**
 * The attributes of one wanted DIE, decoded into its row of UnitDies: the inner half of the DIE
 * scan (scan.ts walks the tree, skips what is not wanted and calls decode() for the rest). LEB128
 * and fixed-width reads are written out inline on a local index rather than through a Reader,
 * because a helper would have to return both value and position (an allocation per value).
 */
import { DW_AT, DW_FORM, DW_TAG, formName } from './constants.js';
import { fixedFormSize, VARIABLE, type AbbrevTable } from './abbrev.js';
import { DieFlag, RefKind, StrKind, type UnitDies } from './dies.js';
import { Act, Cls, formClass, LAST_FIXED, slotCodesOf, STR_KIND } from './attr-slots.js';
import { evalLocation, LEB_MAX_MUL, LEB_TOO_LONG, readRootAttr, readUnsigned, skipVariable, ulebEnd, ulebValue, unsignedBound, type Fail, type UnitRoot } from './scan-values.js';
import type { UnitHeader } from './unit.js';
import { hex8 } from './unit.js';

/** Decodes the attributes of the DIEs of one unit (made per unit by scanUnit). */
export class DieDecoder {
  private readonly offsetSize: number;
  private readonly unitStart: number;
  private readonly end: number;
  /** Per attribute slot: what is done with it (Act) and how its form is read (Cls). */
  private readonly act: Uint8Array;
  private readonly cls: Uint8Array;
  /** Per attribute slot: its value's size when fixed in this unit's encoding, else VARIABLE (the skip plan). */
  private readonly formSize: Int32Array;

  constructor(
    private readonly b: Uint8Array,
    private readonly unit: UnitHeader,
    private readonly abbrevs: AbbrevTable,
    private readonly dies: UnitDies,
    private readonly root: UnitRoot,
    private readonly le: boolean,
    private readonly fail: Fail,
  ) {
    this.offsetSize = unit.offsetSize;
    this.unitStart = unit.offset;
    this.end = unit.end;
    const codes = slotCodesOf(abbrevs);
    this.act = codes.act;
    this.cls = codes.cls;
    this.formSize = abbrevs.plan(unit).formSize;
  }

  /**
   * Decode attributes aStart..aEnd-1 (of the abbreviation table) of DIE i, whose values start at
   * p; returns the position after them. `isRoot`: the unit DIE, whose own attributes go to `root`.
   * An attribute no column keeps (DW_AT_sibling, decl_column, location…) is skipped by its size.
   */
  decode(i: number, p: number, aStart: number, aEnd: number, tag: number, isRoot: boolean, isRootDecl = false): number {
    const { b, abbrevs, dies, root, le, fail, offsetSize, unitStart, end, act, formSize } = this;
    for (let j = aStart; j < aEnd; j++) {
      const action = act[j]! as Act;
      if (action === Act.Ignore && !isRoot) {
        const sz = formSize[j]!;
        p = sz !== VARIABLE ? p + sz : skipVariable(b, p, abbrevs.attrForm[j]!, this.unit, le, fail);
        continue;
      }
      let form = abbrevs.attrForm[j]!;
      let cls = this.cls[j]! as Cls;
      const valPos = p;
      if (cls === Cls.Indirect) {
        form = ulebValue(b, p);
        p = ulebEnd(b, p);
        if (form === DW_FORM.indirect || form === DW_FORM.implicit_const) fail(valPos, `bad indirect form ${formName(form)}`, 'BAD_FORM');
        cls = formClass(form);
      }
      // decode the value: number `v`, or a string/ref/block description
      let v = NaN;
      let strKind = StrKind.None;
      let refKind = RefKind.None;
      let blockStart = -1;
      let blockLen = 0;
      let signed = false;
      if (cls !== Cls.Unknown && cls <= LAST_FIXED) {
        // a fixed-size value: its size for this unit's encoding, and what it names
        const n = formSize[j]! !== VARIABLE ? formSize[j]! : fixedFormSize(form, this.unit); // an indirect form: its own size
        if (cls !== Cls.Skip) v = n === 1 ? b[p]! : readUnsigned(b, p, n, le);
        p += n;
        if (cls >= Cls.RefUnit) {
          refKind = cls === Cls.RefAlt ? RefKind.Alt : RefKind.Section;
          if (cls === Cls.RefUnit) v += unitStart;
        } else if (cls !== Cls.Number && cls !== Cls.Skip) strKind = STR_KIND[cls]!;
      } else
        switch (cls) {
          case Cls.Data16:
            p += 16;
            break;
          case Cls.Leb:
          case Cls.LebBlock: {
            let result = 0;
            let mul = 1;
            let byte: number;
            do {
              byte = b[p++]!;
              result += (byte & 0x7f) * mul;
              mul *= 0x80;
            } while (byte & 0x80);
            if (cls === Cls.LebBlock) {
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
          case Cls.ImplicitConst:
            v = abbrevs.implicitConst[j]!;
            signed = true;
            break;
          case Cls.FlagPresent:
            v = 1;
            break;
          case Cls.String: {
            const z = b.indexOf(0, p);
            if (z < 0 || z >= end) fail(p, 'unterminated inline string');
            v = p;
            strKind = StrKind.Inline;
            p = z + 1;
            break;
          }
          case Cls.GnuStrpAlt:
            v = readUnsigned(b, p, offsetSize, le);
            p += offsetSize;
            strKind = StrKind.StrpAlt;
            break;
          case Cls.GnuRefAlt:
            v = readUnsigned(b, p, offsetSize, le);
            p += offsetSize;
            refKind = RefKind.Alt;
            break;
          case Cls.RefSig8:
            v = dies.signatures.length;
            dies.signatures.push(hex8(b.subarray(p, p + 8), le));
            p += 8;
            refKind = RefKind.Signature;
            break;
          case Cls.Block1:
          case Cls.Block2:
          case Cls.Block4: {
            const n = cls === Cls.Block1 ? 1 : cls === Cls.Block2 ? 2 : 4;
            blockLen = readUnsigned(b, p, n, le);
            blockStart = p + n;
            p = blockStart + blockLen;
            break;
          }
          default:
            fail(valPos, `unknown attribute form ${formName(form)}`, 'BAD_FORM');
        }
      if (p > end) fail(valPos, 'attribute value runs past the end of the unit');
      switch (action) {
        case Act.Name:
          if (strKind !== StrKind.None) {
            dies.nameKind[i] = strKind;
            dies.name[i] = v;
          }
          break;
        case Act.Type:
          if (refKind !== RefKind.None) {
            dies.typeKind[i] = refKind;
            dies.type[i] = v;
          }
          break;
        case Act.Import:
          // DW_TAG_imported_unit (dwz): the partial unit it pulls in, stored as a type reference
          if (refKind !== RefKind.None && tag === DW_TAG.imported_unit) {
            dies.typeKind[i] = refKind;
            dies.type[i] = v;
          }
          break;
        case Act.Signature:
          // a declaration completed by a type unit: treat like a type reference to that unit
          if (refKind === RefKind.Signature && dies.typeKind[i] === RefKind.None) {
            dies.typeKind[i] = refKind;
            dies.type[i] = v;
          }
          break;
        case Act.Containing:
          if (refKind !== RefKind.None) {
            dies.containingKind[i] = refKind;
            dies.containing[i] = v;
          }
          break;
        case Act.ByteSize:
          if (refKind === RefKind.None && blockStart < 0) dies.byteSize[i] = v;
          break;
        case Act.BitSize:
          if (refKind === RefKind.None && blockStart < 0) dies.bitSize[i] = v;
          break;
        case Act.BitOffset:
          dies.bitOffset[i] = v;
          break;
        case Act.DataBitOffset:
          dies.dataBitOffset[i] = v;
          break;
        case Act.MemberLocation:
          if (blockStart >= 0) {
            const loc = evalLocation(b, blockStart, blockLen);
            if (loc === undefined) dies.flags[i]! |= DieFlag.LocationNotConstant;
            else dies.memberLocation[i] = loc;
          } else if (form === DW_FORM.sec_offset || form === DW_FORM.loclistx) {
            dies.flags[i]! |= DieFlag.LocationNotConstant;
          } else dies.memberLocation[i] = v;
          break;
        case Act.UpperBound:
          if (refKind === RefKind.None && blockStart < 0) dies.upperBound[i] = signed ? v : unsignedBound(v, form);
          break;
        case Act.LowerBound:
          if (refKind === RefKind.None && blockStart < 0) dies.lowerBound[i] = v;
          break;
        case Act.Count:
          if (refKind === RefKind.None && blockStart < 0) dies.count_[i] = v;
          break;
        case Act.Encoding:
          dies.encoding[i] = v;
          break;
        case Act.Alignment:
          dies.alignment[i] = v;
          break;
        case Act.DeclFile:
          dies.declFile[i] = v;
          break;
        case Act.DeclLine:
          dies.declLine[i] = v;
          break;
        case Act.Accessibility:
          dies.accessibility[i] = v;
          break;
        case Act.Virtuality:
          dies.virtuality[i] = v;
          break;
        case Act.MipsLinkage:
          if (strKind !== StrKind.None) {
            dies.linkageKind[i] = strKind;
            dies.linkage[i] = v;
          }
          break;
        case Act.Linkage:
          // only for diff --abi's roots (C++ symbols are matched by their linkage name)
          if (isRootDecl && strKind !== StrKind.None) {
            dies.linkageKind[i] = strKind;
            dies.linkage[i] = v;
          }
          break;
        case Act.Inline:
          dies.inline[i] = v;
          break;
        case Act.VtableElem:
          if (blockStart >= 0) {
            const loc = evalLocation(b, blockStart, blockLen);
            if (loc !== undefined) dies.vtableIndex[i] = loc;
          } else if (refKind === RefKind.None && strKind === StrKind.None) dies.vtableIndex[i] = v;
          break;
        case Act.Const:
          dies.constValue[i] = v;
          dies.constPos[i] = valPos;
          dies.constForm[i] = form;
          if (signed) dies.flags[i]! |= DieFlag.ConstSigned;
          break;
        case Act.Declaration:
          if (v) dies.flags[i]! |= DieFlag.Declaration;
          break;
        case Act.Artificial:
          if (v) dies.flags[i]! |= DieFlag.Artificial;
          break;
        case Act.External:
          if (v) dies.flags[i]! |= DieFlag.External;
          break;
        case Act.Prototyped:
          if (v) dies.flags[i]! |= DieFlag.Prototyped;
          break;
        case Act.Vector:
          if (v) dies.flags[i]! |= DieFlag.Vector;
          break;
        case Act.ExportSymbols:
          if (v) dies.flags[i]! |= DieFlag.ExportSymbols;
          break;
        default: {
          // the unit DIE's own attributes; the 64-bit dwo_id does not fit a number: keep its bytes
          const at = abbrevs.attrName[j]!;
          if (at === DW_AT.GNU_dwo_id && form === DW_FORM.data8) root.dwoId = hex8(b.subarray(p - 8, p), le);
          else readRootAttr(root, at, v, strKind);
        }
      }
    }
    return p;
  }
}
