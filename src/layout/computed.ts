/**
 * The layout step before rendering: from a loaded file and the types to report, everything the
 * renderers print, computed once (renderers never compute). Used by the CLI and the library API.
 *  - computedTypes(): each aggregate's Layout and alignment (JSON, tables, filters);
 *  - typeBlock()/fileBlocks()/eachFileBlock(): what pahole prints per type, with pahole's per-unit state;
 *  - sizesRows(), packableRows(): the facts of `--sizes` and `--packable`.
 */
import type { TypeTable } from '../model/table.js';
import type { TypedFile } from '../model/source.js';
import { isAggregate, VOID_TYPE, type AggregateType, type TypeId } from '../model/types.js';
import { analyzeLayout } from './analyze.js';
import { abiForElf } from './abi/index.js';
import { AttributeInference } from './abi/infer.js';
import { guessAddressSize, isStructLike } from './pahole-rules.js';
import { PaholeState } from './pahole-state.js';
import { paholePackable } from './pahole-reorganize.js';
import type { Layout, PaholeDialect } from './types.js';

export interface ComputeOptions {
  cachelineSize: number;
  /** Pointer size; guessed from the table when absent. */
  addressSize?: number;
  /** pahole -E: named member types are laid out inline too. */
  expand?: boolean;
  /** pahole -r: offsets inside nested structs/unions relative to them. */
  relOffset?: boolean;
  dialect?: PaholeDialect;
}

/** A type's computed layout and alignment. */
export interface ComputedType {
  id: TypeId;
  layout: Layout;
  /** DW_AT_alignment when given, else what the target ABI derives (or the --target prediction); null when unknown. */
  alignment: number | null;
  /** pahole --packable: the size a reorder reaches, when smaller. */
  packedSize?: number;
}

export interface ComputeTypesOptions extends ComputeOptions {
  /** Alignment of a type when DWARF does not record it (show --target: the predicted one). */
  alignmentOf?: (id: TypeId) => number | undefined;
  /** Also compute pahole's --packable size. */
  packable?: boolean;
}

export function computedTypes(file: TypedFile, ids: readonly TypeId[], opts: ComputeTypesOptions): ComputedType[] {
  const abi = abiForElf(file.info.machine, file.info.elfClass, file.info.littleEndian, file.info.flags);
  const addressSize = opts.addressSize ?? file.info.addressSize;
  // one inference for all the types: a member's type is inferred once, not once per type holding it
  let inference: AttributeInference | undefined;
  const inferredAlignment = (id: TypeId): number | null => {
    if (!abi) return null;
    inference ??= new AttributeInference(file.table, abi, { dwarfVersions: file.info.dwarfVersions });
    return inference.infer(file.table.resolveDeclaration(id)).layout?.alignment ?? null;
  };
  return ids.map((id) => {
    const layout = analyzeLayout(file.table, id, { cachelineSize: opts.cachelineSize, addressSize, expand: opts.expand, dialect: opts.dialect });
    const t = file.table.get(id) as AggregateType;
    const alignment = opts.alignmentOf?.(id) ?? t.alignment ?? inferredAlignment(id);
    const out: ComputedType = { id, layout, alignment };
    if (opts.packable) {
      const p = paholePackable(file.table, id, addressSize || guessAddressSize(file.table));
      if (p) out.packedSize = p.newSize;
    }
    return out;
  });
}

/** pahole --packable keeps structs (not unions) a reorder shrinks. */
export function isPackable(table: TypeTable, id: TypeId, addressSize: number): boolean {
  return isStructLike(table, id) && paholePackable(table, id, addressSize) !== undefined;
}

/** What pahole prints for one type: an aggregate's layout, an enum, or a typedef (with the anonymous struct it names). */
export type TypeBlock =
  | { id: TypeId; kind: 'aggregate'; layout: Layout }
  | { id: TypeId; kind: 'typedef'; inline?: Layout }
  | { id: TypeId; kind: 'enum' | 'other' };

