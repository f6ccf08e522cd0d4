import { loadDwarfTypes, type LoadOptions } from '../dwarf/to-model.js';
import type { DwarfSections } from '../dwarf/sections.js';
import { readUnitHeaders } from '../dwarf/unit.js';
import { loadDebugSection, loadDebugSectionRanges, loadDebugSectionRangesRelocated, openElf, plainDebugSection, type ElfFile } from '../elf/index.js';
import type { TypeTable } from '../model/table.js';
import type { FileInfo } from '../model/source.js';
import type { IndexUse, LoadedFile } from './loaded.js';
import { isAggregate } from '../model/types.js';
import { StructscopeError } from '../util/errors.js';
import { resolveDebugInfo, type ExternalOptions } from './external.js';
import { discardIndex, indexKeyOf, indexPath, readIndex, writeIndex } from './index-cache.js';
import { candidateUnitsInFile, candidateUnitsInSections } from './name-search.js';
import { readDwarfSections } from './sections.js';
import { buildTypeIndex, unitsForNames } from './type-index.js';
import { unitExtents } from './unit-extents.js';
import { formatOrder, isRawBtfFile, loadBtfFile, type BtfFileOptions, type DebugFormat } from './btf.js';

export type { LoadOptions };

/** Options of loadFile: conversion options, where to look for separate debug files, the type index. */
export interface FileLoadOptions extends LoadOptions, ExternalOptions, BtfFileOptions {
  /** Sources to try in order (pahole -F): default DWARF then BTF; BTF alone with a BTF base. */
  format?: readonly DebugFormat[];
  /**
   * Only these type names are wanted (`-C`): units that cannot define any of them are not read
   * (a type index, else a byte search: name-search.ts). The result is then partial.
   */
  onlyNames?: readonly string[];
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
  /** A Set, or a filter that searches the file as it is asked (name-search.ts). */
  only: { has(offset: number): boolean };
}

/** Bytes of each unit's start read besides the wanted units, so every unit header parses. */
const HEADER_BYTES = 64;

/**
 * Sections whose presence means types may live outside the units that name them: split DWARF
 * (skeleton units address .debug_addr) and dwz supplementary files. Then -C reads every unit.
 */
const NOT_TARGETABLE = ['.debug_addr', '.gnu_debugaltlink', '.debug_sup'];

/**
 * Load a file's types from the first source of the -F order it has: DWARF (an ELF file's debug
 * sections, or its separate debug files) or BTF (a raw BTF file, or an ELF file's .BTF section).
 */
export function loadFile(path: string, opts: FileLoadOptions = {}): LoadedFile {
  const order = formatOrder(path, opts.format, opts.btfBase);
  const raw = isRawBtfFile(path);
  if (raw && !order.includes('btf')) throw new StructscopeError('NO_DEBUG_INFO', 'a raw BTF file has no DWARF (read it with -F btf)', { file: path });
  if (raw) return loadBtfFile(path, opts);
  let first: StructscopeError | undefined;
  for (const format of order) {
    try {
      return format === 'btf' ? loadBtfFile(path, opts) : loadDwarfFile(path, opts);
    } catch (e) {
      if (!(e instanceof StructscopeError) || e.code !== 'NO_DEBUG_INFO') throw e;
      first ??= e; // neither source: the first one's reason (pahole -F's first format)
    }
  }
  throw first!;
}

