import { isAggregate, VOID_TYPE, type AggregateType, type EnumType, type Type, type TypeId } from './types.js';

export type NamedKind = 'struct' | 'union' | 'class' | 'enum';

/**
 * All types of one file, deduplicated: one entry per distinct definition.
 * Index 0 is `void`. Aggregates and enums are listed in `definitions` in the order of
 * their first appearance in .debug_info (the order pahole prints them).
 */
export class TypeTable {
  readonly types: Type[] = [{ kind: 'void' }];
  /** Distinct struct/union/class/enum definitions (not declarations), in first-seen order. */
  readonly definitions: TypeId[] = [];
  /**
   * False when the source records no forced alignment (BTF): alignments are then pahole's guesses
   * from offsets, and pahole prints no "Force padding:" lines.
   */
  alignmentInfo = true;
  /**
   * Set by a loader that saw every byte its names come from (BTF's string sections) and found no
   * line feed or tab: escapeLineBreaksInNames then has nothing to visit.
   */
  plainNames = false;
  /** DWARF: each converted unit's DW_AT_name by unit header offset (Origin.unit), for pahole -I's `Used at:`. */
  readonly unitNames = new Map<number, string>();
  /** Definitions by kind, then name (no key string built per definition). */
  private readonly byName: Record<NamedKind, Map<string, TypeId[]>> = { struct: new Map(), union: new Map(), class: new Map(), enum: new Map() };

  add(t: Type): TypeId {
    const id = this.types.length;
    this.types.push(t);
    return id;
  }

  /** Register a named or anonymous complete aggregate/enum as a definition (call once per distinct one). */
  addDefinition(id: TypeId): void {
    this.definitions.push(id);
    const t = this.types[id]!;
    const name = (t as AggregateType | EnumType).name;
    if (name === undefined) return;
    const names = this.byName[t.kind as NamedKind];
    if (!names) return;
    const list = names.get(name);
    if (list) list.push(id);
    else names.set(name, [id]);
  }

  get(id: TypeId): Type {
    return this.types[id] ?? this.types[VOID_TYPE]!;
  }

  /** Every distinct definition of `kind name`, first-seen first. */
  definitionsOf(kind: NamedKind, name: string): readonly TypeId[] {
    return this.byName[kind]?.get(name) ?? [];
  }

  /** A declaration (`struct foo;`) resolved to the first definition of the same name, else itself. */
  resolveDeclaration(id: TypeId): TypeId {
    const t = this.get(id);
    if ((isAggregate(t) || t.kind === 'enum') && t.declaration && t.name !== undefined) {
      let defs = this.definitionsOf(t.kind, t.name);
      // C++ may declare `struct X` and define `class X` (or the reverse).
      if (defs.length === 0 && t.kind !== 'enum') defs = this.definitionsOf(t.kind === 'class' ? 'struct' : 'class', t.name);
      if (defs.length) return defs[0]!;
    }
    return id;
  }

  /** Strip typedefs and qualifiers. */
  strip(id: TypeId): TypeId {
    for (let guard = 0; guard < 64; guard++) {
      const t = this.get(id);
      if (t.kind === 'typedef' || t.kind === 'qualifier') id = t.target;
      else return id;
    }
    return id;
  }

  /** sizeof(type) in bytes; 0 for void, functions, flexible arrays and unknown types. */
  sizeOf(id: TypeId, depth = 0): number {
    if (depth > 64) return 0;
    const t = this.get(id);
    switch (t.kind) {
      case 'base':
      case 'pointer':
        return t.size;
      case 'typedef':
      case 'qualifier':
        return this.sizeOf(t.target, depth + 1);
      case 'array': {
        if (t.size !== undefined) return t.size;
        let n = 1;
        for (const d of t.dims) n *= d ?? 0;
        return n * this.sizeOf(t.element, depth + 1);
      }
      case 'struct':
      case 'union':
      case 'class':
      case 'enum':
        if (t.declaration) {
          const def = this.resolveDeclaration(id);
          return def === id ? 0 : this.sizeOf(def, depth + 1);
        }
        return t.size;
      default:
        return 0;
    }
  }
}

function nameKey(kind: NamedKind, name: string): string {
  return `${kind} ${name}`;
}
