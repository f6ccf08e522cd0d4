/**
 * A whole-file dump (every printable type, as `structscope FILE`, `--sizes` or `--format json`
 * print it) as a list of items keyed by what makes two definitions print the same. Each part of
 * a file split between workers yields such a list; merging the lists in unit order the way
 * pahole drops repeated definitions gives exactly the dump of the whole file.
 */
import type { TypedFile } from '../model/source.js';
import type { AggregateType } from '../model/types.js';
import type { PaholeDialect } from '../layout/types.js';
import { jsonFile } from './json.js';
import type { JsonFile, JsonType } from '../doc/json.js';
import { printableTypes, renderBlock, renderSizesRows } from './pahole.js';
import { computedTypes, eachFileBlock, sizesRows } from '../layout/computed.js';
import { StructureTree, structureSignature, type StructureSignature } from './pahole-dedup.js';

export type DumpMode = 'text' | 'sizes' | 'json';

export interface DumpOptions {
  cachelineSize: number;
  hex: boolean;
  expand: boolean;
  pahole?: PaholeDialect;
}

export interface DumpItem {
  /** What decides whether pahole prints this definition after others of the same name. */
  key: StructureSignature;
  /** Text modes: the item's output, newline included. */
  text?: string;
  /** JSON mode: the type's entry. */
  json?: JsonType;
}

export function dumpItems(file: TypedFile, mode: DumpMode, opts: DumpOptions): DumpItem[] {
  const { table } = file;
  const keyOf = (id: number) => structureSignature(table.get(id) as AggregateType);
  const popts = { cachelineSize: opts.cachelineSize, hex: opts.hex, expand: opts.expand, addressSize: file.info.addressSize, pahole: opts.pahole };
  const copts = { cachelineSize: opts.cachelineSize, expand: opts.expand, addressSize: file.info.addressSize, dialect: opts.pahole };
  const ids = printableTypes(table);
  // each block is laid out (layout/computed.ts), then rendered before the next is laid out
  if (mode === 'text') {
    const items: DumpItem[] = [];
    for (const b of eachFileBlock(table, ids, copts)) items.push({ key: keyOf(b.id), text: renderBlock(table, b, popts) + '\n' });
    return items;
  }
  if (mode === 'sizes') return sizesRows(table, ids, file.info.addressSize).map((r, i) => ({ key: keyOf(ids[i]!), text: renderSizesRows([r]) }));
  const types = jsonFile(file, computedTypes(file, ids, copts), { cachelineSize: opts.cachelineSize, pahole: opts.pahole }).types;
  return ids.map((id, i) => ({ key: keyOf(id), json: types[i]! }));
}

/** The file-level part of a JSON dump (everything but the types). */
export function jsonHeader(file: TypedFile, opts: DumpOptions): JsonFile {
  return jsonFile(file, [], { cachelineSize: opts.cachelineSize, pahole: opts.pahole });
}

/** Concatenate item lists in order, keeping what pahole keeps (pahole-dedup.ts). */
export function mergeDumpItems(lists: readonly DumpItem[][]): DumpItem[] {
  const printed = new StructureTree();
  const out: DumpItem[] = [];
  for (const list of lists) for (const item of list) if (printed.add(item.key)) out.push(item);
  return out;
}
