/**
 * pahole 1.24 and 1.31 (`pahole -F dwarf`) compatible text output. Pure renderers: they format
 * Layouts computed by src/layout (layout/computed.ts) and never compute layout facts themselves.
 *
 * Followed from dwarves_fprintf.c: tag__fprintf, __class__fprintf, union__fprintf,
 * class_member__fprintf, type__fprintf, array_type__fprintf, enumeration__fprintf,
 * typedef__fprintf, class__fprintf_cacheline_boundary, type__fprintf_stats; and from pahole.c:
 * print_classes, class__filter, type__compare (deduplication), size_formatter.
 *
 * The pieces: pahole-conf.ts (options, dialects, per-block configuration), pahole-decl.ts
 * (declarators and member lines), pahole-body.ts (struct/union/typedef bodies),
 * pahole-summary.ts (the statistics comments), pahole-format.ts (printf helpers),
 * pahole-dedup.ts (which definitions pahole prints).
 */
import { lazyStructureSignature, StructureTree } from './pahole-dedup.js';
import { renderRustEnum } from './rust.js';
import type { TypeTable } from '../model/table.js';
import { isAggregate, type TypeId } from '../model/types.js';
import type { SizesRow, TypeBlock } from '../layout/computed.js';
import type { Layout } from '../layout/types.js';
import { spelledName, topConf, type PaholeOptions } from './pahole-conf.js';
import { renderAggregateBody, renderClassBody, renderTypedef, renderUnionBody } from './pahole-body.js';
import { renderEnumBody } from './pahole-decl.js';
import { nameEdits } from '../model/printable-names.js';

export type { PaholeOptions } from './pahole-conf.js';

/** Render a computed Layout as pahole's block for it (with the closing `;`, no newline). */
export function renderLayout(table: TypeTable, layout: Layout, opts: PaholeOptions = {}): string {
  const t = table.get(layout.type);
  const conf = topConf(table, t, opts, renderAggregateBody);
  return (t.kind === 'union' ? renderUnionBody(layout, conf) : renderClassBody(layout, conf)) + ';';
}

/**
 * Render what the layout step computed for one type (layout/computed.ts typeBlock/fileBlocks) as
 * pahole prints it: an aggregate or enum with its closing `;`, a typedef, or a type's name.
 */
export function renderBlock(table: TypeTable, block: TypeBlock, opts: PaholeOptions = {}): string {
  const t = table.get(block.id);
  // the dialect the layout was computed for, unless the caller names one
  const computedFor = block.kind === 'aggregate' ? block.layout.dialect : block.kind === 'typedef' ? block.inline?.dialect : undefined;
  const conf = topConf(table, t, opts.pahole === undefined && computedFor !== undefined ? { ...opts, pahole: computedFor } : opts, renderAggregateBody);
  if (isAggregate(t) && t.variantPart) return renderRustEnum(table, t, opts.cachelineSize) + ';';
  if (block.kind === 'aggregate') return (t.kind === 'union' ? renderUnionBody(block.layout, conf) : renderClassBody(block.layout, conf)) + ';';
  if (block.kind === 'enum' && t.kind === 'enum') return renderEnumBody(t, conf) + ';';
  if (block.kind === 'typedef') return renderTypedef(block.id, conf, block.inline, opts.anonTypedef) + ';';
  return spelledName(conf, block.id);
}

/**
 * Printable types per table: the selection, the skipped-language notice and the dump all ask.
 * Recomputed when definitions were added or names rewritten (model/printable-names.ts).
 */
const printable = new WeakMap<TypeTable, { definitions: number; edits: number; ids: readonly TypeId[] }>();

/** pahole.c type__compare(): name, size, member count, member names, bit offsets, bit-field widths. */
export function printableTypes(table: TypeTable): TypeId[] {
  const known = printable.get(table);
  if (known && known.definitions === table.definitions.length && known.edits === nameEdits(table)) return [...known.ids];
  const printed = new StructureTree();
  const out: TypeId[] = [];
  for (const id of table.definitions) {
    const t = table.get(id);
    if (!isAggregate(t)) continue;
    if (t.declaration || t.name === undefined || t.topLevel === false) continue;
    if (printed.add(lazyStructureSignature(t))) out.push(id);
  }
  printable.set(table, { definitions: table.definitions.length, edits: nameEdits(table), ids: out });
  return [...out];
}

/** `pahole --sizes` lines: `name\tsize\tholes` (holes are 0 for unions), each with its newline. */
export function renderSizesRows(rows: readonly SizesRow[]): string {
  let out = '';
  for (const r of rows) out += `${r.name}\t${r.size}\t${r.holes}\n`;
  return out;
}
