import { loadDwarfTypes, type LoadOptions } from '../dwarf/to-model.js';
import type { DwarfSections, SectionBytes } from '../dwarf/sections.js';
import { loadDebugSection, loadDebugSectionRanges, openElf, type ElfFile } from '../elf/index.js';
import type { FileInfo, IndexUse, LoadedFile } from '../model/table.js';
import { StructscopeError } from '../util/errors.js';
import { indexKeyOf, indexPath, readIndex, writeIndex } from './index-cache.js';
import { buildTypeIndex, unitsForNames } from './type-index.js';

export type { LoadOptions };

export interface FileLoadOptions extends LoadOptions {
  /**
   * Type index cache directory (index-cache.ts). With onlyNames, an index found there limits
   * reading to the units that define those names; a complete load writes the index when it is
   * missing. Undefined: no index is read or written.
   */
  cacheDir?: string;
  /**
   * Convert only the units at `only`; `extents` lists every unit of .debug_info ([offset, end)),
   * so that only those units' bytes (and all unit headers) are read from the file.
   */
  unitPlan?: UnitPlan;
}

export interface UnitPlan {
  extents: readonly (readonly [number, number])[];
  only: ReadonlySet<number>;
}

/** Bytes of each unit's start read besides the wanted units, so every unit header parses. */
const HEADER_BYTES = 64;

/** The DWARF sections structscope reads, by their standard names. */
const SECTION_NAMES = {
  info: '.debug_info',
  abbrev: '.debug_abbrev',
  str: '.debug_str',
  lineStr: '.debug_line_str',
  strOffsets: '.debug_str_offsets',
  line: '.debug_line',
  types: '.debug_types',
} as const;

/** Open an ELF file, read its debug sections (decompressed, relocated) and convert its types. */
export function loadFile(path: string, opts: FileLoadOptions = {}): LoadedFile {
  let elf: ElfFile | undefined;
  try {
    elf = openElf(path);
    const buildId = elf.buildId();
    const cache = opts.cacheDir !== undefined ? indexLocation(path, buildId, opts.cacheDir) : undefined;
    const index = cache && opts.onlyNames ? readIndex(cache.file, cache.key) : undefined;
    let plan = opts.unitPlan;
    if (!plan && index && opts.onlyNames) plan = { extents: index.units, only: unitsForNames(index, opts.onlyNames) };
    const onlyUnits = plan?.only;
    const sections = readDwarfSections(elf, plan && infoRanges(plan));
    if (!sections.info && !sections.types) {
      throw new StructscopeError('NO_DEBUG_INFO', 'no DWARF debug info (.debug_info) in this file', { file: path });
    }
    const dwarf = loadDwarfTypes(sections, { ...opts, onlyUnits });
    const info: FileInfo = {
      path,
      machine: elf.header.machine,
      machineName: elf.machineName,
      elfClass: elf.header.class,
      littleEndian: elf.header.littleEndian,
      flags: elf.header.flags,
      addressSize: dwarf.addressSize,
      dwarfVersions: dwarf.dwarfVersions,
      filesRead: [path],
    };
    if (buildId) info.buildId = buildId;
    const loaded: LoadedFile = { info, table: dwarf.table, diagnostics: dwarf.diagnostics, partial: dwarf.partial, crossUnitRefs: dwarf.crossUnitRefs };
    if (cache) {
      let state: IndexUse['state'];
      if (index && onlyUnits && !opts.unitPlan) state = 'used';
      else if (dwarf.partial) state = 'missing';
      else if (dwarf.crossUnitRefs || !sections.info) state = 'unusable';
      else if (readIndex(cache.file, cache.key)) state = 'present';
      else state = writeIndex(cache.file, buildTypeIndex(cache.key, dwarf.table, dwarf.unitExtents)) ? 'written' : 'unusable';
      loaded.index = { path: cache.file, state };
    }
    return loaded;
  } catch (e) {
    if (e instanceof StructscopeError) throw e.withFile(path);
    throw e;
  } finally {
    elf?.close();
  }
}

function indexLocation(path: string, buildId: string | undefined, dir: string) {
  const key = indexKeyOf(path, buildId);
  return { key, file: indexPath(dir, path, key) };
}

/** The .debug_info byte ranges a load of `units` needs: their bytes and every unit's header. */
function infoRanges(plan: UnitPlan): [number, number][] {
  return plan.extents.map(([start, end]) => [start, plan.only.has(start) ? end : Math.min(end, start + HEADER_BYTES)]);
}

/** Read the debug sections; with `infoRanges`, only those parts of .debug_info (when it is stored plainly). */
function readDwarfSections(elf: ElfFile, infoRanges?: [number, number][]): DwarfSections {
  const out: DwarfSections = { littleEndian: elf.header.littleEndian };
  for (const [key, name] of Object.entries(SECTION_NAMES) as [keyof typeof SECTION_NAMES, string][]) {
    const sparse = key === 'info' && infoRanges ? loadDebugSectionRanges(elf, name, infoRanges) : undefined;
    const bytes = sparse ?? loadDebugSection(elf, name);
    if (!bytes) continue;
    const section = elf.section(name) ?? elf.section(name.replace(/^\.debug_/, '.zdebug_'));
    const sb: SectionBytes = { name, bytes, fileOffset: section?.fileOffset ?? 0 };
    out[key] = sb;
  }
  return out;
}