function blockWithState(table: TypeTable, id: TypeId, opts: ComputeOptions, state: PaholeState | undefined): TypeBlock {
  const t = table.get(id);
  const base = { cachelineSize: opts.cachelineSize, addressSize: opts.addressSize ?? state?.addressSize, dialect: opts.dialect, state };
  if (isAggregate(t)) return { id, kind: 'aggregate', layout: analyzeLayout(table, id, { ...base, expand: opts.expand, relOffset: opts.relOffset }) };
  if (t.kind === 'enum') return { id, kind: 'enum' };
  if (t.kind === 'typedef') {
    // `typedef struct { … } name;` prints the anonymous struct (or union) in full, summary included.
    const tt = t.target !== VOID_TYPE ? table.get(t.target) : undefined;
    if (tt && isAggregate(tt) && tt.name === undefined && !tt.declaration) {
      return { id, kind: 'typedef', inline: analyzeLayout(table, t.target, base) };
    }
    return { id, kind: 'typedef' };
  }
  return { id, kind: 'other' };
}

/** One type as `pahole -C NAME` lays it out (a fresh pahole state). */
export function typeBlock(table: TypeTable, id: TypeId, opts: ComputeOptions): TypeBlock {
  return blockWithState(table, id, opts, undefined);
}

/**
 * The blocks of `ids` (normally printableTypes()) as `pahole FILE` lays them out: pahole's
 * inferred-packed marks live on per-unit copies of the types, so the state starts afresh per unit.
 */
export function fileBlocks(table: TypeTable, ids: readonly TypeId[], opts: ComputeOptions): TypeBlock[] {
  return [...eachFileBlock(table, ids, opts)];
}

/**
 * fileBlocks one at a time: a dump that renders each block before laying out the next keeps one
 * layout alive, not all of them (the GC copied every layout of a kernel dump between generations).
 */
export function* eachFileBlock(table: TypeTable, ids: readonly TypeId[], opts: ComputeOptions): Generator<TypeBlock> {
  const addressSize = opts.addressSize ?? guessAddressSize(table);
  let state = new PaholeState(table, addressSize);
  let unit: number | undefined;
  const withAddress = { ...opts, addressSize };
  for (const id of ids) {
    const u = (table.get(id) as AggregateType).origin.unit;
    if (u !== undefined && u !== unit) {
      if (unit !== undefined) state = new PaholeState(table, addressSize);
      unit = u;
    }
    yield blockWithState(table, id, withAddress, state);
  }
}

/** One `pahole --sizes` row. */
export interface SizesRow {
  name: string;
  size: number;
  /** pahole's nr_holes (0 for unions). */
  holes: number;
}

export function sizesRows(table: TypeTable, ids: readonly TypeId[], addressSize?: number): SizesRow[] {
  const state = new PaholeState(table, addressSize ?? guessAddressSize(table));
  return ids.map((id) => {
    const t = table.get(id) as AggregateType;
    return { name: t.name ?? '', size: t.size, holes: t.kind === 'union' ? 0 : state.holes(id).nrHoles };
  });
}

/** One `pahole --packable` row. */
export interface PackableRow {
  name: string;
  size: number;
  newSize: number;
}

/**
 * pahole.c print_packable_info() for the structs class__filter() keeps among `ids`: unions are
 * skipped (show_packable), and anonymous structs never get there without -a.
 */
export function packableRows(table: TypeTable, ids: readonly TypeId[], addressSize: number): PackableRow[] {
  const rows: PackableRow[] = [];
  for (const id of ids) {
    if (!isStructLike(table, id)) continue;
    const t = table.get(id) as AggregateType;
    if (t.declaration || t.name === undefined || t.topLevel === false) continue;
    const r = paholePackable(table, id, addressSize);
    if (r) rows.push({ name: t.name, size: r.size, newSize: r.newSize });
  }
  return rows;
}
