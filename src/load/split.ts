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
const DW_SECT_STR_OFFSETS = 6;

interface IndexRow {
  /** DW_SECT id → [offset, size] */
  cols: Map<number, [number, number]>;
}

interface Package {
  sections: DwarfSections;
  version: number;
  rows: Map<string, IndexRow>;
}

/** Resolves skeleton units for one binary; remembers the files it read. */
export class SplitResolver {
  readonly used: DebugFileUse[] = [];
  private dwp: Package | null | undefined;
  private readonly dwos = new Map<string, DwarfSections>();

  constructor(private readonly binary: string) {}

  resolve(skel: SkeletonInfo): SplitUnitSections | undefined {
    const pkg = this.package();
    if (pkg && skel.dwoId) {
      const row = pkg.rows.get(skel.dwoId);
      if (row) return sliceRow(pkg, row);
    }
    if (!skel.dwoName) {
      throw new StructscopeError('NO_DEBUG_INFO', `skeleton unit (dwo_id ${skel.dwoId ?? '?'}) names no .dwo and no ${path.basename(this.binary)}.dwp holds it; its types are missing`);
    }
    const candidates = dwoCandidates(this.binary, skel.dwoName, skel.compDir);
    const found = candidates.find(isFile);
    if (!found) {
      throw new StructscopeError('NO_DEBUG_INFO', `split DWARF file ${skel.dwoName} not found (looked in ${candidates.join(', ')}); its types are missing`);
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
      const { version, rows } = parseUnitIndex(
        { name: index.name, bytes: elf.readSection(index), fileOffset: index.fileOffset },
        elf.header.littleEndian,
      );
      return { sections, version, rows };
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

/** One unit's contributions to the package, as sections of their own. */
function sliceRow(pkg: Package, row: IndexRow): SplitUnitSections {
  const slice = (sec: SectionBytes | undefined, id: number): SectionBytes | undefined => {
    if (!sec) return undefined;
    const c = row.cols.get(id);
    if (!c) return sec;
    return { name: sec.name, bytes: sec.bytes.subarray(c[0], c[0] + c[1]), fileOffset: sec.fileOffset + c[0] };
  };
  const s = pkg.sections;
  const sections: DwarfSections = { ...s };
  const info = slice(s.info, DW_SECT_INFO);
  const abbrev = slice(s.abbrev, DW_SECT_ABBREV);
  const strOffsets = slice(s.strOffsets, DW_SECT_STR_OFFSETS);
  if (info) sections.info = info;
  if (abbrev) sections.abbrev = abbrev;
  if (strOffsets) sections.strOffsets = strOffsets;
  return { sections, strOffsetsBase: pkg.version >= 5 ? 8 : 0 };
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
