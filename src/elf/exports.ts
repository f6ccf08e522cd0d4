/**
 * Exported symbols of an ELF file: what other code may link against.
 *
 * - User space (shared libraries, executables): the defined global and weak functions and
 *   objects of `.dynsym` that are not hidden.
 * - The kernel (vmlinux, `.ko`, and objects built with the 6.1 export macros): the entries of
 *   the `__ksymtab` / `__ksymtab_gpl` sections (`___ksymtab+NAME` / `___ksymtab_gpl+NAME` in an
 *   object, before the module linker script merges them), whose names live in
 *   `__ksymtab_strings`. An entry is a `struct kernel_symbol`, in one of four layouts:
 *
 *   | form | fields | entry size (64-bit) |
 *   |---|---|---|
 *   | relative, 5.4+ (`CONFIG_HAVE_ARCH_PREL32_RELOCATIONS`) | `int value_offset, name_offset, namespace_offset` | 12 |
 *   | relative, 4.19–5.3 | `int value_offset, name_offset` | 8 |
 *   | absolute, 5.4+ | `unsigned long value; const char *name, *namespace` | 24 |
 *   | absolute, before 5.4 | `unsigned long value; const char *name` | 16 |
 *
 *   Relative offsets count from the field's own address. In a linked file (vmlinux) the fields
 *   hold final values; in a relocatable file (`.ko`, `.o`) every field is a relocation whose
 *   target (S + A, symbol in `__ksymtab_strings` for the names) gives the string directly,
 *   whether PC-relative or absolute. The layout is the first that reads every entry's name
 *   from `__ksymtab_strings`, with the entry size taken from the `__ksymtab_NAME` symbols when
 *   `.symtab` has two or more in a section.
 *
 * Pure: the caller (src/load/exports.ts) reads the sections, symbols and relocations.
 */
import { cstringAt } from '../util/reader.js';
import type { ElfSymbol } from './types.js';
import type { RelocationTable } from './reloc.js';
import { SHN, STT } from './constants.js';
import type { ExportedSymbol, ExportKind } from '../util/exported-symbol.js';

export type { ExportedSymbol, ExportKind };

export interface ExportDiagnostic {
  detail: string;
  section: string;
  fileOffset: number;
}

/** A section's bytes and where they are. */
export interface ExportSection {
  index: number;
  name: string;
  /** sh_addr */
  addr: bigint;
  fileOffset: number;
  bytes: Uint8Array;
  /** Relocatable files: the relocations that target this section (concatenated). */
  relocations?: RelocationTable;
}

export interface KernelExportsInput {
  elfClass: 32 | 64;
  littleEndian: boolean;
  /** ET_REL: fields are read through relocations. */
  relocatable: boolean;
  /** `__ksymtab`, `__ksymtab_gpl`, `___ksymtab+NAME`, `___ksymtab_gpl+NAME` sections. */
  tables: readonly ExportSection[];
  /** `__ksymtab_strings` sections. */
  strings: readonly ExportSection[];
  /** `.symtab` (may be empty): relocation targets, kinds, entry sizes. */
  symbols: readonly ElfSymbol[];
}

export interface KernelExports {
  exports: ExportedSymbol[];
  diagnostics: ExportDiagnostic[];
  /** The layout found, per table section name (for reports and tests). */
  layouts: Map<string, KsymtabLayout>;
}

export interface KsymtabLayout {
  relative: boolean;
  hasNamespace: boolean;
  entrySize: number;
}

const STB_GLOBAL = 1;
const STB_WEAK = 2;
const STV_HIDDEN = 2;
const STV_INTERNAL = 1;
const STT_GNU_IFUNC = 10;

function kindOf(type: number): ExportKind | undefined {
  if (type === STT.FUNC || type === STT_GNU_IFUNC) return 'function';
  if (type === STT.OBJECT || type === STT.TLS || type === STT.COMMON) return 'object';
  return undefined;
}

