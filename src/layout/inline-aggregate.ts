/**
 * Which struct/union a member's type prints inline as (pahole's type__fprintf reaching an anonymous
 * aggregate, or with -E a named one): a pure walk of the type chain.
 */
import type { TypeTable } from '../model/table.js';
import { isAggregate, VOID_TYPE, type TypeId } from '../model/types.js';

/**
 * How pahole reaches an anonymous aggregate printed inline for a member type: directly (or through
 * array elements), through `const` (pahole then keeps the container's settings, printing the
 * summary and dropping the member name), or as the target of a pointer (offsets become relative).
 */
export type InlineVia = 'direct' | 'const' | 'pointer';

/** The aggregate printed inline and how it is reached. */
export interface InlineAggregate {
  id: TypeId;
  via: InlineVia;
}

/**
 * The struct/union a member's type is printed inline as (pahole's type__fprintf): an anonymous one
 * reached directly, through array elements or const, or as the target of a pointer; with `expand`
 * (pahole -E) also named ones, after following typedefs.
 */
export function findInlineAggregate(
  table: TypeTable,
  id: TypeId,
  expand = false,
): InlineAggregate | undefined {
  let viaConst = false;
  let fresh = true; // at the start of a type__fprintf() call
  for (let guard = 0; guard < 64 && id !== VOID_TYPE; guard++) {
    if (expand && fresh) {
      for (let g = 0; g < 64 && id !== VOID_TYPE; g++) {
        const td = table.get(id);
        if (td.kind !== 'typedef') break;
        id = td.target;
      }
      if (id === VOID_TYPE) return undefined;
    }
    fresh = false;
    const t = table.get(id);
    if (isAggregate(t)) return t.name === undefined || expand ? { id, via: viaConst ? 'const' : 'direct' } : undefined;
    if (t.kind === 'array') {
      // array_type__fprintf() starts a fresh type__fprintf() on the element type.
      viaConst = false;
      fresh = true;
      id = t.element;
    } else if (t.kind === 'qualifier' && t.qualifier === 'const') {
      viaConst = true;
      id = t.target;
    } else if (t.kind === 'pointer' && t.pointerKind === 'pointer') {
      if (t.target === VOID_TYPE) return undefined;
      const pt = table.get(t.target);
      if (isAggregate(pt) && pt.name === undefined) return { id: t.target, via: 'pointer' };
      return undefined;
    } else return undefined;
  }
  return undefined;
}
