/**
 * Read the exported symbols of an ELF file (src/elf/exports.ts does the decoding).
 *
 * A file with `__ksymtab*` or `__ksymtab_strings` sections, or a kernel module (`.modinfo`), is
 * read as kernel code; anything else through `.dynsym` (none: no exports).
 */
import {
  ET,
  SHT,
  dynamicExports,
  kernelExports,
  parseVerdef,
  parseVersym,
  ksymtabSectionKind,
  ksymtabSymbolNames,
  parseRelocations,
  relocationSectionsFor,
  relocationTable,
  type ElfFile,
  type ExportDiagnostic,
  type ExportSection,
  type ExportedSymbol,
  type KsymtabLayout,
  type Relocation,
  type RelocationTable,
  type Section,
  type SymbolVersions,
} from '../elf/index.js';

export interface FileExports {
  /** kernel: EXPORT_SYMBOL tables; dynamic: .dynsym; none: neither exists. */
  source: 'kernel' | 'dynamic' | 'none';
  exports: ExportedSymbol[];
  diagnostics: ExportDiagnostic[];
  /** Kernel: the kernel_symbol layout found per table section. */
  layouts?: Map<string, KsymtabLayout>;
  /** Kernel: names of the `__ksymtab_NAME` symbols of `.symtab` (a cross-check; empty without .symtab). */
  ksymtabSymbols?: string[];
}

export function readExports(elf: ElfFile): FileExports {
  const tables = elf.sections.filter((s) => ksymtabSectionKind(s.name) !== undefined && s.type !== SHT.NOBITS);
  const strings = elf.sections.filter((s) => s.name === '__ksymtab_strings' && s.type !== SHT.NOBITS);
  if (tables.length > 0 || strings.length > 0 || elf.section('.modinfo')) {
    const symtab = elf.sections.find((s) => s.type === SHT.SYMTAB);
    const symbols = symtab ? elf.symbolTable(symtab) : [];
    const relocatable = elf.header.type === ET.REL;
    const tableBytes = tables.map((s) => exportSection(elf, s, relocatable));
    const r = kernelExports({
      elfClass: elf.header.class,
      littleEndian: elf.header.littleEndian,
      relocatable,
      tables: tableBytes,
      strings: strings.map((s) => exportSection(elf, s, false)),
      symbols,
    });
    const ksymtabSymbols = ksymtabSymbolNames(symbols, tableBytes);
    const mismatch = crossCheck(r.exports, ksymtabSymbols);
    if (mismatch) r.diagnostics.push({ detail: mismatch, section: '.symtab', fileOffset: symtab!.fileOffset });
    return { source: 'kernel', ...r, ksymtabSymbols };
  }
  const dynsym = elf.sections.find((s) => s.type === SHT.DYNSYM);
  if (!dynsym) return { source: 'none', exports: [], diagnostics: [] };
  return { source: 'dynamic', exports: dynamicExports(elf.symbolTable(dynsym), symbolVersions(elf)), diagnostics: [] };
}

const SHT_GNU_VERDEF = 0x6ffffffd;
const SHT_GNU_VERSYM = 0x6fffffff;

/** `.gnu.version` and the names of `.gnu.version_d`, when the file has both. */
function symbolVersions(elf: ElfFile): SymbolVersions | undefined {
  const versym = elf.sections.find((s) => s.type === SHT_GNU_VERSYM);
  const verdef = elf.sections.find((s) => s.type === SHT_GNU_VERDEF);
  const strtab = verdef ? elf.sections[verdef.link] : undefined;
  if (!versym || !verdef || !strtab) return undefined;
  const le = elf.header.littleEndian;
  // sh_info of .gnu.version_d is the number of definitions
  return { versym: parseVersym(elf.readSection(versym), le), names: parseVerdef(elf.readSection(verdef), elf.readSection(strtab), le, verdef.info) };
}

function exportSection(elf: ElfFile, s: Section, withRelocations: boolean): ExportSection {
  const out: ExportSection = { index: s.index, name: s.name, addr: s.addr, fileOffset: s.fileOffset, bytes: elf.readSection(s) };
  if (withRelocations) {
    const tables = relocationSectionsFor(elf, s)
      .filter((rs) => rs.type === SHT.RELA || rs.type === SHT.REL)
      .map((rs) =>
        parseRelocations(elf.readSection(rs), rs.type === SHT.RELA, elf.header.class, elf.header.littleEndian, elf.header.machine, {
          section: rs.name,
          fileOffset: rs.fileOffset,
          entsize: rs.entsize,
        }),
      );
    if (tables.length > 0) out.relocations = tables.length === 1 ? tables[0] : mergeRelocations(tables);
  }
  return out;
}

/** Several relocation sections for one target (rare): one table. */
function mergeRelocations(tables: RelocationTable[]): RelocationTable {
  const list: Relocation[] = [];
  for (const t of tables) {
    for (let i = 0; i < t.count; i++) {
      const addend = (BigInt(t.addendHi[i]!) << 32n) | BigInt(t.addendLo[i]!);
      list.push({ offset: t.offset[i]!, type: t.type[i]!, sym: t.sym[i]!, addend });
    }
  }
  return relocationTable(list, tables.every((t) => t.rela));
}

/** The entries read against the `__ksymtab_NAME` symbols (none: no .symtab, nothing to say). */
function crossCheck(exports: readonly ExportedSymbol[], ksymtabSymbols: readonly string[]): string | undefined {
  if (ksymtabSymbols.length === 0) return undefined;
  const read = new Set(exports.map((e) => e.name));
  const marked = new Set(ksymtabSymbols);
  const unmarked = [...read].filter((n) => !marked.has(n));
  const unread = [...marked].filter((n) => !read.has(n));
  if (unmarked.length === 0 && unread.length === 0) return undefined;
  const some = (l: string[]) => l.slice(0, 3).join(', ') + (l.length > 3 ? ', …' : '');
  return `the export tables and the __ksymtab_NAME symbols disagree: ${unread.length} symbols without an entry read (${some(unread)}), ${unmarked.length} entries without a symbol (${some(unmarked)})`;
}
