/**
 * pahole's type queries, as pure functions over a TypeTable: the filters of pahole.c class__filter()
 * (`-H/--holes`, `-B/--bit_holes`, `-z/--hole_size_ge`, `--padding_ge`,
 * `--packed`, `--with_flexible_array`) and the listings `-i/--contains` (type__print_containers,
 * with `-d/--recursive`) and `-f/--find_pointers_to` (print_structs_with_pointer_to).
 *
 * The numbers are pahole's own (PaholeState.holes: class__find_holes), so a filter keeps exactly the
 * types pahole keeps. One difference by design: pahole answers -i and -f from the first compilation
 * unit that defines the type only; these look at every printable type of the file.
 */
import type { TypeTable } from '../model/table.js';
import { isAggregate, type AggregateType, type TypeId } from '../model/types.js';
import { guessAddressSize, isStructLike, u16 } from '../layout/pahole-rules.js';
import { PaholeState } from '../layout/pahole-state.js';

/** pahole's class__filter() numeric and attribute filters; an undefined or 0 field does not filter. */
export interface TypeFilter {
  /** -H/--holes: at least N byte holes. */
  holes?: number;
  /** -B/--bit_holes: at least N bit holes. */
  bitHoles?: number;
  /** -z/--hole_size_ge: a hole of at least N bytes. */
  holeSizeGe?: number;
  /** --padding_ge (pahole 1.31): at least N bytes of tail padding. */
  paddingGe?: number;
  /** --packed: structs pahole infers __attribute__((__packed__)) for. */
  packed?: boolean;
  /** --with_flexible_array: the last member is a flexible (or zero-length) array. */
  withFlexibleArray?: boolean;
  /** --with_embedded_flexible_array: a struct member (typedefs stripped), at any depth, ends in a flexible array. */
  withEmbeddedFlexibleArray?: boolean;
  /** -D/--decl_exclude: leave out types declared in a file whose name starts with this (or with no declaration file). */
  declExclude?: string;
  /** --unions: pahole lets every union through before the numeric filters. */
  justUnions?: boolean;
}

/** True when at least one filter is set (pahole then skips unions for the numeric ones). */
export function hasTypeFilter(f: TypeFilter): boolean {
  return !!(f.holes || f.bitHoles || f.holeSizeGe || f.paddingGe || f.packed || f.withFlexibleArray || f.withEmbeddedFlexibleArray || f.declExclude !== undefined);
}

/** The ids (in order) that pass the filter, as pahole's class__filter() decides. */
export function filterTypes(table: TypeTable, ids: readonly TypeId[], f: TypeFilter, addressSize = guessAddressSize(table)): TypeId[] {
  const state = new PaholeState(table, addressSize);
  return ids.filter((id) => passes(table, state, id, f));
}

function passes(table: TypeTable, state: PaholeState, id: TypeId, f: TypeFilter): boolean {
  const t = table.get(id) as AggregateType;
  if (f.packed && !state.inferClassPacked(id)) return false;
  if (f.declExclude !== undefined && (!t.decl?.file || t.decl.file.startsWith(f.declExclude))) return false;
  if (f.justUnions) return true;
  if (!isStructLike(table, id)) {
    // class__filter(): a union passes only when no hole/padding filter asks about its layout
    return !(f.holes || f.bitHoles || f.holeSizeGe || f.paddingGe);
  }
  const h = state.holes(id);
  if (h.nrHoles < (f.holes ?? 0)) return false;
  if (h.padding < (f.paddingGe ?? 0)) return false;
  if (h.nrBitHoles < (f.bitHoles ?? 0)) return false;
  if (f.holeSizeGe && !(h.nrHoles > 0 && h.members.some((m) => !m.skipped && u16(m.hole) >= f.holeSizeGe!))) return false;
  if (f.withFlexibleArray && !hasFlexibleArray(table, t)) return false;
  if (f.withEmbeddedFlexibleArray && !hasEmbeddedFlexibleArray(table, id, new Set())) return false;
  return true;
}

/** dwarves.c class__has_embedded_flexible_array(): a struct member (typedefs and qualifiers stripped) that ends in a flexible array, or contains one that does. */
export function hasEmbeddedFlexibleArray(table: TypeTable, id: TypeId, seen: Set<TypeId>): boolean {
  if (!isStructLike(table, id) || seen.has(id)) return false;
  seen.add(id);
  for (const m of (table.get(id) as AggregateType).members) {
    if (m.isStatic || m.isVirtualBase) continue;
    const mt = table.resolveDeclaration(table.strip(m.type));
    if (!isStructLike(table, mt)) continue;
    if (hasFlexibleArray(table, table.get(mt) as AggregateType)) return true;
    if (mt !== id && hasEmbeddedFlexibleArray(table, mt, seen)) return true;
  }
  return false;
}

/** dwarves.c __class__has_flexible_array(): the last member's type (typedefs not followed) is a one-dimensional array of 0 or unknown length. */
export function hasFlexibleArray(table: TypeTable, t: AggregateType): boolean {
  const last = t.members.filter((m) => !m.isStatic).at(-1);
  if (!last) return false;
  const a = table.get(last.type);
  return a.kind === 'array' && a.dims.length === 1 && (a.dims[0] === null || a.dims[0] === 0);
}

