/**
 * `--format json`: the facts of `show` for machines. Pure: it formats the layouts the layout step
 * computed (layout/computed.ts computedTypes) and never computes one itself.
 * The document's shape is described by schema/show.schema.json (shipped in the package).
 */
import type { LoadedFile, TypeTable } from '../model/table.js';
import type { AggregateType } from '../model/types.js';
import type { ComputedType } from '../layout/computed.js';
import type { Layout, LayoutSummary, MemberLayout, MemberTypeFacts, PaholeDialect } from '../layout/types.js';
import { typeName } from './ctype.js';
import { groupsJson } from './groups.js';

/** 2: nested members of inline (anonymous, or -E) aggregates, per-member cacheline, static members, the pahole 1.31 counters. */
export const SCHEMA_VERSION = 2;
/** The versions `diff` reads (version 1 reports lack only what version 2 added). */
export const READABLE_SCHEMA_VERSIONS: readonly number[] = [1, 2];

export interface JsonMember {
  name: string | null;
  type: string;
  /** Byte offset as pahole prints it: from the start of the type, or of the pointed-to struct inside `pointeeMembers`. */
  offset: number;
  size: number;
  /** The cacheline the member starts in (offset / cacheline size); absent inside `pointeeMembers`. */
  cacheline?: number;
  bitOffset?: number;
  bitSize?: number;
  alignment?: number;
  base?: boolean;
  /** A C++ static data member (no storage in the object: offset and size 0, as pahole prints them). */
  static?: boolean;
  /** When the member is an array: its dimensions (0 for flexible or unknown), which `type` leaves out. */
  arrayDims?: number[];
  /** The members of the anonymous struct/union (with -E: any struct/union) this member's type is printed as, recursively. */
  members?: JsonMember[];
  /** The same for an anonymous struct/union reached through a pointer: offsets are relative to it. */
  pointeeMembers?: JsonMember[];
  /** What pahole 1.31 says about the member's struct type: "XXX last struct has ...". */
  typeFacts?: MemberTypeFacts;
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
  /** Kernel cacheline groups (only for structs with `__cacheline_group_*` markers). */
  groups?: object[];
  /** show --packable: the size pahole's reorganization reaches, and the bytes saved. */
  packable?: { newSize: number; savings: number };
}

export interface JsonFile {
  path: string;
  machine: string;
  elfClass: 32 | 64;
  endianness: 'little' | 'big';
  dwarfVersions: number[];
  /** Where the types were read from: DWARF or BTF (absent in reports of older versions). */
  source?: 'dwarf' | 'btf';
  buildId: string | null;
  /** The cacheline size the layouts were computed with (absent in reports of older versions). */
  cachelineSize?: number;
  /** Whose arithmetic the summaries follow (`--pahole`; absent in reports of version 1). */
  pahole?: PaholeDialect;
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
}

export function jsonFile(file: LoadedFile, types: readonly ComputedType[], opts: JsonOptions): JsonFile {
  return {
    path: file.info.path,
    machine: file.info.machineName,
    elfClass: file.info.elfClass,
    endianness: file.info.littleEndian ? 'little' : 'big',
    dwarfVersions: file.info.dwarfVersions,
    source: file.info.debugFormat ?? 'dwarf',
    buildId: file.info.buildId ?? null,
    cachelineSize: opts.cachelineSize,
    pahole: opts.pahole ?? '1.31',
    debugFiles: (file.info.debugFiles ?? []).map((f) => ({ path: f.path, role: f.role })),
    types: types.map((c) => jsonType(file.table, c)),
  };
}

function jsonType(table: TypeTable, c: ComputedType): JsonType {
  const { layout } = c;
  const t = table.get(layout.type) as AggregateType;
  const out: JsonType = {
    kind: layout.kind,
    name: layout.name ?? '',
    size: layout.size,
    alignment: c.alignment,
    cachelines: layout.summary.cachelines,
    decl: t.decl ? { file: t.decl.file, line: t.decl.line } : null,
    members: jsonMembers(table, layout),
    holes: layout.holes.map((h) => {
      const out: JsonHole = { offset: h.offset, kind: h.kind };
      if (h.kind === 'bit') out.bits = h.bits;
      else out.size = h.bits / 8;
      return out;
    }),
    padding: layout.padding,
    bitPadding: layout.bitPadding,
    summary: layout.summary,
    ...(layout.groups ? { groups: groupsJson(layout.groups) } : {}),
  };
  if (c.packedSize !== undefined) out.packable = { newSize: c.packedSize, savings: layout.size - c.packedSize };
  return out;
}

/** The members of `layout` in pahole's printing order (C++: DIE order). */
function jsonMembers(table: TypeTable, layout: Layout): JsonMember[] {
  const order = layout.items ? layout.items.flatMap((i) => (i.kind === 'member' ? [layout.members[i.member]!] : [])) : layout.members;
  return order.map((m) => jsonMember(table, m, layout));
}

function jsonMember(table: TypeTable, m: MemberLayout, parent: Layout): JsonMember {
  const out: JsonMember = {
    name: m.name ?? null,
    type: typeName({ table }, m.type).trimEnd(),
    offset: m.offset,
    size: m.size,
  };
  if (!parent.relative) out.cacheline = Math.floor(m.offset / parent.cachelineSize);
  if (m.bitfield) {
    // from the start of the type, like offset (m.bitOffset counts from the inline aggregate)
    out.bitOffset = m.bitOffset + (m.offset - m.relOffset) * 8;
    out.bitSize = m.bitfield.width;
  }
  if (m.alignment !== undefined) out.alignment = m.alignment;
  if (m.role === 'base') out.base = true;
  if (m.role === 'static') out.static = true;
  const t = table.get(m.type);
  if (t.kind === 'array') out.arrayDims = t.dims.map((d) => d ?? 0);
  if (m.inline) {
    const nested = jsonMembers(table, m.inline);
    if (m.inline.relative && !parent.relative) out.pointeeMembers = nested;
    else out.members = nested;
  }
  if (m.typeFacts) out.typeFacts = { ...m.typeFacts };
  return out;
}

export function jsonDocument(files: JsonFile[]): JsonDocument {
  return { schemaVersion: SCHEMA_VERSION, tool: 'structscope', files };
}
