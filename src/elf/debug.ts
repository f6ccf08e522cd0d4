/**
 * Debug section loading: decompress, and for ET_REL files relocate as a linker would.
 *
 * A relocatable file may hold several sections of the same name (COMDAT groups, e.g. DWARF 5
 * type units in `.debug_info` with -fdebug-types-section). They are concatenated in section
 * index order, as a linker concatenates input sections, and every symbol defined in such a
 * section is moved by that section's offset in the concatenation, so references between
 * debug sections stay right.
 */
import { StructscopeError } from '../util/errors.js';
import { ET, SHF, SHN, SHT } from './constants.js';
import type { ElfFile } from './elf.js';
import type { ElfSymbol, Section } from './types.js';
import { applyRelocations, parseRelocations, type RelocDiagnostic, type RelocSymbol } from './reloc.js';

/** `.zdebug_info` → `.debug_info`; other names unchanged. */
export function canonicalDebugName(name: string): string {
  return name.startsWith('.zdebug_') ? `.debug_${name.slice(8)}` : name;
}

/**
 * The sections that make up debug section `name` (".debug_info" also matches ".zdebug_info"),
 * in index order; SHT_NOBITS sections (left behind by strip/objcopy --only-keep-debug) excluded.
 */
export function debugSectionParts(elf: ElfFile, name: string): Section[] {
  const want = canonicalDebugName(name);
  return elf.sections.filter((s) => s.type !== SHT.NOBITS && s.type !== SHT.NULL && canonicalDebugName(s.name) === want);
}

/**
 * Contents of debug section `name`, decompressed and, for ET_REL files, relocated with every
 * SHT_RELA / SHT_REL section that targets it. ET_EXEC / ET_DYN files (e.g. a vmlinux that keeps
 * `.rela.debug_*`) are returned as they are: their relocations are already applied.
 * Relocations that cannot be applied are appended to `diagnostics` (when given).
 * undefined when the file has no such section with contents. The result is a fresh buffer.
 */
export function loadDebugSection(elf: ElfFile, name: string, diagnostics?: RelocDiagnostic[]): Uint8Array | undefined {
  const parts = debugSectionParts(elf, name);
  if (parts.length === 0) return undefined;
  if (parts.length === 1) return loadSectionRelocated(elf, parts[0]!, diagnostics);
  const datas = parts.map((p) => loadSectionRelocated(elf, p, diagnostics));
  let total = 0;
  for (const d of datas) total += d.length;
  const out = new Uint8Array(total);
  let pos = 0;
  for (const d of datas) {
    out.set(d, pos);
    pos += d.length;
  }
  return out;
}

/** Relocation entries per chunk: a kernel module's 140 MB of .rela.debug_info is never held whole. */
const RELOC_CHUNK_ENTRIES = 1 << 20;

/** One section's contents, decompressed, and relocated when the file is ET_REL (relocations read `chunkEntries` at a time). */
export function loadSectionRelocated(
  elf: ElfFile,
  section: Section,
  diagnostics?: RelocDiagnostic[],
  chunkEntries = RELOC_CHUNK_ENTRIES,
  ranges?: readonly (readonly [number, number])[],
): Uint8Array {
  try {
    const data = ranges ? readRanges(elf, section, ranges) : elf.readSection(section);
    if (elf.header.type !== ET.REL) return data;
    for (const rs of relocationSectionsFor(elf, section)) {
      if (rs.type === SHT.CREL) {
        diagnostics?.push({
          code: 'UNSUPPORTED',
          detail: 'SHT_CREL (compact) relocations are not supported',
          relocType: 0,
          count: 1,
          offset: 0,
          section: rs.name,
          fileOffset: rs.fileOffset,
        });
        continue;
      }
      const symtab = elf.sections[rs.link];
      if (!symtab || (symtab.type !== SHT.SYMTAB && symtab.type !== SHT.DYNSYM)) {
        throw new StructscopeError('BAD_HEADER', `relocation section's symbol table index ${rs.link} is not a symbol table`, {
          file: elf.path,
          section: rs.name,
          fileOffset: rs.fileOffset,
        });
      }
      const symbols = placedSymbols(elf, symtab);
      const found: RelocDiagnostic[] = [];
      for (const whole of relocationChunks(elf, rs, chunkEntries)) {
        for (const chunk of ranges ? entriesInRanges(whole, rs, elf, ranges) : [whole]) {
          const relocs = parseRelocations(chunk.bytes, rs.type === SHT.RELA, elf.header.class, elf.header.littleEndian, elf.header.machine, {
            section: rs.name,
            fileOffset: chunk.fileOffset,
            entsize: rs.entsize,
          });
          // `data` is our own fresh buffer
          const result = applyRelocations(data, relocs, symbols, elf.header.machine, elf.header.class, elf.header.littleEndian, { inPlace: true });
          mergeDiagnostics(found, result.diagnostics);
        }
      }
      if (diagnostics) for (const d of found) diagnostics.push({ ...d, section: rs.name });
    }
    return data;
  } catch (e) {
    if (e instanceof StructscopeError) throw e.withFile(elf.path);
    throw e;
  }
}

