/**
 * The few C++ (Itanium ABI) facts the engine needs: whether a table holds C++ types (an empty
 * class has size 1, bases reuse tail padding) and whether a class is "POD for the purpose of
 * layout" (C++03 POD: its tail padding is never reused by a derived class).
 */
import type { TypeTable } from '../../model/table.js';
import { isAggregate, type AggregateType, type TypeId } from '../../model/types.js';

/** DW_LANG_C_plus_plus, _03, _11, _14, _17, _20. */
const CXX_LANGUAGES = new Set([0x4, 0x19, 0x1a, 0x21, 0x2a, 0x2b]);

const tableIsCxx = new WeakMap<TypeTable, boolean>();

/** True when the aggregate comes from C++ (by DW_AT_language, or C++-only constructs in the table). */
export function isCxxAggregate(table: TypeTable, agg: AggregateType): boolean {
  if (agg.language !== undefined) return CXX_LANGUAGES.has(agg.language);
  if (agg.kind === 'class' || agg.children !== undefined) return true;
  let known = tableIsCxx.get(table);
  if (known === undefined) {
    known = table.types.some(
      (t) =>
        t.kind === 'class' ||
        (isAggregate(t) && (t.children !== undefined || t.members.some((m) => m.isBase || isVtablePointer(m)))) ||
        (t.kind === 'pointer' && t.pointerKind !== 'pointer'),
    );
    tableIsCxx.set(table, known);
  }
  return known;
}

export function isVtablePointer(m: { name?: string; artificial?: boolean }): boolean {
  return !!m.artificial && m.name !== undefined && m.name.startsWith('_vptr');
}

/**
 * C++03 POD (Itanium "POD for the purpose of layout"): no bases, no virtual functions, no
 * non-public data, no reference members, no user-declared constructor/destructor/copy
 * assignment, and only POD members. Conservative where DWARF is silent.
 */
export function isPodForLayout(table: TypeTable, id: TypeId, depth = 0): boolean {
  if (depth > 32) return true;
  const t = table.get(table.resolveDeclaration(id));
  if (!isAggregate(t)) return true;
  const defaultPrivate = t.kind === 'class';
  for (const m of t.members) {
    if (m.isStatic) continue;
    if (m.isBase || isVtablePointer(m)) return false;
    const access = m.accessibility ?? (defaultPrivate ? 3 : 1);
    if (access !== 1) return false;
    let mt = table.strip(m.type);
    for (let guard = 0; guard < 16; guard++) {
      const x = table.get(mt);
      if (x.kind === 'array') mt = table.strip(x.element);
      else break;
    }
    const x = table.get(mt);
    if (x.kind === 'pointer' && (x.pointerKind === 'reference' || x.pointerKind === 'rvalue_reference')) return false;
    if (isAggregate(x) && !isPodForLayout(table, mt, depth + 1)) return false;
  }
  const simple = t.name?.replace(/<.*$/, '').replace(/^.*::/, '');
  for (const c of t.children ?? []) {
    if (c.kind !== 'method') continue;
    const name = c.method.name;
    if ((c.method.virtuality ?? 0) > 0) return false;
    if (name === undefined) continue;
    if (name === simple || name === `~${simple}` || name === 'operator=') return false;
  }
  return true;
}
