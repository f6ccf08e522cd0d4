/**
 * What the DIE decoder (die-decoder.ts) does with each attribute slot of an abbreviation table:
 * the attribute's action (which column it fills, or none: its value is skipped by its size) and
 * its form's class (how the value is read). Both dense codes, made once per table, so the
 * decoder's two dispatches are jump tables.
 */
import { DW_AT, DW_FORM } from './constants.js';
import type { AbbrevTable } from './abbrev.js';
import { StrKind } from './dies.js';

/**
 * How the decoder reads a form: the fixed-size ones (a number, a string offset, a reference) and
 * then the rest, one dense code each so the decoder's switch is a jump table.
 */
export const enum Cls {
  /** an unknown form (the skip plan has rejected it already) */
  Unknown = 0,
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
  // variable-size or special forms
  Leb,
  LebBlock,
  Data16,
  ImplicitConst,
  FlagPresent,
  String,
  GnuStrpAlt,
  GnuRefAlt,
  RefSig8,
  Block1,
  Block2,
  Block4,
  Indirect,
}
/** The last class of a fixed-size form. */
export const LAST_FIXED = Cls.RefAlt;

const classForms: [Cls, number[]][] = [
  [Cls.Number, [DW_FORM.addr, DW_FORM.data1, DW_FORM.flag, DW_FORM.data2, DW_FORM.data4, DW_FORM.data8, DW_FORM.sec_offset]],
  [Cls.Skip, [DW_FORM.addrx1, DW_FORM.addrx2, DW_FORM.addrx3, DW_FORM.addrx4]],
  [Cls.Strp, [DW_FORM.strp]],
  [Cls.LineStrp, [DW_FORM.line_strp]],
  [Cls.StrpAlt, [DW_FORM.strp_sup]],
  [Cls.Strx, [DW_FORM.strx1, DW_FORM.strx2, DW_FORM.strx3, DW_FORM.strx4]],
  [Cls.RefUnit, [DW_FORM.ref1, DW_FORM.ref2, DW_FORM.ref4, DW_FORM.ref8]],
  [Cls.RefSection, [DW_FORM.ref_addr]],
  [Cls.RefAlt, [DW_FORM.ref_sup4, DW_FORM.ref_sup8]],
  [Cls.Leb, [DW_FORM.sdata, DW_FORM.udata, DW_FORM.ref_udata, DW_FORM.strx, DW_FORM.addrx, DW_FORM.loclistx, DW_FORM.rnglistx, DW_FORM.GNU_addr_index, DW_FORM.GNU_str_index]],
  [Cls.LebBlock, [DW_FORM.block, DW_FORM.exprloc]],
  [Cls.Data16, [DW_FORM.data16]],
  [Cls.ImplicitConst, [DW_FORM.implicit_const]],
  [Cls.FlagPresent, [DW_FORM.flag_present]],
  [Cls.String, [DW_FORM.string]],
  [Cls.GnuStrpAlt, [DW_FORM.GNU_strp_alt]],
  [Cls.GnuRefAlt, [DW_FORM.GNU_ref_alt]],
  [Cls.RefSig8, [DW_FORM.ref_sig8]],
  [Cls.Block1, [DW_FORM.block1]],
  [Cls.Block2, [DW_FORM.block2]],
  [Cls.Block4, [DW_FORM.block4]],
  [Cls.Indirect, [DW_FORM.indirect]],
];
const FORM_CLASS = new Map<number, Cls>();
for (const [cls, forms] of classForms) for (const f of forms) FORM_CLASS.set(f, cls);
export const formClass = (form: number): Cls => FORM_CLASS.get(form) ?? Cls.Unknown;

export const STR_KIND: StrKind[] = [];
STR_KIND[Cls.Strp] = StrKind.Strp;
STR_KIND[Cls.LineStrp] = StrKind.LineStrp;
STR_KIND[Cls.StrpAlt] = StrKind.StrpAlt;
STR_KIND[Cls.Strx] = StrKind.Strx;

/** What the decoder does with an attribute: one dense code each (Ignore: its value is skipped). */
export const enum Act {
  Ignore = 0,
  Name,
  Type,
  Import,
  Signature,
  Containing,
  ByteSize,
  BitSize,
  BitOffset,
  DataBitOffset,
  MemberLocation,
  UpperBound,
  LowerBound,
  Count,
  Encoding,
  Alignment,
  DeclFile,
  DeclLine,
  Accessibility,
  Virtuality,
  MipsLinkage,
  Linkage,
  Inline,
  VtableElem,
  Const,
  Declaration,
  Artificial,
  External,
  Prototyped,
  Vector,
  ExportSymbols,
}

const ACTIONS = new Map<number, Act>([
  [DW_AT.name, Act.Name],
  [DW_AT.type, Act.Type],
  [DW_AT.import, Act.Import],
  [DW_AT.signature, Act.Signature],
  [DW_AT.containing_type, Act.Containing],
  [DW_AT.discr, Act.Containing],
  [DW_AT.byte_size, Act.ByteSize],
  [DW_AT.bit_size, Act.BitSize],
  [DW_AT.bit_offset, Act.BitOffset],
  [DW_AT.data_bit_offset, Act.DataBitOffset],
  [DW_AT.data_member_location, Act.MemberLocation],
  [DW_AT.upper_bound, Act.UpperBound],
  [DW_AT.lower_bound, Act.LowerBound],
  [DW_AT.count, Act.Count],
  [DW_AT.encoding, Act.Encoding],
  [DW_AT.alignment, Act.Alignment],
  [DW_AT.decl_file, Act.DeclFile],
  [DW_AT.decl_line, Act.DeclLine],
  [DW_AT.accessibility, Act.Accessibility],
  [DW_AT.virtuality, Act.Virtuality],
  [DW_AT.MIPS_linkage_name, Act.MipsLinkage],
  [DW_AT.linkage_name, Act.Linkage],
  [DW_AT.inline, Act.Inline],
  [DW_AT.vtable_elem_location, Act.VtableElem],
  [DW_AT.const_value, Act.Const],
  [DW_AT.discr_value, Act.Const],
  [DW_AT.declaration, Act.Declaration],
  [DW_AT.artificial, Act.Artificial],
  [DW_AT.external, Act.External],
  [DW_AT.prototyped, Act.Prototyped],
  [DW_AT.GNU_vector, Act.Vector],
  [DW_AT.export_symbols, Act.ExportSymbols],
]);

/** Per attribute slot of an abbreviation table: its Act and its form's Cls (made once per table). */
export interface SlotCodes {
  act: Uint8Array;
  cls: Uint8Array;
}
const slotCodes = new WeakMap<AbbrevTable, SlotCodes>();

export function slotCodesOf(t: AbbrevTable): SlotCodes {
  let c = slotCodes.get(t);
  if (!c) {
    const n = t.attrName.length;
    c = { act: new Uint8Array(n), cls: new Uint8Array(n) };
    for (let j = 0; j < n; j++) {
      c.act[j] = ACTIONS.get(t.attrName[j]!) ?? Act.Ignore;
      c.cls[j] = formClass(t.attrForm[j]!);
    }
    slotCodes.set(t, c);
  }
  return c;
}
