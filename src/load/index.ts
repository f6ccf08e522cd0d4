import { loadDwarfTypes, type LoadOptions } from '../dwarf/to-model.js';
import { openElf, type ElfFile } from '../elf/index.js';
import { resolveDebugInfo, type ExternalOptions } from './external.js';
import { readDwarfSections } from './sections.js';
import type { FileInfo, LoadedFile } from '../model/table.js';
import { StructscopeError } from '../util/errors.js';

export type { LoadOptions };

/** Options of loadFile: conversion options, and where to look for separate debug files. */
export interface LoadFileOptions extends LoadOptions, ExternalOptions {}

/** Open an ELF file, read its debug sections (decompressed, relocated) and convert its types. */
export function loadFile(path: string, opts: LoadFileOptions = {}): LoadedFile {
  let elf: ElfFile | undefined;
  try {
    elf = openElf(path);
    // separate debug file, dwz supplementary file, split DWARF (src/load/external.ts)
    const ext = resolveDebugInfo(path, elf, readDwarfSections(elf), opts);
    const dwarf = loadDwarfTypes(ext.sections, opts, ext.external);
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
    const buildId = elf.buildId();
    if (buildId) info.buildId = buildId;
    return { info, table: dwarf.table, diagnostics: [...ext.diagnostics, ...dwarf.diagnostics], partial: dwarf.partial };
  } catch (e) {
    if (e instanceof StructscopeError) throw e.withFile(path);
    throw e;
  } finally {
    elf?.close();
  }
}
