/**
 * Everything a binary's debug info may live in besides the binary itself: a separate debug file
 * (build-id, .gnu_debuglink), a dwz supplementary file, split DWARF .dwo/.dwp files.
 */
import type { DwarfSections } from '../dwarf/sections.js';
import type { ExternalDwarf } from '../dwarf/to-model.js';
import { openElf, type ElfFile } from '../elf/index.js';
import type { Diagnostic } from '../util/diagnostic.js';
import { StructscopeError } from '../util/errors.js';
import { debugLinkCandidates, debugRoots, findSeparateDebugFile, type DebugFileUse } from './debug-files.js';
import { readDwarfSections } from './sections.js';
import { SplitResolver } from './split.js';
import { loadSupplementary, supplementaryLink } from './supplementary.js';

export interface ExternalOptions {
  /** Extra debug roots (--debug-dir), searched after /usr/lib/debug. */
  debugDirs?: string[];
}

export interface ResolvedDebugInfo {
  sections: DwarfSections;
  external: ExternalDwarf;
  /** Files read besides `path`, in the order they were first read (split files are added after conversion). */
  debugFiles: DebugFileUse[];
  diagnostics: Diagnostic[];
  split: SplitResolver;
}

/**
 * The DWARF of `path` (open as `elf`, sections already read): when it has none, from its separate
 * debug file; plus the supplementary file and a resolver for split units.
 * Throws NO_DEBUG_INFO, listing every place looked, when a stripped file's debug file is not found.
 */
export function resolveDebugInfo(path: string, elf: ElfFile, sections: DwarfSections, opts: ExternalOptions): ResolvedDebugInfo {
  const roots = debugRoots(opts.debugDirs);
  const debugFiles: DebugFileUse[] = [];
  const diagnostics: Diagnostic[] = [];
  let dwarfFile = path;
  let dwarfElf = elf;
  let opened: ElfFile | undefined;
  try {
    if (!sections.info && !sections.types) {
      const look = findSeparateDebugFile(path, elf.buildId(), elf.debugLink(), roots);
      for (const r of look.rejected) diagnostics.push({ message: `separate debug file rejected: ${r}`, missingFile: true });
      if (!look.found) {
        const link = elf.debugLink();
        const refused = link && debugLinkCandidates(path, link.name, roots).length === 0 ? `; its .gnu_debuglink name ${JSON.stringify(link.name)} leads out of every directory a debug file may be in` : '';
        const where = look.tried.length ? `; looked for a separate debug file in ${look.tried.join(', ')}${refused}` : refused || '; it has no build-id and no .gnu_debuglink';
        const rejected = look.rejected.length ? `; rejected ${look.rejected.join('; ')}` : '';
        throw new StructscopeError('NO_DEBUG_INFO', `no DWARF debug info (.debug_info) in this file${where}${rejected}`, { file: path });
      }
      opened = openElf(look.found.path);
      dwarfElf = opened;
      dwarfFile = look.found.path;
      try {
        sections = readDwarfSections(opened);
      } catch (e) {
        if (e instanceof StructscopeError) throw e.withFile(dwarfFile);
        throw e;
      }
      if (!sections.info && !sections.types) {
        throw new StructscopeError('NO_DEBUG_INFO', `separate debug file ${dwarfFile} (found by ${look.found.role}) has no .debug_info`, { file: path });
      }
      debugFiles.push(look.found);
    }
    const external: ExternalDwarf = {};
    const link = supplementaryLink(dwarfElf);
    if (link) {
      const sup = loadSupplementary(dwarfFile, link, roots);
      if (sup.sections) external.alt = sup.sections;
      if (sup.used) debugFiles.push(sup.used);
      if (sup.error) diagnostics.push({ message: sup.error.detail, missingFile: true });
    }
    // .dwo names are relative to the binary's build directory: look beside the binary named
    const split = new SplitResolver(path);
    // missing .dwo/.dwp files: one diagnostic for all of them, updated as units are resolved
    let missing: Diagnostic | undefined;
    external.split = (s) => {
      try {
        const found = split.resolve(s);
        const message = split.missingMessage();
        if (message && missing) missing.message = message;
        else if (message) diagnostics.push((missing = { message, missingFile: true }));
        return found;
      } catch (e) {
        if (!(e instanceof StructscopeError)) throw e;
        diagnostics.push({ message: e.message, missingFile: true });
        return undefined;
      }
    };
    return { sections, external, debugFiles, diagnostics, split };
  } finally {
    opened?.close();
  }
}
