/**
 * Split DWARF: find the full unit of a skeleton unit, in `<binary>.dwp` (by dwo_id, through
 * .debug_cu_index) or in the .dwo named by DW_AT_dwo_name.
 */
import path from 'node:path';
import type { SkeletonInfo, SplitUnitSections } from '../dwarf/to-model.js';
import type { DwarfSections } from '../dwarf/sections.js';
import { parseUnitIndex, sliceRow, sliceTypeUnitRow, type Package } from '../dwarf/unit-index.js';
import { openElf } from '../elf/index.js';
import { StructscopeError } from '../util/errors.js';
import { dwoCandidates, isFile, type DebugFileUse } from './debug-files.js';
import { readDwarfSections } from './sections.js';

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