/** A section's bytes with only `ranges` ([start, end) in the section) read; zero elsewhere. */
function readRanges(elf: ElfFile, section: Section, ranges: readonly (readonly [number, number])[]): Uint8Array {
  const out = new Uint8Array(section.size);
  for (const [start, end] of ranges) {
    const s = Math.max(0, start);
    const e = Math.min(section.size, end);
    if (e > s) out.set(elf.readAt(section.fileOffset + s, e - s, section.name), s);
  }
  return out;
}

/**
 * The runs of a chunk's relocation entries whose r_offset falls in one of `ranges` (sorted,
 * disjoint): only those are parsed and applied. Correct whatever the entries' order; with the
 * usual ascending order there is one run per range.
 */
function entriesInRanges(
  chunk: { bytes: Uint8Array; fileOffset: number },
  rs: Section,
  elf: ElfFile,
  ranges: readonly (readonly [number, number])[],
): { bytes: Uint8Array; fileOffset: number }[] {
  const is64 = elf.header.class === 64;
  const stride = rs.entsize || (rs.type === SHT.RELA ? 3 : 2) * (is64 ? 8 : 4);
  const b = chunk.bytes;
  if (b.length % stride !== 0) return [chunk]; // parseRelocations reports it
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const le = elf.header.littleEndian;
  const inRange = (off: number): boolean => {
    let lo = 0;
    let hi = ranges.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const [s, e] = ranges[mid]!;
      if (off < s) hi = mid - 1;
      else if (off >= e) lo = mid + 1;
      else return true;
    }
    return false;
  };
  const out: { bytes: Uint8Array; fileOffset: number }[] = [];
  let runStart = -1;
  for (let at = 0; at < b.length; at += stride) {
    // r_offset: the first field of Elf32/Elf64 Rel and Rela (beyond 2^53 it is outside anyway)
    const off = is64 ? (le ? dv.getUint32(at, true) + dv.getUint32(at + 4, true) * 0x100000000 : dv.getUint32(at + 4, false) + dv.getUint32(at, false) * 0x100000000) : dv.getUint32(at, le);
    if (inRange(off)) {
      if (runStart < 0) runStart = at;
    } else if (runStart >= 0) {
      out.push({ bytes: b.subarray(runStart, at), fileOffset: chunk.fileOffset + runStart });
      runStart = -1;
    }
  }
  if (runStart >= 0) out.push({ bytes: b.subarray(runStart), fileOffset: chunk.fileOffset + runStart });
  return out;
}

/**
 * Debug section `name` of an ET_REL file with only `ranges` read and only the relocations that
 * land in them applied (a worker's share of a large kernel module); zero elsewhere. Undefined
 * unless the file is ET_REL and the section is one uncompressed part.
 */
export function loadDebugSectionRangesRelocated(elf: ElfFile, name: string, ranges: readonly (readonly [number, number])[], diagnostics?: RelocDiagnostic[]): Uint8Array | undefined {
  const section = rawDebugSection(elf, name);
  if (!section || elf.header.type !== ET.REL) return undefined;
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  return loadSectionRelocated(elf, section, diagnostics, RELOC_CHUNK_ENTRIES, sorted);
}

/** The one uncompressed section that holds debug section `name`, relocatable or not (for unit headers). */
export function rawDebugSection(elf: ElfFile, name: string): Section | undefined {
  const parts = debugSectionParts(elf, name);
  if (parts.length !== 1) return undefined;
  const section = parts[0]!;
  return section.flags & SHF.COMPRESSED || section.name.startsWith('.zdebug') ? undefined : section;
}

/** A relocation section's contents in whole-entry chunks (compressed ones in one piece). */
function* relocationChunks(elf: ElfFile, rs: Section, entries: number): Generator<{ bytes: Uint8Array; fileOffset: number }> {
  const stride = rs.entsize || (rs.type === SHT.RELA ? 3 : 2) * (elf.header.class === 64 ? 8 : 4);
  if (rs.flags & SHF.COMPRESSED || rs.type === SHT.NOBITS || rs.size % stride !== 0) {
    yield { bytes: elf.readSection(rs), fileOffset: rs.fileOffset }; // parseRelocations reports a bad size
    return;
  }
  const chunk = stride * Math.max(1, entries);
  for (let at = 0; at < rs.size; at += chunk) {
    yield { bytes: elf.readAt(rs.fileOffset + at, Math.min(chunk, rs.size - at), rs.name), fileOffset: rs.fileOffset + at };
  }
}

