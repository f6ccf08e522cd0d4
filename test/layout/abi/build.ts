/** A tiny builder for hand-made type tables (edge cases the fixtures do not cover). */
import { TypeTable } from '../../../src/model/table.js';
import type { AggregateKind, Member, TypeId } from '../../../src/model/types.js';

const ENC = { signed: 5, unsigned: 7, signedChar: 6, float: 4, bool: 2 } as const;

export interface MemberSpec {
  name?: string;
  type: TypeId;
  /** Byte offset (ignored by the engine; used by inference tests as the "DWARF" offset). */
  at?: number;
  /** Allocation-order bit offset; overrides `at`. */
  bit?: number;
  bits?: number;
  alignment?: number;
  isBase?: boolean;
}

export class TableBuilder {
  readonly table = new TypeTable();
  readonly char = this.base('char', 1, ENC.signedChar);
  readonly short = this.base('short int', 2, ENC.signed);
  readonly int = this.base('int', 4, ENC.signed);
  readonly uint = this.base('unsigned int', 4, ENC.unsigned);
  readonly long = this.base('long int', 8, ENC.signed);
  readonly ulong = this.base('long unsigned int', 8, ENC.unsigned);
  readonly llong = this.base('long long int', 8, ENC.signed);
  readonly double = this.base('double', 8, ENC.float);
  readonly ldouble = this.base('long double', 16, ENC.float);
  readonly int128 = this.base('__int128', 16, ENC.signed);
  readonly bool = this.base('_Bool', 1, ENC.bool);

  base(name: string, size: number, encoding: number): TypeId {
    return this.table.add({ kind: 'base', name, size, encoding });
  }

  pointer(target: TypeId = 0, size = 8): TypeId {
    return this.table.add({ kind: 'pointer', pointerKind: 'pointer', target, size });
  }

  typedef(name: string, target: TypeId, alignment?: number): TypeId {
    return this.table.add({ kind: 'typedef', name, target, ...(alignment ? { alignment } : {}) });
  }

  atomic(target: TypeId): TypeId {
    return this.table.add({ kind: 'qualifier', qualifier: 'atomic', target });
  }

  array(element: TypeId, ...dims: (number | null)[]): TypeId {
    return this.table.add({ kind: 'array', element, dims });
  }

  vector(element: TypeId, size: number): TypeId {
    return this.table.add({ kind: 'array', element, dims: [size / this.table.sizeOf(element)], size, vector: true });
  }

  enumeration(name: string, size: number, values: bigint[]): TypeId {
    const id = this.table.add({
      kind: 'enum',
      name,
      size,
      declaration: false,
      enumerators: values.map((value, i) => ({ name: `${name}_${i}`, value })),
      origin: { die: -1 },
    });
    this.table.addDefinition(id);
    return id;
  }

  aggregate(kind: AggregateKind, name: string | undefined, members: MemberSpec[], size = 0, alignment?: number): TypeId {
    const ms: Member[] = members.map((m) => {
      const byteSize = this.table.sizeOf(m.type);
      const out: Member = { type: m.type, bitOffset: m.bit ?? (m.at ?? 0) * 8, byteSize };
      if (m.name !== undefined) out.name = m.name;
      if (m.bits !== undefined) out.bitSize = m.bits;
      if (m.alignment !== undefined) out.alignment = m.alignment;
      if (m.isBase) out.isBase = true;
      return out;
    });
    const id = this.table.add({
      kind,
      ...(name !== undefined ? { name } : {}),
      size,
      declaration: false,
      members: ms,
      ...(alignment !== undefined ? { alignment } : {}),
      origin: { die: -1 },
    });
    this.table.addDefinition(id);
    return id;
  }

  struct(name: string | undefined, members: MemberSpec[], size = 0, alignment?: number): TypeId {
    return this.aggregate('struct', name, members, size, alignment);
  }

  union(name: string | undefined, members: MemberSpec[], size = 0): TypeId {
    return this.aggregate('union', name, members, size);
  }
}

/** Shorthand members: `m('a', t)`, bit-field `bf('b', t, 4)`. */
export function m(name: string | undefined, type: TypeId, at?: number): MemberSpec {
  return at === undefined ? { ...(name !== undefined ? { name } : {}), type } : { ...(name !== undefined ? { name } : {}), type, at };
}

export function bf(name: string, type: TypeId, bits: number, bit?: number): MemberSpec {
  return { name, type, bits, ...(bit !== undefined ? { bit } : {}) };
}
