import { loadDwarfTypes, type LoadOptions } from '../dwarf/to-model.js';
import type { DwarfSections, SectionBytes } from '../dwarf/sections.js';
import { loadDebugSection, loadDebugSectionRanges, openElf, type ElfFile } from '../elf/index.js';
import type { FileInfo, IndexUse, LoadedFile } from '../model/table.js';
import { StructscopeError } from '../util/errors.js';
import { indexKeyOf, indexPath, readIndex, writeIndex } from './index-cache.js';
import { buildTypeIndex, unitsForNames } from './type-index.js';
import { candidateUnitsInFile } from './name-search.js';
import { plainDebugInfo, unitExtents } from './unit-extents.js';

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
    if (!plan && opts.onlyNames) plan = searchPlan(elf, opts.onlyNames);
    // with a plan, .debug_info starts as unit headers only; units are read as they are decoded
    const sections = readDwarfSections(elf, plan && headerRanges(plan.extents));
    if (!sections.info && !sections.types) {
      throw new StructscopeError('NO_DEBUG_INFO', 'no DWARF debug info (.debug_info) in this file', { file: path });
    }
    const sparse = plan && sections.info && sections.info.bytes.length > 0 && isSparse(sections) ? lazyUnits(elf, sections.info.bytes) : undefined;
    const dwarf = loadDwarfTypes(sections, { ...opts, onlyUnits: plan?.only, beforeUnit: sparse });
    const onlyUnits = plan?.only;
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

/** For `-C` without an index: the units a chunked byte search of the file says can matter. */
function searchPlan(elf: ElfFile, names: readonly string[]): UnitPlan | undefined {
  const extents = unitExtents(elf);
  const only = extents && candidateUnitsInFile(elf, extents, names);
  return extents && only ? { extents, only } : undefined;
}

function indexLocation(path: string, buildId: string | undefined, dir: string) {
  const key = indexKeyOf(path, buildId);
  return { key, file: indexPath(dir, path, key) };
}

/** Every unit's header: what a sparse .debug_info starts with. */
function headerRanges(extents: UnitPlan['extents']): [number, number][] {
  return extents.map(([start, end]) => [start, Math.min(end, start + HEADER_BYTES)]);
}

const sparseSections = new WeakSet<Uint8Array>();

function isSparse(sections: DwarfSections): boolean {
  return sections.info !== undefined && sparseSections.has(sections.info.bytes);
}

/** Fill a sparse .debug_info unit by unit, from the file, the first time each is decoded. */
function lazyUnits(elf: ElfFile, bytes: Uint8Array): (start: number, end: number) => void {
  const section = plainDebugInfo(elf)!;
  const filled = new Set<number>();
  return (start, end) => {
    if (filled.has(start)) return;
    filled.add(start);
    const from = start + HEADER_BYTES;
    if (end > from) bytes.set(elf.readAt(section.fileOffset + from, end - from, section.name), from);
  };
}

/** Read the debug sections; with `infoRanges`, only those parts of .debug_info (when it is stored plainly). */
function readDwarfSections(elf: ElfFile, infoRanges?: [number, number][]): DwarfSections {
  const out: DwarfSections = { littleEndian: elf.header.littleEndian };
  for (const [key, name] of Object.entries(SECTION_NAMES) as [keyof typeof SECTION_NAMES, string][]) {
    const sparse = key === 'info' && infoRanges ? loadDebugSectionRanges(elf, name, infoRanges) : undefined;
    if (sparse) sparseSections.add(sparse);
    const bytes = sparse ?? loadDebugSection(elf, name);
    if (!bytes) continue;
    const section = elf.section(name) ?? elf.section(name.replace(/^\.debug_/, '.zdebug_'));
    const sb: SectionBytes = { name, bytes, fileOffset: section?.fileOffset ?? 0 };
    out[key] = sb;
  }
  return out;
}
