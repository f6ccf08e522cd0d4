/**
 * `structscope exports`: the exported symbols of each file, as text or JSON
 * (schema/exports.schema.json). Pure: renders what src/load/exports.ts read.
 */
import type { ExportedSymbol } from '../model/source.js';

/** `name`, `name@@VERSION` (default version) or `name@VERSION` (hidden older one), as readelf and nm write them. */
export function versionedName(e: ExportedSymbol): string {
  return e.version === undefined ? e.name : `${e.name}${e.defaultVersion ? '@@' : '@'}${e.version}`;
}

export interface ExportsFile {
  path: string;
  /** kernel: __ksymtab*; dynamic: .dynsym; none: the file exports nothing. */
  source: 'kernel' | 'dynamic' | 'none';
  exports: readonly ExportedSymbol[];
}

export interface ExportsJsonSymbol {
  name: string;
  kind: 'function' | 'object' | null;
  gplOnly: boolean;
  namespace?: string;
  binding?: 'global' | 'weak';
  /** .dynsym symbol version, and whether it is the default one (name@@version). */
  version?: string;
  defaultVersion?: boolean;
  /** Hexadecimal, 0x-prefixed (kernel addresses exceed 2^53). */
  address?: string;
}

export interface ExportsDocument {
  schemaVersion: 1;
  tool: 'structscope';
  command: 'exports';
  files: { path: string; source: ExportsFile['source']; exports: ExportsJsonSymbol[] }[];
}

/** How a symbol is exported: EXPORT_SYMBOL / EXPORT_SYMBOL_GPL for the kernel, the binding for .dynsym. */
function exportedAs(source: ExportsFile['source'], e: ExportedSymbol): string {
  if (source === 'kernel') return e.gplOnly ? 'EXPORT_SYMBOL_GPL' : 'EXPORT_SYMBOL';
  return e.binding ?? 'global';
}

/** One line per symbol (name, kind, how exported, namespace), then a count line. */
export function renderExportsText(f: ExportsFile): string {
  const width = Math.max(0, ...f.exports.map((e) => versionedName(e).length));
  const kindWidth = 8;
  const asWidth = Math.max(0, ...f.exports.map((e) => exportedAs(f.source, e).length));
  let s = '';
  for (const e of f.exports) {
    const cols = [versionedName(e).padEnd(width), (e.kind ?? '-').padEnd(kindWidth), exportedAs(f.source, e).padEnd(asWidth)];
    if (e.namespace) cols.push(e.namespace);
    s += cols.join('  ').trimEnd() + '\n';
  }
  const functions = f.exports.filter((e) => e.kind === 'function').length;
  const objects = f.exports.filter((e) => e.kind === 'object').length;
  const from = f.source === 'kernel' ? '__ksymtab' : f.source === 'dynamic' ? '.dynsym' : 'no export table';
  let total = `${f.exports.length} exported symbol${f.exports.length === 1 ? '' : 's'} (${from}): ${functions} function${functions === 1 ? '' : 's'}, ${objects} object${objects === 1 ? '' : 's'}`;
  if (f.source === 'kernel') total += `, ${f.exports.filter((e) => e.gplOnly).length} GPL-only`;
  return s + total + '\n';
}

export function exportsDocument(files: readonly ExportsFile[]): ExportsDocument {
  return {
    schemaVersion: 1,
    tool: 'structscope',
    command: 'exports',
    files: files.map((f) => ({
      path: f.path,
      source: f.source,
      exports: f.exports.map((e) => {
        const j: ExportsJsonSymbol = { name: e.name, kind: e.kind ?? null, gplOnly: e.gplOnly };
        if (e.namespace) j.namespace = e.namespace;
        if (e.binding) j.binding = e.binding;
        if (e.version !== undefined) {
          j.version = e.version;
          j.defaultVersion = e.defaultVersion === true;
        }
        if (e.address !== undefined) j.address = '0x' + e.address.toString(16);
        return j;
      }),
    })),
  };
}
