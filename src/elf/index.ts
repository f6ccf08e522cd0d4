/** ELF container layer: header, sections, symbols, notes, compression, ET_REL debug relocations. */
export { openElf, ElfFile, MAX_SECTIONS } from './elf.js';
export type { ElfHeader, Section, ElfSymbol, ElfNote } from './types.js';
export { loadDebugSection, loadDebugSectionRanges, loadDebugSectionRangesRelocated, rawDebugSection, plainDebugSection, loadSectionRelocated, debugSectionParts, relocationSectionsFor, canonicalDebugName } from './debug.js';
export {
  applyRelocations,
  parseRelocations,
  relocationTable,
  relocEntrySize,
} from './reloc.js';
export { isKnownRelocation } from './reloc-kinds.js';
export type { RelocationTable, Relocation, RelocSymbol, RelocDiagnostic, ApplyResult } from './reloc.js';
export { inflateZlib, decompressZstd, MAX_BUFFER } from './compress.js';
export type { DataLocation } from './compress.js';
export * from './constants.js';
export { dynamicExports, kernelExports, ksymtabSymbolNames, ksymtabSectionKind, parseVersym, parseVerdef } from './exports.js';
export type { ExportedSymbol, ExportKind, ExportDiagnostic, ExportSection, KernelExportsInput, KernelExports, KsymtabLayout, SymbolVersions } from './exports.js';