/** Add chunk diagnostics to `into`, one entry per kind of problem, as one pass over the section gives. */
function mergeDiagnostics(into: RelocDiagnostic[], more: readonly RelocDiagnostic[]): void {
  for (const d of more) {
    const same = into.find((x) => x.code === d.code && x.relocType === d.relocType && x.detail === d.detail);
    if (same) same.count += d.count;
    else into.push({ ...d });
  }
}

// ------------------------------------------------------------------------------------------------

interface ElfCaches {
  relocsByTarget?: Map<number, Section[]>;
  bases?: Float64Array | null;
  placed: Map<number, RelocSymbol[]>;
}

const caches = new WeakMap<ElfFile, ElfCaches>();

function cacheOf(elf: ElfFile): ElfCaches {
  let c = caches.get(elf);
  if (!c) {
    c = { placed: new Map() };
    caches.set(elf, c);
  }
  return c;
}

/** SHT_RELA / SHT_REL / SHT_CREL sections whose sh_info names `target`, in index order. */
export function relocationSectionsFor(elf: ElfFile, target: Section): Section[] {
  const c = cacheOf(elf);
  if (!c.relocsByTarget) {
    const m = new Map<number, Section[]>();
    for (const s of elf.sections) {
      if (s.type !== SHT.RELA && s.type !== SHT.REL && s.type !== SHT.CREL) continue;
      const list = m.get(s.info);
      if (list) list.push(s);
      else m.set(s.info, [s]);
    }
    c.relocsByTarget = m;
  }
  return c.relocsByTarget.get(target.index) ?? [];
}

const NOT_PLACED = new Set<number>([SHT.NULL, SHT.SYMTAB, SHT.STRTAB, SHT.RELA, SHT.REL, SHT.DYNSYM, SHT.GROUP, SHT.SYMTAB_SHNDX, SHT.CREL]);

/**
 * Offset of each section in the concatenation of same-named sections (null when no two
 * sections share a name, the usual case).
 */
function sectionBases(elf: ElfFile): Float64Array | null {
  const c = cacheOf(elf);
  if (c.bases !== undefined) return c.bases;
  const byName = new Map<string, Section[]>();
  for (const s of elf.sections) {
    if (NOT_PLACED.has(s.type)) continue;
    const key = canonicalDebugName(s.name);
    const list = byName.get(key);
    if (list) list.push(s);
    else byName.set(key, [s]);
  }
  let bases: Float64Array | null = null;
  for (const list of byName.values()) {
    if (list.length < 2) continue;
    bases ??= new Float64Array(elf.sections.length);
    let pos = 0;
    for (const s of list) {
      bases[s.index] = pos;
      // NOBITS parts occupy no bytes in a loaded debug section (debugSectionParts skips them)
      if (s.type !== SHT.NOBITS) pos += elf.uncompressedSize(s);
    }
  }
  c.bases = bases;
  return bases;
}

/** Symbols of `symtab`, with values moved by their section's place in a concatenation. */
function placedSymbols(elf: ElfFile, symtab: Section): readonly RelocSymbol[] {
  const c = cacheOf(elf);
  const cached = c.placed.get(symtab.index);
  if (cached) return cached;
  const syms: ElfSymbol[] = elf.symbolTable(symtab);
  const bases = sectionBases(elf);
  let placed: RelocSymbol[] = syms;
  if (bases) {
    placed = syms.map((s) => {
      const base = s.shndx < SHN.LORESERVE && s.shndx < bases.length ? bases[s.shndx]! : 0;
      return base === 0 ? s : { value: s.value + base, valueBig: s.valueBig + BigInt(base) };
    });
  }
  c.placed.set(symtab.index, placed);
  return placed;
}

/**
 * Debug section `name` when the file stores it as it is (one part, uncompressed, not ET_REL), so
 * that its bytes can be read piecemeal at `fileOffset + offset`; undefined otherwise.
 */
export function plainDebugSection(elf: ElfFile, name: string): Section | undefined {
  const parts = debugSectionParts(elf, name);
  if (parts.length !== 1 || elf.header.type === ET.REL) return undefined;
  const section = parts[0]!;
  return section.flags & SHF.COMPRESSED || section.name.startsWith('.zdebug') ? undefined : section;
}

/**
 * Debug section `name` with only `ranges` ([start, end) offsets in the section) read from the
 * file; every other byte is zero. The buffer is allocated zero-filled, which the OS maps lazily,
 * so a 170 MB .debug_info costs only the pages actually read. Undefined unless the section is
 * plain (plainDebugSection).
 */
export function loadDebugSectionRanges(elf: ElfFile, name: string, ranges: readonly (readonly [number, number])[]): Uint8Array | undefined {
  const section = plainDebugSection(elf, name);
  return section ? readRanges(elf, section, ranges) : undefined;
}
