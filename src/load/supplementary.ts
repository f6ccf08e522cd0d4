/**
 * dwz supplementary files: the file named by `.gnu_debugaltlink` (GNU) or `.debug_sup`
 * (DWARF 5) holds partial units and strings shared by several binaries.
 */
import type { DwarfSections } from '../dwarf/sections.js';
import { openElf, type ElfFile } from '../elf/index.js';
import { StructscopeError } from '../util/errors.js';
import { Reader } from '../util/reader.js';
import { altLinkPlaces, type DebugFileUse } from './debug-files.js';
import { isNamedRegularFile, resolvesInside } from './named-files.js';
import { readDwarfSections } from './sections.js';

export interface SupplementaryLink {
  name: string;
  /** Build-id (hex) the supplementary file must have; empty when unknown (.debug_sup checksums are not build-ids). */
  buildId: string;
}

/** The supplementary file a binary refers to, if any. */
export function supplementaryLink(elf: ElfFile): SupplementaryLink | undefined {
  const alt = elf.debugAltLink();
  if (alt) return alt;
  const sup = elf.section('.debug_sup');
  if (!sup) return undefined;
  const r = new Reader(elf.readSection(sup), elf.header.littleEndian, sup.name, sup.fileOffset);
  r.u16(); // version
  const isSupplementary = r.u8();
  if (isSupplementary) return undefined; // this is the supplementary file itself
  return { name: r.cstring(), buildId: '' };
}

export interface SupplementaryResult {
  sections?: DwarfSections;
  used?: DebugFileUse;
  /** One line naming what is missing, when the file was not found. */
  error?: StructscopeError;
}

/** Find and read the supplementary file; a missing one is reported, not thrown. */
export function loadSupplementary(file: string, link: SupplementaryLink, roots: readonly string[]): SupplementaryResult {
  const places = altLinkPlaces(file, link.name, link.buildId, roots);
  const candidates = places.map((c) => c.path);
  const rejected: string[] = [];
  for (const { path: c, inside } of places) {
    if (!isNamedRegularFile(c)) continue;
    if (!resolvesInside(c, inside)) {
      rejected.push(`${c} (outside ${inside.join(', ')})`);
      continue;
    }
    const elf = openElf(c);
    try {
      const id = elf.buildId();
      if (link.buildId && id !== link.buildId) {
        rejected.push(`${c} (its build-id is not ${link.buildId})`);
        continue;
      }
      return { sections: readDwarfSections(elf), used: { path: c, role: 'supplementary' } };
    } catch (e) {
      if (e instanceof StructscopeError) throw e.withFile(c);
      throw e;
    } finally {
      elf.close();
    }
  }
  const why = rejected.length ? `; rejected: ${rejected.join(', ')}` : '';
  return {
    error: new StructscopeError(
      'NO_DEBUG_INFO',
      `dwz supplementary file ${link.name}${link.buildId ? ` (build-id ${link.buildId})` : ''} not found (looked in ${candidates.join(', ')})${why}; types shared through it are missing`,
    ),
  };
}