/**
 * The types pahole's cu__find_type_by_name() would give for NAME: named structs, unions, classes,
 * enums (every distinct definition) and typedefs. Declarations of the name count as the same type.
 */
export function typesNamed(table: TypeTable, name: string): Set<TypeId> {
  const out = new Set<TypeId>();
  for (const kind of ['struct', 'union', 'class', 'enum'] as const) for (const id of table.definitionsOf(kind, name)) out.add(id);
  table.types.forEach((t, id) => {
    if (t.kind === 'typedef' && t.name === name) out.add(id);
    else if ((isAggregate(t) || t.kind === 'enum') && t.declaration && t.name === name) out.add(id);
  });
  return out;
}

/** A member type is `target` itself (a declaration of a defined name resolves to its definition). */
function isType(table: TypeTable, member: TypeId, targets: Set<TypeId>): boolean {
  return targets.has(member) || targets.has(table.resolveDeclaration(member));
}

/**
 * `pahole -i NAME [-d] [-V]`: the types among `ids` with a data member of type NAME, one name per
 * line; with `recursive`, under each, indented by two spaces per level, its struct/union member
 * types that also contain NAME (pahole's type__print_containers). `verbose` appends `: COUNT`.
 */
export function containersOf(table: TypeTable, ids: readonly TypeId[], name: string, opts: { recursive?: boolean; verbose?: boolean } = {}): string[] {
  const targets = typesNamed(table, name);
  const lines: string[] = [];
  const visit = (id: TypeId, indent: number): void => {
    const t = table.get(id) as AggregateType;
    const n = t.members.filter((m) => isType(table, m.type, targets)).length;
    if (n === 0) return;
    // glibc prints a NULL name as "(null)": pahole's output for an anonymous member type
    lines.push(`${'  '.repeat(indent)}${t.name ?? '(null)'}${opts.verbose ? `: ${n}` : ''}`);
    if (!opts.recursive || indent >= 32) return;
    for (const m of t.members) {
      const mt = table.get(m.type);
      if (isAggregate(mt)) visit(mt.declaration ? table.resolveDeclaration(m.type) : m.type, indent + 1);
    }
  };
  for (const id of ids) visit(id, 0);
  return lines;
}

/**
 * `pahole -f NAME`: `TYPE: MEMBER` for every data member of the types among `ids` that is a
 * pointer to NAME (pahole's tag__is_pointer_to: the pointee itself, no typedef followed).
 */
export function pointersTo(table: TypeTable, ids: readonly TypeId[], name: string): string[] {
  const targets = typesNamed(table, name);
  const lines: string[] = [];
  for (const id of ids) {
    const t = table.get(id) as AggregateType;
    for (const m of t.members) {
      const p = table.get(m.type);
      if (p.kind === 'pointer' && p.pointerKind === 'pointer' && isType(table, p.target, targets)) lines.push(`${t.name ?? '(null)'}: ${m.name ?? '(null)'}`);
    }
  }
  return lines;
}

/**
 * pahole -a/--anon_include: the printable types with, in file order among them, each top-level
 * anonymous struct or union that a typedef names (pahole's class_formatter prints it as
 * `typedef struct {...} NAME;` through its first typedef; one with no typedef is printed inside
 * its container only). Returns the ids to render: the typedef's for the anonymous ones.
 * With `nested` (pahole -A/--nested_anon_include), a top-level anonymous struct or union no typedef
 * names is listed too, as itself: gcc puts the type of an anonymous member at the unit's top level,
 * clang inside the struct (where pahole does not look either). pahole's -x and -y do not filter it
 * (it has no name), so `keep` sees the name undefined.
 */
export function withAnonymousTypedefs(
  table: TypeTable,
  printable: readonly TypeId[],
  keep: (kind: AggregateType['kind'], typedefName: string | undefined) => boolean = () => true,
  nested = false,
): TypeId[] {
  // identical anonymous structs of several typedefs are one type here: each typedef prints it
  const typedefs = new Map<TypeId, TypeId[]>();
  table.types.forEach((t, id) => {
    if (t.kind === 'typedef' && t.name !== undefined) typedefs.set(t.target, [...(typedefs.get(t.target) ?? []), id]);
  });
  const shown = new Set(printable);
  const out: TypeId[] = [];
  for (const id of table.definitions) {
    const t = table.get(id);
    if (shown.has(id)) out.push(id);
    else if (isAggregate(t) && t.name === undefined && !t.declaration) {
      const named = t.topLevel !== false ? (typedefs.get(id) ?? []) : [];
      for (const td of named) {
        const name = (table.get(td) as { name: string }).name;
        if (keep(t.kind, name)) out.push(td);
      }
      if (nested && t.topLevel !== false && !typedefs.has(id) && keep(t.kind, undefined)) out.push(id);
    }
  }
  return out;
}
