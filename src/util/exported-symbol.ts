/**
 * One exported symbol: what elf reads (src/elf/exports.ts) and report renders
 * (src/report/exports.ts). Here because util is the one module elf may import; report, which
 * may not import util, takes it from model/source.ts.
 */
export type ExportKind = 'function' | 'object';

export interface ExportedSymbol {
  name: string;
  /** From the symbol's STT_* type; undefined when no symbol of that name says. */
  kind: ExportKind | undefined;
  /** Kernel: EXPORT_SYMBOL_GPL (from `__ksymtab_gpl`). Always false for `.dynsym`. */
  gplOnly: boolean;
  /** Kernel: the symbol namespace (EXPORT_SYMBOL_NS), when not empty. */
  namespace?: string;
  /** .dynsym: STB_GLOBAL or STB_WEAK. */
  binding?: 'global' | 'weak';
  /** .dynsym of a versioned library: the version name (`.gnu.version_d`). */
  version?: string;
  /** With `version`: whether it is the default one (`foo@@V`, true) or a hidden older one (`foo@V`). */
  defaultVersion?: boolean;
  /** Address (linked files) or section-relative value (relocatable files), when known. */
  address?: bigint;
}
