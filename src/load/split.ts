/**
 * Split DWARF: find the full unit of a skeleton unit, in `<binary>.dwp` (by dwo_id, through
 * .debug_cu_index) or in the .dwo named by DW_AT_dwo_name.
 */
import path from 'node:path';
import type { SkeletonInfo, SplitUnitSections } from '../dwarf/to-model.js';
import type { DwarfSections, SectionBytes } from '../dwarf/sections.js';
import { hex8 } from '../dwarf/unit.js';
import { openElf } from '../elf/index.js';
import { StructscopeError } from '../util/errors.js';
import { Reader } from '../util/reader.js';
import { dwoCandidates, isFile, type DebugFileUse } from './debug-files.js';
import { readDwarfSections } from './sections.js';

/** DW_SECT_* column ids of a unit index (DWARF 5 and the GNU version 2 extension agree on these). */
const DW_SECT_INFO = 1;
const DW_SECT_ABBREV = 3;
const DW_SECT_LINE = 4;
const DW_SECT_STR_OFFSETS = 6;
/** GNU version 2 only (.debug_types.dwo); DWARF 5 keeps type units in .debug_info.dwo. */
const DW_SECT_V2_TYPES = 2;

interface IndexRow {
  /** DW_SECT id → [offset, size] */
  cols: Map<number, [number, number]>;
}

interface Package {
  sections: DwarfSections;
  version: number;
  /** .debug_cu_index: dwo_id → row */
  rows: Map<string, IndexRow>;
  /** Type units of .debug_tu_index, one section set per row (empty without a TU index). */
  typeUnits: SplitUnitSections[];
}

/** Resolves skeleton units for one binary; remembers the files it read. */
export class SplitResolver {
  readonly used: DebugFileUse[] = [];
  private dwp: Package | null | undefined;
  private readonly dwos = new Map<string, DwarfSections>();
  /** Split units whose .dwo was not found (and no .dwp holds them): the file named, the paths tried. */
  private readonly missing: { name: string; looked: string[] }[] = [];

  constructor(private readonly binary: string) {}

  resolve(skel: SkeletonInfo): SplitUnitSections | undefined {
    const pkg = this.package();
    if (pkg && skel.dwoId) {
      const row = pkg.rows.get(skel.dwoId);
      if (row) {
        const unit = sliceRow(pkg, row);
        if (pkg.typeUnits.length) unit.typeUnits = pkg.typeUnits;
        return unit;
      }
    }
    if (!skel.dwoName) {
      throw new StructscopeError('NO_DEBUG_INFO', `skeleton unit (dwo_id ${skel.dwoId ?? '?'}) names no .dwo and no ${path.basename(this.binary)}.dwp holds it; its types are missing`);
    }
    const candidates = dwoCandidates(this.binary, skel.dwoName, skel.compDir);
    const found = candidates.find(isFile);
    if (!found) {
      // a unit with a dwo_id could have been in the package too
      this.missing.push({ name: skel.dwoName, looked: skel.dwoId ? [...candidates, `${this.binary}.dwp`] : candidates });
      return undefined;
    }
    let sections = this.dwos.get(found);
    if (!sections) {
      sections = readFile(found, (elf) => readDwarfSections(elf, '.dwo'));
      if (!sections.info) throw new StructscopeError('NO_DEBUG_INFO', `${found}: no .debug_info.dwo; its types are missing`);
      this.dwos.set(found, sections);
      this.used.push({ path: found, role: 'dwo' });
    }
    // DWARF 5 .debug_str_offsets.dwo starts with an 8-byte header; the GNU DWARF 4 one has none
    return { sections, strOffsetsBase: skel.version >= 5 ? 8 : 0 };
  }

  /**
   * One line for all the split units whose files were not found, naming them and every path
   * tried (a binary whose .dwp is gone would otherwise warn once per unit); undefined when none.
   */
  missingMessage(): string | undefined {
    const m = this.missing;
    if (m.length === 0) return undefined;
    const looked = [...new Set(m.flatMap((x) => x.looked))].join(', ');
    if (m.length === 1) return `split DWARF file ${m[0]!.name} not found (looked in ${looked}); its types are missing`;
    return `split DWARF files ${m.map((x) => x.name).join(', ')} not found (looked in ${looked}); their types are missing`;
  }

  /** `<binary>.dwp`, read once; null when there is none. */
  private package(): Package | null {
    if (this.dwp !== undefined) return this.dwp;
    const p = `${this.binary}.dwp`;
    this.dwp = null;
    if (!isFile(p)) return null;
    this.dwp = readFile(p, (elf) => {
      const sections = readDwarfSections(elf, '.dwo');
      const index = elf.section('.debug_cu_index');
      if (!index) throw new StructscopeError('NO_DEBUG_INFO', 'no .debug_cu_index', { file: p });
      const le = elf.header.littleEndian;
      const { version, rows } = parseUnitIndex({ name: index.name, bytes: elf.readSection(index), fileOffset: index.fileOffset }, le);
      const pkg: Package = { sections, version, rows, typeUnits: [] };
      const tuIndex = elf.section('.debug_tu_index');
      if (tuIndex) {
        const tu = parseUnitIndex({ name: tuIndex.name, bytes: elf.readSection(tuIndex), fileOffset: tuIndex.fileOffset }, le);
        for (const row of tu.rows.values()) {
          const unit = sliceTypeUnitRow(pkg, tu.version, row);
          if (unit) pkg.typeUnits.push(unit);
        }
      }
      return pkg;
    });
    this.used.push({ path: p, role: 'dwp' });
    return this.dwp;
  }
}

function readFile<T>(p: string, f: (elf: ReturnType<typeof openElf>) => T): T {
  const elf = openElf(p);
  try {
    return f(elf);
  } catch (e) {
    if (e instanceof StructscopeError) throw e.withFile(p);
    throw e;
  } finally {
    elf.close();
  }
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
function sliceRow(pkg: Package, row: IndexRow): SplitUnitSections {
  const sections = ownTables(pkg.sections, row);
  const info = slice(pkg.sections.info, row, DW_SECT_INFO);
  if (info) sections.info = info;
  return { sections, strOffsetsBase: pkg.version >= 5 ? 8 : 0 };
}

/**
 * One type unit's contributions (.debug_tu_index row): GNU version 2 in .debug_types.dwo,
 * DWARF 5 (DW_UT_split_type) in .debug_info.dwo. Undefined when the row names no unit.
 */
function sliceTypeUnitRow(pkg: Package, version: number, row: IndexRow): SplitUnitSections | undefined {
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
