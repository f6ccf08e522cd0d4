/**
 * `--format json`: the facts of `show` for machines. Pure: built from Layouts and the TypeTable.
 * The document's shape is described by schema/show.schema.json (shipped in the package).
 */
import type { LoadedFile } from '../model/table.js';
import type { AggregateType, TypeId } from '../model/types.js';
import { analyzeLayout } from '../layout/analyze.js';
import type { Layout, LayoutSummary, MemberLayout, PaholeDialect } from '../layout/types.js';
import { abiForElf } from '../layout/abi/index.js';
import { inferAttributes } from '../layout/abi/infer.js';
import { typeName } from './ctype.js';

export const SCHEMA_VERSION = 1;

export interface JsonMember {
  name: string | null;
  type: string;
  offset: number;
  size: number;
  bitOffset?: number;
  bitSize?: number;
  alignment?: number;
  base?: boolean;
  /** When the member is an array: its dimensions (0 for flexible or unknown), which `type` leaves out. */
  arrayDims?: number[];
}

export interface JsonHole {
  /** Byte offset where the hole starts. */
  offset: number;
  size?: number;
  bits?: number;
  kind: 'byte' | 'bit' | 'tail';
}

export interface JsonType {
  kind: string;
  name: string;
  size: number;
  alignment: number | null;
  cachelines: number;
  decl: { file: string; line: number } | null;
  members: JsonMember[];
  holes: JsonHole[];
  padding: number;
  bitPadding: number;
  summary: LayoutSummary;
}

export interface JsonFile {
  path: string;
  machine: string;
  elfClass: 32 | 64;
  endianness: 'little' | 'big';
  dwarfVersions: number[];
  buildId: string | null;
  /** The cacheline size the layouts were computed with (absent in reports of older versions). */
  cachelineSize?: number;
  /** Files besides `path` whose debug info was read, and how each was found. */
  debugFiles: { path: string; role: string }[];
  types: JsonType[];
  /** show --target: the ABI the layouts were predicted for. */
  target?: string;
  /** show --target: the types that cannot be predicted for the target, with the reason. */
  unpredictable?: { kind: string; name: string; reason: string }[];
}

export interface JsonDocument {
  schemaVersion: number;
  tool: 'structscope';
  files: JsonFile[];
}

export interface JsonOptions {
  cachelineSize: number;
  /** Whose arithmetic the summaries follow (default 1.31). */
  pahole?: PaholeDialect;
  /** Alignment of a type when DWARF does not record it (show --target: the predicted one). */
  alignmentOf?: (id: TypeId) => number | undefined;
}

export function jsonFile(file: LoadedFile, ids: TypeId[], opts: JsonOptions): JsonFile {
  const abi = abiForElf(file.info.machine, file.info.elfClass, file.info.littleEndian, file.info.flags);
  return {
    path: file.info.path,
    machine: file.info.machineName,
    elfClass: file.info.elfClass,
    endianness: file.info.littleEndian ? 'little' : 'big',
    dwarfVersions: file.info.dwarfVersions,
    buildId: file.info.buildId ?? null,
    cachelineSize: opts.cachelineSize,
    debugFiles: (file.info.debugFiles ?? []).map((f) => ({ path: f.path, role: f.role })),
    types: ids.map((id) => {
      const layout = analyzeLayout(file.table, id, { cachelineSize: opts.cachelineSize, addressSize: file.info.addressSize, dialect: opts.pahole });
      const t = file.table.get(id) as AggregateType;
      // the aggregate's alignment: DW_AT_alignment when given, else what the target ABI derives
      const alignment = opts.alignmentOf?.(id) ?? t.alignment ?? (abi ? (inferAttributes(file.table, id, abi, { dwarfVersions: file.info.dwarfVersions }).layout?.alignment ?? null) : null);
      return jsonType(file, layout, alignment);
    }),
  };
}

function jsonType(file: LoadedFile, layout: Layout, alignment: number | null): JsonType {
  const t = file.table.get(layout.type) as AggregateType;
  return {
    kind: layout.kind,
    name: layout.name ?? '',
    size: layout.size,
    alignment,
    cachelines: layout.summary.cachelines,
    decl: t.decl ? { file: t.decl.file, line: t.decl.line } : null,
    members: layout.members.filter((m) => m.role !== 'static').map((m) => jsonMember(file, m)),
    holes: layout.holes.map((h) => {
      const out: JsonHole = { offset: h.offset, kind: h.kind };
      if (h.kind === 'bit') out.bits = h.bits;
      else out.size = h.bits / 8;
      return out;
    }),
    padding: layout.padding,
    bitPadding: layout.bitPadding,
    summary: layout.summary,
  };
}

function jsonMember(file: LoadedFile, m: MemberLayout): JsonMember {
  const out: JsonMember = {
    name: m.name ?? null,
    type: typeName({ table: file.table }, m.type).trimEnd(),
    offset: m.offset,
    size: m.size,
  };
  if (m.bitfield) {
    out.bitOffset = m.bitOffset;
    out.bitSize = m.bitfield.width;
  }
  if (m.alignment !== undefined) out.alignment = m.alignment;
  if (m.role === 'base') out.base = true;
  const t = file.table.get(m.type);
  if (t.kind === 'array') out.arrayDims = t.dims.map((d) => d ?? 0);
  return out;
}

export function jsonDocument(files: JsonFile[]): JsonDocument {
  return { schemaVersion: SCHEMA_VERSION, tool: 'structscope', files };
}