/** Whether a table section holds EXPORT_SYMBOL entries, and whether GPL-only. */
export function ksymtabSectionKind(name: string): { gplOnly: boolean } | undefined {
  if (name === '__ksymtab' || name.startsWith('___ksymtab+')) return { gplOnly: false };
  if (name === '__ksymtab_gpl' || name.startsWith('___ksymtab_gpl+')) return { gplOnly: true };
  return undefined;
}

/** Symbol versions of `.dynsym`: `.gnu.version` entries and the names `.gnu.version_d` defines. */
export interface SymbolVersions {
  /** One entry per .dynsym symbol: version index, bit 15 set when hidden (not the default). */
  versym: Uint16Array;
  /** Version index → name, from .gnu.version_d (index 1 is the file itself and never shown). */
  names: ReadonlyMap<number, string>;
}

const VERSYM_HIDDEN = 0x8000;

/** Decode `.gnu.version` (u16 per symbol). */
export function parseVersym(bytes: Uint8Array, littleEndian: boolean): Uint16Array {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Uint16Array(bytes.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = dv.getUint16(i * 2, littleEndian);
  return out;
}

/**
 * Decode `.gnu.version_d` (Elf_Verdef chain with Elf_Verdaux names in `strtab`): version index →
 * name. Stops at the first entry that does not fit; never throws.
 */
export function parseVerdef(bytes: Uint8Array, strtab: Uint8Array, littleEndian: boolean, count: number): Map<number, string> {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const names = new Map<number, string>();
  let off = 0;
  for (let n = 0; n < count && off + 20 <= bytes.length; n++) {
    const ndx = dv.getUint16(off + 4, littleEndian);
    const aux = dv.getUint32(off + 12, littleEndian);
    const next = dv.getUint32(off + 16, littleEndian);
    if (aux >= 8 && off + aux + 8 <= bytes.length) {
      const name = cstringAt(strtab, dv.getUint32(off + aux, littleEndian));
      if (name !== undefined) names.set(ndx, name);
    }
    if (next === 0) break;
    off += next;
  }
  return names;
}

/**
 * Defined, non-hidden global/weak functions and objects of `.dynsym`, in table order.
 * Symbols in SHN_ABS of size 0 (version-name markers) and untyped symbols are left out.
 */
export function dynamicExports(dynsym: readonly ElfSymbol[], versions?: SymbolVersions): ExportedSymbol[] {
  const out: ExportedSymbol[] = [];
  for (const s of dynsym) {
    if (s.shndx === SHN.UNDEF || s.name === '') continue;
    if (s.bind !== STB_GLOBAL && s.bind !== STB_WEAK) continue;
    const vis = s.other & 3;
    if (vis === STV_HIDDEN || vis === STV_INTERNAL) continue;
    const kind = kindOf(s.type);
    if (!kind) continue;
    if (s.shndx === SHN.ABS && s.size === 0) continue;
    const e: ExportedSymbol = { name: s.name, kind, gplOnly: false, binding: s.bind === STB_WEAK ? 'weak' : 'global', address: s.valueBig };
    const v = versions?.versym[s.index];
    const version = v === undefined ? undefined : versions!.names.get(v & ~VERSYM_HIDDEN);
    // index 1 (VER_NDX_GLOBAL) names the file itself: an unversioned symbol
    if (version !== undefined && (v! & ~VERSYM_HIDDEN) > 1) {
      e.version = version;
      e.defaultVersion = (v! & VERSYM_HIDDEN) === 0;
    }
    out.push(e);
  }
  return out;
}

/**
 * Names `NAME` of the `__ksymtab_NAME` symbols of `.symtab` that lie in a ksymtab section
 * (one per EXPORT_SYMBOL in 6.1 objects, modules and vmlinux): a cross-check of kernelExports.
 */
export function ksymtabSymbolNames(symbols: readonly ElfSymbol[], tables: readonly Pick<ExportSection, 'index'>[]): string[] {
  const inTable = new Set(tables.map((t) => t.index));
  const out: string[] = [];
  for (const s of symbols) {
    if (s.type === STT.SECTION || !inTable.has(s.shndx) || !s.name.startsWith('__ksymtab_')) continue;
    out.push(s.name.slice('__ksymtab_'.length));
  }
  return out;
}

/** The exports of `__ksymtab*` sections, in section then entry order. */
export function kernelExports(input: KernelExportsInput): KernelExports {
  const exports: ExportedSymbol[] = [];
  const diagnostics: ExportDiagnostic[] = [];
  const layouts = new Map<string, KsymtabLayout>();
  const byName = symbolsByName(input.symbols);
  const markers = markerOffsets(input.symbols);
  for (const table of input.tables) {
    const sk = ksymtabSectionKind(table.name);
    if (!sk || table.bytes.length === 0) continue;
    const reader = new EntryReader(input, table);
    const layout = chooseLayout(reader, table, markers.get(table.index), input.elfClass / 8);
    if (!layout) {
      diagnostics.push({
        detail: `no kernel_symbol layout reads every name of this ${table.bytes.length}-byte section from __ksymtab_strings`,
        section: table.name,
        fileOffset: table.fileOffset,
      });
      continue;
    }
    layouts.set(table.name, layout);
    const w = layout.relative ? 4 : input.elfClass / 8;
    for (let off = 0; off + layout.entrySize <= table.bytes.length; off += layout.entrySize) {
      const name = reader.string(off + w, layout.relative);
      if (name === undefined) {
        diagnostics.push({ detail: 'entry name does not point into __ksymtab_strings', section: table.name, fileOffset: table.fileOffset + off });
        continue;
      }
      const ns = layout.hasNamespace ? reader.namespace(off + 2 * w, layout.relative) : undefined;
      const value = reader.target(off, layout.relative);
      const sym = pickSymbol(byName.get(name), value);
      const e: ExportedSymbol = { name, kind: sym ? kindOf(sym.type) : undefined, gplOnly: sk.gplOnly };
      if (ns === undefined && layout.hasNamespace) {
        diagnostics.push({ detail: 'entry namespace does not point into __ksymtab_strings', section: table.name, fileOffset: table.fileOffset + off });
      }
      if (ns) e.namespace = ns;
      const address = value?.address ?? sym?.valueBig;
      if (address !== undefined) e.address = address;
      exports.push(e);
    }
  }
  return { exports, diagnostics, layouts };
}

// ------------------------------------------------------------------------------------------------

interface Target {
  /** Section index of the target (relocatable files), or undefined. */
  shndx?: number;
  /** Section-relative value (relocatable) or address (linked). */
  address: bigint;
  /** The relocation's symbol, when there is one. */
  symbol?: ElfSymbol;
}

/** Reads the fields of one table section, through relocations in relocatable files. */
class EntryReader {
  private readonly dv: DataView;
  private readonly relocAt = new Map<number, number>();
  constructor(
    private readonly input: KernelExportsInput,
    private readonly table: ExportSection,
  ) {
    const b = table.bytes;
    this.dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
    const r = table.relocations;
    if (r) for (let i = r.count - 1; i >= 0; i--) this.relocAt.set(r.offset[i]!, i);
  }

  /** What the field at `off` points to. */
  target(off: number, relative: boolean): Target | undefined {
    const { input, table } = this;
    const width = relative ? 4 : input.elfClass / 8;
    if (off + width > table.bytes.length) return undefined;
    if (input.relocatable) {
      const r = table.relocations;
      const i = this.relocAt.get(off);
      if (!r || i === undefined) return undefined;
      const sym = input.symbols[r.sym[i]!];
      if (!sym) return undefined;
      const addend = r.rela ? (BigInt(r.addendHi[i]!) << 32n) | BigInt(r.addendLo[i]!) : this.field(off, width, true);
      return { shndx: sym.shndx, address: sym.valueBig + addend, symbol: sym };
    }
    const v = this.field(off, width, relative);
    return { address: relative ? BigInt.asUintN(input.elfClass, table.addr + BigInt(off) + v) : v };
  }

  /**
   * The namespace at `off`: null when the field is NULL (0, or no relocation: the assembly
   * export macros write `.long 0`), else as `string`.
   */
  namespace(off: number, relative: boolean): string | null | undefined {
    const width = relative ? 4 : this.input.elfClass / 8;
    if (off + width > this.table.bytes.length) return undefined;
    if (this.input.relocatable ? !this.relocAt.has(off) : this.field(off, width, false) === 0n) return null;
    return this.string(off, relative);
  }

  /** The string the field at `off` points to in __ksymtab_strings. */
  string(off: number, relative: boolean): string | undefined {
    const t = this.target(off, relative);
    if (!t) return undefined;
    for (const s of this.input.strings) {
      let rel: bigint;
      if (this.input.relocatable) {
        if (t.shndx !== s.index) continue;
        rel = t.address;
      } else {
        rel = t.address - s.addr;
      }
      if (rel < 0n || rel >= BigInt(s.bytes.length)) continue;
      return cstringAt(s.bytes, Number(rel));
    }
    return undefined;
  }

  private field(off: number, width: number, signed: boolean): bigint {
    const le = this.input.littleEndian;
    if (width === 4) return BigInt(signed ? this.dv.getInt32(off, le) : this.dv.getUint32(off, le));
    return signed ? this.dv.getBigInt64(off, le) : this.dv.getBigUint64(off, le);
  }
}

const LAYOUTS: readonly { relative: boolean; hasNamespace: boolean }[] = [
  { relative: true, hasNamespace: true },
  { relative: false, hasNamespace: true },
  { relative: true, hasNamespace: false },
  { relative: false, hasNamespace: false },
];

function chooseLayout(reader: EntryReader, table: ExportSection, markerSize: number | undefined, ptr: number): KsymtabLayout | undefined {
  const size = table.bytes.length;
  for (const l of LAYOUTS) {
    const w = l.relative ? 4 : ptr;
    const entrySize = w * (l.hasNamespace ? 3 : 2);
    if (size % entrySize !== 0) continue;
    if (markerSize !== undefined && markerSize !== entrySize) continue;
    let ok = true;
    for (let off = 0; ok && off < size; off += entrySize) {
      ok = reader.string(off + w, l.relative) !== undefined && (!l.hasNamespace || reader.namespace(off + 2 * w, l.relative) !== undefined);
    }
    if (ok) return { ...l, entrySize };
  }
  return undefined;
}

/** Entry size per table section, from the spacing of its `__ksymtab_NAME` symbols (two or more). */
function markerOffsets(symbols: readonly ElfSymbol[]): Map<number, number> {
  const values = new Map<number, bigint[]>();
  for (const s of symbols) {
    if (s.type === STT.SECTION || !s.name.startsWith('__ksymtab_')) continue;
    let list = values.get(s.shndx);
    if (!list) values.set(s.shndx, (list = []));
    list.push(s.valueBig); // kernel addresses exceed 2^53
  }
  const out = new Map<number, number>();
  for (const [shndx, list] of values) {
    if (list.length < 2) continue;
    list.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    let step: bigint | undefined;
    for (let i = 1; i < list.length; i++) {
      const d = list[i]! - list[i - 1]!;
      if (d > 0n && (step === undefined || d < step)) step = d;
    }
    if (step !== undefined) out.set(shndx, Number(step));
  }
  return out;
}

function symbolsByName(symbols: readonly ElfSymbol[]): Map<string, ElfSymbol[]> {
  const m = new Map<string, ElfSymbol[]>();
  for (const s of symbols) {
    if (s.shndx === SHN.UNDEF || s.name === '' || kindOf(s.type) === undefined) continue;
    const list = m.get(s.name);
    if (list) list.push(s);
    else m.set(s.name, [s]);
  }
  return m;
}

/** The defined symbol an entry exports: the relocation's own symbol, else the one at its address. */
function pickSymbol(candidates: ElfSymbol[] | undefined, value: Target | undefined): ElfSymbol | undefined {
  if (value?.symbol && kindOf(value.symbol.type) !== undefined) return value.symbol;
  if (!candidates) return undefined;
  if (value && value.shndx === undefined) {
    const at = candidates.find((c) => c.valueBig === value.address);
    if (at) return at;
  }
  return candidates[0];
}
