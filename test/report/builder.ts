/** A small TypeTable builder for hand-written layout/report tests. */
import { TypeTable } from '../../src/model/table.js';
import type { AggregateKind, AggregateType, ClassChild, Member, Type, TypeId } from '../../src/model/types.js';

export const DW_ATE = { boolean: 2, float: 4, signed: 5, signed_char: 6, unsigned: 7, unsigned_char: 8 } as const;

export interface MemberSpec {
  name?: string;
  type: TypeId;
  /** Byte offset (ordinary members). */
  off?: number;
  /** Bit-field: absolute bit offset, width and storage-unit size. */
  bit?: [bitOffset: number, width: number, unit: number];
  align?: number;
  base?: boolean;
  access?: number;
  isStatic?: boolean;
  constValue?: bigint;
}

export class TB {
  readonly t = new TypeTable();

  add(x: Type): TypeId {
    return this.t.add(x);
  }
  base(name: string, size: number, encoding: number = DW_ATE.signed): TypeId {
    return this.add({ kind: 'base', name, size, encoding });
  }
  ptr(target: TypeId, size = 8): TypeId {
    return this.add({ kind: 'pointer', pointerKind: 'pointer', target, size });
  }
  ref(target: TypeId, size = 8): TypeId {
    return this.add({ kind: 'pointer', pointerKind: 'reference', target, size });
  }
  typedef(name: string, target: TypeId): TypeId {
    return this.add({ kind: 'typedef', name, target });
  }
  const(target: TypeId): TypeId {
    return this.add({ kind: 'qualifier', qualifier: 'const', target });
  }
  volatile(target: TypeId): TypeId {
    return this.add({ kind: 'qualifier', qualifier: 'volatile', target });
  }
  array(element: TypeId, dims: (number | null)[]): TypeId {
    return this.add({ kind: 'array', element, dims });
  }
  fn(returnType: TypeId, params: TypeId[], variadic = false): TypeId {
    return this.add({ kind: 'function', returnType, params, variadic, prototyped: true });
  }
  enum(name: string | undefined, size: number, values: [string, number][], underlying?: TypeId, define = true): TypeId {
    const id = this.add({
      kind: 'enum',
      name,
      size,
      declaration: false,
      enumerators: values.map(([n, v]) => ({ name: n, value: BigInt(v) })),
      underlying,
      origin: { die: -1 },
    });
    if (define) this.t.addDefinition(id);
    return id;
  }
  /** Declare an aggregate now (for self-references) and fill it later with `fill`. */
  declare(kind: AggregateKind, name: string | undefined, size: number, extra: Partial<AggregateType> = {}): TypeId {
    return this.add({ kind, name, size, declaration: false, members: [], origin: { die: -1 }, ...extra });
  }
  fill(id: TypeId, members: MemberSpec[], define = true, children?: ClassChild[]): TypeId {
    const agg = this.t.get(id) as AggregateType;
    agg.members.push(...members.map((m) => this.member(m)));
    if (children) agg.children = children;
    if (define) this.t.addDefinition(id);
    return id;
  }
  agg(
    kind: AggregateKind,
    name: string | undefined,
    size: number,
    members: MemberSpec[],
    extra: Partial<AggregateType> = {},
    define = name !== undefined,
  ): TypeId {
    return this.fill(this.declare(kind, name, size, extra), members, define);
  }
  struct(name: string | undefined, size: number, members: MemberSpec[], extra: Partial<AggregateType> = {}): TypeId {
    return this.agg('struct', name, size, members, extra);
  }
  union(name: string | undefined, size: number, members: MemberSpec[], extra: Partial<AggregateType> = {}): TypeId {
    return this.agg('union', name, size, members, extra);
  }
  member(s: MemberSpec): Member {
    const m: Member = {
      type: s.type,
      bitOffset: s.bit ? s.bit[0] : (s.off ?? 0) * 8,
      byteSize: s.bit ? s.bit[2] : this.t.sizeOf(s.type),
    };
    if (s.name !== undefined) m.name = s.name;
    if (s.bit) m.bitSize = s.bit[1];
    if (s.align) m.alignment = s.align;
    if (s.base) m.isBase = true;
    if (s.access) m.accessibility = s.access;
    if (s.isStatic) m.isStatic = true;
    if (s.constValue !== undefined) m.constValue = s.constValue;
    return m;
  }
}

/** Split pahole output into blocks, each from a line starting a type to the line `};` or `} …;` at column 0. */
export function splitBlocks(text: string): string[] {
  const lines = text.split('\n');
  const blocks: string[] = [];
  let cur: string[] = [];
  for (const line of lines) {
    if (cur.length === 0 && line === '') continue;
    cur.push(line);
    if (/^}.*;$/.test(line)) {
      blocks.push(cur.join('\n'));
      cur = [];
    }
  }
  if (cur.length) blocks.push(cur.join('\n'));
  return blocks;
}

/** The block whose first line starts with `header` (e.g. "struct holes {"). */
export function blockFor(text: string, header: string): string {
  const b = splitBlocks(text).find((x) => x.startsWith(header));
  if (!b) throw new Error(`no block ${header}`);
  return b;
}
