/**
 * `--format json`: the facts of `show` for machines. Pure: it formats the layouts the layout step
 * computed (layout/computed.ts computedTypes) and never computes one itself.
 * The document's shape is described by schema/show.schema.json (shipped in the package).
 */
import type { TypeTable } from '../model/table.js';
import type { TypedFile } from '../model/source.js';
import { DW_LANG_Rust, rustVariantsJson } from './rust.js';
import type { AggregateType } from '../model/types.js';
import type { ComputedType } from '../layout/computed.js';
import type { Layout, MemberLayout, PaholeDialect } from '../layout/types.js';
import { SCHEMA_VERSION, type JsonDocument, type JsonFile, type JsonHole, type JsonMember, type JsonType } from '../doc/json.js';
import { typeName } from './ctype.js';
import { groupsJson } from './groups.js';

export interface JsonOptions {
  cachelineSize: number;
  /** Whose arithmetic the summaries follow (default 1.31). */
  pahole?: PaholeDialect;
}

export function jsonFile(file: TypedFile, types: readonly ComputedType[], opts: JsonOptions): JsonFile {
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
    members: jsonMembers(table, layout, t.language),
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
  const variants = rustVariantsJson(table, t);
  if (variants) Object.assign(out, { variants, holes: [], padding: 0, summary: { ...layout.summary, padding: 0 } });
  return out;
}

/** The members of `layout` in pahole's printing order (C++: DIE order). */
function jsonMembers(table: TypeTable, layout: Layout, language: number | undefined): JsonMember[] {
  const order = layout.items ? layout.items.flatMap((i) => (i.kind === 'member' ? [layout.members[i.member]!] : [])) : layout.members;
  return order.map((m) => jsonMember(table, m, layout, language));
}

/** `language`: Rust members are spelled as Rust (report/rust.ts); C and C++ as pahole spells them. */
function jsonMember(table: TypeTable, m: MemberLayout, parent: Layout, language: number | undefined): JsonMember {
  const out: JsonMember = {
    name: m.name ?? null,
    type: typeName({ table, language: language === DW_LANG_Rust ? language : undefined }, m.type).trimEnd(),
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
    const nested = jsonMembers(table, m.inline, language);
    if (m.inline.relative && !parent.relative) out.pointeeMembers = nested;
    else out.members = nested;
  }
  if (m.typeFacts) out.typeFacts = { ...m.typeFacts };
  return out;
}

export function jsonDocument(files: JsonFile[]): JsonDocument {
  return { schemaVersion: SCHEMA_VERSION, tool: 'structscope', files };
}
