/**
 * One set of DWARF sections with its own string and abbreviation tables: the file itself, a dwz
 * supplementary file, a .dwo, or one unit's contribution to a .dwp. The converter reads units
 * from several sources into one type table; every unit remembers the source it came from.
 */
import { StructscopeError } from '../util/errors.js';
import { parseAbbrevTable, type AbbrevTable } from './abbrev.js';
import { DW_UT } from './constants.js';
import type { DwarfSections, SectionBytes } from './sections.js';
import { StringResolver } from './strings.js';
import { readUnitHeaders, unitContaining, type UnitHeader } from './unit.js';

export type SourceKind = 'main' | 'supplementary' | 'split';

export class DwarfSource {
  readonly strings: StringResolver;
  /** Units of .debug_info, in section order. */
  readonly units: UnitHeader[] = [];
  /** Type units (.debug_types, and DW_UT_type / DW_UT_split_type units of .debug_info). */
  readonly typeUnits: { header: UnitHeader; section: SectionBytes }[] = [];
  /** Header errors met while listing units. */
  readonly errors: StructscopeError[] = [];
  private readonly abbrevCache = new Map<number, AbbrevTable>();

  constructor(
    readonly sec: DwarfSections,
    readonly kind: SourceKind = 'main',
    /** The dwz supplementary file of this source, for DW_FORM_GNU_ref_alt / ref_sup and strp_alt / strp_sup. */
    readonly alt?: DwarfSource,
    /** Split units: DW_AT_str_offsets_base when the unit has none (.dwo / .dwp contributions). */
    readonly defaultStrOffsetsBase?: number,
  ) {
    this.strings = new StringResolver(sec.str, sec.lineStr, sec.strOffsets, sec.littleEndian, alt?.sec.str);
    if (sec.info) {
      const scan = readUnitHeaders(sec.info, sec.littleEndian);
      if (scan.error) this.errors.push(scan.error);
      this.units = scan.units;
      for (const u of this.units) if (u.unitType === DW_UT.type || u.unitType === DW_UT.split_type) this.typeUnits.push({ header: u, section: sec.info });
    }
    if (sec.types) {
      const scan = readUnitHeaders(sec.types, sec.littleEndian, true);
      if (scan.error) this.errors.push(scan.error);
      for (const u of scan.units) this.typeUnits.push({ header: u, section: sec.types });
    }
  }

  abbrevs(offset: number): AbbrevTable {
    let t = this.abbrevCache.get(offset);
    if (!t) {
      if (!this.sec.abbrev) throw new StructscopeError('NO_DEBUG_INFO', 'no .debug_abbrev section');
      t = parseAbbrevTable(this.sec.abbrev, offset);
      this.abbrevCache.set(offset, t);
    }
    return t;
  }

  /** The unit of `section` (this source's .debug_info or .debug_types) holding `offset`. */
  unitAt(section: SectionBytes, offset: number): UnitHeader | undefined {
    const list = section === this.sec.info ? this.units : this.typeUnits.filter((t) => t.section === section).map((t) => t.header);
    return unitContaining(list, offset);
  }
}
