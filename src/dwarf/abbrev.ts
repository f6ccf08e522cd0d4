import { StructscopeError } from '../util/errors.js';
import { Reader } from '../util/reader.js';
import { DW_FORM, formName } from './constants.js';
import type { Encoding } from './unit.js';
import type { SectionBytes } from './sections.js';

/** Form sizes that are not fixed for an encoding. */
export const VARIABLE = -1;

/**
 * One abbreviation table as flat typed arrays (no object per abbreviation):
 * abbreviation i has tag tags[i], and attributes attrStart[i] .. attrStart[i]+attrCount[i]-1
 * in attrName/attrForm/implicitConst.
 */
export class AbbrevTable {
  readonly count: number;
  readonly tags: Uint32Array;
  readonly hasChildren: Uint8Array;
  readonly attrStart: Uint32Array;
  readonly attrCount: Uint32Array;
  readonly attrName: Uint32Array;
  readonly attrForm: Uint32Array;
  readonly implicitConst: Float64Array;
  private readonly denseIndex: Int32Array | undefined;
  private readonly sparseIndex: Map<number, number> | undefined;
  private readonly plans = new Map<string, SkipPlan>();

  constructor(
    codes: number[],
    tags: number[],
    children: number[],
    attrStart: number[],
    attrCount: number[],
    names: number[],
    forms: number[],
    consts: number[],
  ) {
    this.count = codes.length;
    this.tags = Uint32Array.from(tags);
    this.hasChildren = Uint8Array.from(children);
    this.attrStart = Uint32Array.from(attrStart);
    this.attrCount = Uint32Array.from(attrCount);
    this.attrName = Uint32Array.from(names);
    this.attrForm = Uint32Array.from(forms);
    this.implicitConst = Float64Array.from(consts);
    let max = 0;
    for (const c of codes) if (c > max) max = c;
    if (max < 4 * codes.length + 64) {
      const dense = new Int32Array(max + 1).fill(-1);
      codes.forEach((c, i) => (dense[c] = i));
      this.denseIndex = dense;
    } else {
      this.sparseIndex = new Map(codes.map((c, i) => [c, i]));
    }
  }

  /** Index of the abbreviation with this code, or -1. */
  indexOf(code: number): number {
    if (this.denseIndex) return code < this.denseIndex.length ? this.denseIndex[code]! : -1;
    return this.sparseIndex!.get(code) ?? -1;
  }

  /** Form sizes for an encoding, computed once per encoding. */
  plan(enc: Encoding): SkipPlan {
    const key = `${enc.version}/${enc.offsetSize}/${enc.addressSize}`;
    let p = this.plans.get(key);
    if (!p) {
      p = makePlan(this, enc);
      this.plans.set(key, p);
    }
    return p;
  }
}

/** Precomputed sizes: formSize[j] per attribute (VARIABLE when not fixed), fixedTotal[i] per abbreviation (VARIABLE unless all fixed). */
export interface SkipPlan {
  formSize: Int32Array;
  fixedTotal: Int32Array;
}

function makePlan(t: AbbrevTable, enc: Encoding): SkipPlan {
  const formSize = new Int32Array(t.attrForm.length);
  for (let j = 0; j < formSize.length; j++) formSize[j] = fixedFormSize(t.attrForm[j]!, enc);
  const fixedTotal = new Int32Array(t.count);
  for (let i = 0; i < t.count; i++) {
    let total = 0;
    const s = t.attrStart[i]!;
    for (let j = s; j < s + t.attrCount[i]!; j++) {
      const f = formSize[j]!;
      if (f === VARIABLE) {
        total = VARIABLE;
        break;
      }
      total += f;
    }
    fixedTotal[i] = total;
  }
  return { formSize, fixedTotal };
}

