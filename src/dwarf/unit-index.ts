/**
 * DWARF package files (.dwp): the unit indexes (.debug_cu_index, .debug_tu_index; DWARF 5 and the
 * GNU version 2 extension) and each unit's contributions sliced out of the package's sections.
 * Pure: load/split.ts finds and reads the files.
 */
import type { SplitUnitSections } from './convert/options.js';
import type { DwarfSections, SectionBytes } from './sections.js';
import { hex8 } from './unit.js';
import { Reader } from '../util/reader.js';

/** DW_SECT_* column ids of a unit index (DWARF 5 and the GNU version 2 extension agree on these). */
const DW_SECT_INFO = 1;
const DW_SECT_ABBREV = 3;
const DW_SECT_LINE = 4;
const DW_SECT_STR_OFFSETS = 6;
/** GNU version 2 only (.debug_types.dwo); DWARF 5 keeps type units in .debug_info.dwo. */
const DW_SECT_V2_TYPES = 2;

export interface IndexRow {
  /** DW_SECT id → [offset, size] */
  cols: Map<number, [number, number]>;
}

export interface Package {
  sections: DwarfSections;
  version: number;
  /** .debug_cu_index: dwo_id → row */
  rows: Map<string, IndexRow>;
  /** Type units of .debug_tu_index, one section set per row (empty without a TU index). */
  typeUnits: SplitUnitSections[];
}

/** A contribution to the package, as a section of its own; the whole section when the row has no such column. */
function slice(sec: SectionBytes | undefined, row: IndexRow, id: number): SectionBytes | undefined {
  if (!sec) return undefined;
  const c = row.cols.get(id);
  if (!c) return sec;
  return { name: sec.name, bytes: sec.bytes.subarray(c[0], c[0] + c[1]), fileOffset: sec.fileOffset + c[0] };
}

/** The contributions every unit has of its own besides its units: abbreviations, string offsets, line table. */
function ownTables(s: DwarfSections, row: IndexRow): DwarfSections {
  const out: DwarfSections = { ...s };
  delete out.info;
  delete out.types;
  const abbrev = slice(s.abbrev, row, DW_SECT_ABBREV);
  const strOffsets = slice(s.strOffsets, row, DW_SECT_STR_OFFSETS);
  const line = slice(s.line, row, DW_SECT_LINE);
  if (abbrev) out.abbrev = abbrev;
  if (strOffsets) out.strOffsets = strOffsets;
  if (line) out.line = line;
  return out;
}

/** One compile unit's contributions to the package (.debug_cu_index row). */
export function sliceRow(pkg: Package, row: IndexRow): SplitUnitSections {
  const sections = ownTables(pkg.sections, row);
  const info = slice(pkg.sections.info, row, DW_SECT_INFO);
  if (info) sections.info = info;
  return { sections, strOffsetsBase: pkg.version >= 5 ? 8 : 0 };
}

/**
 * One type unit's contributions (.debug_tu_index row): GNU version 2 in .debug_types.dwo,
 * DWARF 5 (DW_UT_split_type) in .debug_info.dwo. Undefined when the row names no unit.
 */
export function sliceTypeUnitRow(pkg: Package, version: number, row: IndexRow): SplitUnitSections | undefined {
  const sections = ownTables(pkg.sections, row);
  const [id, sec] = version === 2 ? [DW_SECT_V2_TYPES, pkg.sections.types] : [DW_SECT_INFO, pkg.sections.info];
  if (!sec || !row.cols.has(id)) return undefined;
  const units = slice(sec, row, id)!;
  if (version === 2) sections.types = units;
  else sections.info = units;
  return { sections, strOffsetsBase: version >= 5 ? 8 : 0 };
}

/** Parse a .debug_cu_index (DWARF 5, or GNU version 2): dwo_id (16 hex digits) → row. */
export function parseUnitIndex(sec: SectionBytes, littleEndian: boolean): { version: number; rows: Map<string, IndexRow> } {
  const r = new Reader(sec.bytes, littleEndian, sec.name, sec.fileOffset);
  let version = r.u32();
  // DWARF 5: uhalf version 5 + uhalf padding; GNU: u32 version 2
  if ((version & 0xffff) === 5) version = 5;
  if (version !== 2 && version !== 5) r.fail(0, `unsupported unit index version ${version}`, 'BAD_HEADER');
  const sectionCount = r.u32();
  const unitCount = r.u32();
  const slotCount = r.u32();
  if (sectionCount > 64 || unitCount > r.remaining || slotCount > r.remaining) r.fail(4, 'unit index counts larger than the section', 'BAD_HEADER');
  const sigs: string[] = [];
  for (let i = 0; i < slotCount; i++) sigs.push(hex8(r.bytesN(8), littleEndian));
  const indices: number[] = [];
  for (let i = 0; i < slotCount; i++) indices.push(r.u32());
  const ids: number[] = [];
  for (let i = 0; i < sectionCount; i++) ids.push(r.u32());
  const offsets: number[] = [];
  for (let i = 0; i < unitCount * sectionCount; i++) offsets.push(r.u32());
  const sizes: number[] = [];
  for (let i = 0; i < unitCount * sectionCount; i++) sizes.push(r.u32());
  const rows = new Map<string, IndexRow>();
  for (let s = 0; s < slotCount; s++) {
    const row = indices[s]!;
    if (row === 0 || row > unitCount) continue;
    const cols = new Map<number, [number, number]>();
    for (let c = 0; c < sectionCount; c++) cols.set(ids[c]!, [offsets[(row - 1) * sectionCount + c]!, sizes[(row - 1) * sectionCount + c]!]);
    rows.set(sigs[s]!, { cols });
  }
  return { version, rows };
}