/** Open an ELF file, read its debug sections (decompressed, relocated) and convert its types. */
function loadDwarfFile(path: string, opts: FileLoadOptions): LoadedFile {
  let elf: ElfFile | undefined;
  try {
    elf = openElf(path, { allowPipe: true });
    const file = elf;
    const buildId = elf.buildId();
    const cache = opts.cacheDir !== undefined && !elf.fromPipe ? indexLocation(path, buildId, opts.cacheDir) : undefined;
    const names = opts.onlyNames && !NOT_TARGETABLE.some((n) => file.section(n)) ? opts.onlyNames : undefined;
    const index = cache && names ? readIndex(cache.file, cache.key) : undefined;
    let plan = opts.unitPlan;
    if (!plan && index && names) plan = { extents: index.units, only: unitsForNames(index, names) };
    // the name search needs .debug_str: read it once, for the search and the conversion
    const str = !plan && names ? loadDebugSection(elf, '.debug_str') : undefined;
    if (!plan && names) plan = searchPlan(elf, names, str);
    // with a plan and a plain .debug_info, the section starts as unit headers only (zero
    // elsewhere) and each unit is read from the file as it is decoded
    // likewise .debug_line (17 MB in vmlinux): only the line program headers of the units decoded
    const line = plan ? loadDebugSectionRanges(elf, '.debug_line', []) : undefined;
    // ET_REL with a unit plan (a worker's share): its units and every header, relocated alone
    const relInfo = plan && opts.unitPlan ? relocatedUnits(elf, plan) : undefined;
    const own = readDwarfSections(elf, '', plan && headerRanges(plan.extents), { ...(str ? { str } : {}), ...(line ? { line } : {}), ...(relInfo ? { info: relInfo } : {}) });
    if (line) own.fillLine = lazyLinePrograms(elf, line);
    // separate debug file, dwz supplementary file, split DWARF (src/load/external.ts)
    const ext = resolveDebugInfo(path, elf, own, opts);
    const sparse = plan !== undefined && ext.sections === own && own.info !== undefined && plainDebugSection(elf, '.debug_info') !== undefined;
    const lazy = sparse ? lazyUnits(elf, own.info!.bytes) : undefined;
    // not plain (relocated, compressed): search the names in the section read whole
    if (!plan && names && ext.sections === own) plan = sectionSearchPlan(own, names);
    const dwarf = loadDwarfTypes(ext.sections, { ...opts, onlyUnits: plan?.only, beforeUnit: lazy, ...(names ? { typeNames: names } : {}) }, ext.external);
    // the cache is untrusted: an index that sent us to units without a name it lists (or said a
    // name is absent) is checked by reading the file without it, and discarded when it was wrong
    if (index && plan && !opts.unitPlan && names && !names.every((n) => definesAggregate(dwarf.table, n))) {
      elf.close();
      const again = loadFile(path, { ...opts, cacheDir: undefined });
      const found = names.filter((n) => definesAggregate(again.table, n));
      const lied = found.length > names.filter((n) => definesAggregate(dwarf.table, n)).length;
      if (lied) discardIndex(cache!.file);
      again.index = { path: cache!.file, state: lied ? 'rejected' : 'used' };
      return again;
    }
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
    const debugFiles = [...ext.debugFiles, ...ext.split.used];
    if (debugFiles.length) {
      info.debugFiles = debugFiles;
      info.filesRead.push(...debugFiles.map((f) => f.path));
    }
    if (buildId) info.buildId = buildId;
    if (dwarf.unitLanguages.length) info.unitLanguages = dwarf.unitLanguages;
    const loaded: LoadedFile = {
      info,
      table: dwarf.table,
      diagnostics: [...ext.diagnostics, ...dwarf.diagnostics],
      partial: dwarf.partial,
      crossUnitRefs: dwarf.crossUnitRefs,
    };
    if (dwarf.roots) loaded.roots = dwarf.roots;
    if (cache) {
      let state: IndexUse['state'];
      if (index && plan && !opts.unitPlan) state = 'used';
      else if (dwarf.partial) state = 'missing';
      else if (dwarf.crossUnitRefs || !ext.sections.info) state = 'unusable';
      else if (readIndex(cache.file, cache.key)) state = 'present';
      else state = writeIndex(cache.file, buildTypeIndex(cache.key, dwarf.table, dwarf.unitExtents)) ? 'written' : 'unwritable';
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

/** True when `table` holds a definition of a struct, union or class called `name`. */
function definesAggregate(table: TypeTable, name: string): boolean {
  for (const id of table.definitions) {
    const t = table.get(id);
    if (isAggregate(t) && !t.declaration && t.name === name) return true;
  }
  return false;
}

/** For `-C` without an index: the units a chunked byte search of the file says can matter. */
function searchPlan(elf: ElfFile, names: readonly string[], str: Uint8Array | undefined): UnitPlan | undefined {
  const extents = unitExtents(elf);
  const only = extents && candidateUnitsInFile(elf, extents, names, str);
  return extents && only ? { extents, only } : undefined;
}

/** The same search over a .debug_info already in memory. */
function sectionSearchPlan(sections: DwarfSections, names: readonly string[]): UnitPlan | undefined {
  if (!sections.info) return undefined;
  const units = readUnitHeaders(sections.info, sections.littleEndian).units;
  const extents = units.map((u) => [u.offset, u.end] as const);
  const only = candidateUnitsInSections(sections, extents, names, units.some((u) => u.offsetSize === 8));
  return only ? { extents, only } : undefined;
}

function indexLocation(path: string, buildId: string | undefined, dir: string) {
  const key = indexKeyOf(path, buildId);
  return { key, file: indexPath(dir, path, key) };
}

/** Every unit's header: what a sparse .debug_info starts with. */
function headerRanges(extents: UnitPlan['extents']): [number, number][] {
  return extents.map(([start, end]) => [start, Math.min(end, start + HEADER_BYTES)]);
}

/** Fill a sparse .debug_info unit by unit, from the file, the first time each is decoded. */
function lazyUnits(elf: ElfFile, bytes: Uint8Array): (start: number, end: number) => void {
  const section = plainDebugSection(elf, '.debug_info')!;
  const filled = new Set<number>();
  return (start, end) => {
    if (filled.has(start)) return;
    filled.add(start);
    const from = start + HEADER_BYTES;
    if (end > from) bytes.set(elf.readAt(section.fileOffset + from, end - from, section.name), from);
  };
}

/** Fill a sparse .debug_line with the line program at an offset (its unit_length says how far). */
function lazyLinePrograms(elf: ElfFile, bytes: Uint8Array): (offset: number) => void {
  const section = plainDebugSection(elf, '.debug_line')!;
  const filled = new Set<number>();
  return (offset) => {
    if (filled.has(offset) || offset < 0 || offset + 4 > bytes.length) return;
    filled.add(offset);
    const head = elf.readAt(section.fileOffset + offset, Math.min(12, bytes.length - offset), section.name);
    const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
    const le = elf.header.littleEndian;
    const length32 = view.getUint32(0, le);
    // 64-bit DWARF: 0xffffffff, then an 8-byte length
    const total = length32 === 0xffffffff && head.length >= 12 ? 12 + Number(view.getBigUint64(4, le)) : 4 + length32;
    const end = Math.min(bytes.length, offset + total);
    bytes.set(elf.readAt(section.fileOffset + offset, end - offset, section.name), offset);
  };
}

/** ET_REL: the planned units and every unit header of .debug_info, with their relocations only. */
function relocatedUnits(elf: ElfFile, plan: UnitPlan): Uint8Array | undefined {
  if (plainDebugSection(elf, '.debug_info')) return undefined; // not ET_REL: read sparsely as it is
  const ranges: [number, number][] = [];
  for (const [start, end] of plan.extents) ranges.push(plan.only.has(start) ? [start, end] : [start, Math.min(end, start + HEADER_BYTES)]);
  return loadDebugSectionRangesRelocated(elf, '.debug_info', ranges);
}
