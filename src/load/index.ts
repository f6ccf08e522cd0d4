import { loadDwarfTypes, type LoadOptions } from '../dwarf/to-model.js';
import type { DwarfSections, SectionBytes } from '../dwarf/sections.js';
import { loadDebugSection, openElf, type ElfFile } from '../elf/index.js';
import type { FileInfo, LoadedFile } from '../model/table.js';
import { StructscopeError } from '../util/errors.js';

export type { LoadOptions };

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
export function loadFile(path: string, opts: LoadOptions = {}): LoadedFile {
  let elf: ElfFile | undefined;
  try {
    elf = openElf(path);
    const sections = readDwarfSections(elf);
    if (!sections.info && !sections.types) {
      throw new StructscopeError('NO_DEBUG_INFO', 'no DWARF debug info (.debug_info) in this file', { file: path });
    }
    const dwarf = loadDwarfTypes(sections, opts);
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
    const buildId = elf.buildId();
    if (buildId) info.buildId = buildId;
    return { info, table: dwarf.table, diagnostics: dwarf.diagnostics, partial: dwarf.partial };
  } catch (e) {
    if (e instanceof StructscopeError) throw e.withFile(path);
    throw e;
  } finally {
    elf?.close();
  }
}

function readDwarfSections(elf: ElfFile): DwarfSections {
  const out: DwarfSections = { littleEndian: elf.header.littleEndian };
  for (const [key, name] of Object.entries(SECTION_NAMES) as [keyof typeof SECTION_NAMES, string][]) {
    const bytes = loadDebugSection(elf, name);
    if (!bytes) continue;
    const section = elf.section(name) ?? elf.section(name.replace(/^\.debug_/, '.zdebug_'));
    const sb: SectionBytes = { name, bytes, fileOffset: section?.fileOffset ?? 0 };
    out[key] = sb;
  }
  return out;
}