/** Byte size of a form's value when fixed for this encoding, VARIABLE otherwise; throws for unknown forms. */
export function fixedFormSize(form: number, enc: Encoding): number {
  switch (form) {
    case DW_FORM.addr:
      return enc.addressSize;
    case DW_FORM.data1:
    case DW_FORM.ref1:
    case DW_FORM.flag:
    case DW_FORM.strx1:
    case DW_FORM.addrx1:
      return 1;
    case DW_FORM.data2:
    case DW_FORM.ref2:
    case DW_FORM.strx2:
    case DW_FORM.addrx2:
      return 2;
    case DW_FORM.strx3:
    case DW_FORM.addrx3:
      return 3;
    case DW_FORM.data4:
    case DW_FORM.ref4:
    case DW_FORM.ref_sup4:
    case DW_FORM.strx4:
    case DW_FORM.addrx4:
      return 4;
    case DW_FORM.data8:
    case DW_FORM.ref8:
    case DW_FORM.ref_sig8:
    case DW_FORM.ref_sup8:
      return 8;
    case DW_FORM.data16:
      return 16;
    case DW_FORM.flag_present:
    case DW_FORM.implicit_const:
      return 0;
    case DW_FORM.strp:
    case DW_FORM.sec_offset:
    case DW_FORM.line_strp:
    case DW_FORM.strp_sup:
    case DW_FORM.GNU_strp_alt:
    case DW_FORM.GNU_ref_alt:
      return enc.offsetSize;
    case DW_FORM.ref_addr:
      return enc.version <= 2 ? enc.addressSize : enc.offsetSize;
    case DW_FORM.block1:
    case DW_FORM.block2:
    case DW_FORM.block4:
    case DW_FORM.block:
    case DW_FORM.string:
    case DW_FORM.sdata:
    case DW_FORM.udata:
    case DW_FORM.ref_udata:
    case DW_FORM.strx:
    case DW_FORM.addrx:
    case DW_FORM.loclistx:
    case DW_FORM.rnglistx:
    case DW_FORM.exprloc:
    case DW_FORM.indirect:
    case DW_FORM.GNU_addr_index:
    case DW_FORM.GNU_str_index:
      return VARIABLE;
    default:
      throw new StructscopeError('BAD_FORM', `unknown attribute form ${formName(form)}`);
  }
}

const MAX_ABBREVS = 1 << 20;

/** Parse the abbreviation table that starts at `offset` of .debug_abbrev. */
export function parseAbbrevTable(sec: SectionBytes, offset: number): AbbrevTable {
  const r = new Reader(sec.bytes, true, sec.name, sec.fileOffset);
  if (offset >= sec.bytes.length) r.fail(offset, `abbreviation table offset 0x${offset.toString(16)} outside ${sec.name}`, 'BAD_HEADER');
  r.seek(offset);
  const codes: number[] = [];
  const tags: number[] = [];
  const children: number[] = [];
  const attrStart: number[] = [];
  const attrCount: number[] = [];
  const names: number[] = [];
  const forms: number[] = [];
  const consts: number[] = [];
  const seen = new Set<number>();
  for (;;) {
    const at = r.pos;
    if (r.remaining === 0) break; // a table missing its final 0 ends with the section
    const code = r.uleb();
    if (code === 0) break;
    if (seen.has(code)) throw new StructscopeError('BAD_ABBREV', `duplicate abbreviation code ${code}`, { section: sec.name, fileOffset: sec.fileOffset + at });
    if (codes.length >= MAX_ABBREVS) r.fail(at, 'too many abbreviations', 'LIMIT');
    seen.add(code);
    codes.push(code);
    tags.push(r.uleb());
    children.push(r.u8() ? 1 : 0);
    attrStart.push(names.length);
    let n = 0;
    for (;;) {
      const name = r.uleb();
      const form = r.uleb();
      if (name === 0 && form === 0) break;
      names.push(name);
      forms.push(form);
      consts.push(form === DW_FORM.implicit_const ? r.sleb() : 0);
      n++;
    }
    attrCount.push(n);
  }
  return new AbbrevTable(codes, tags, children, attrStart, attrCount, names, forms, consts);
}
