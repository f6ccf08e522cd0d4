/**
 * BTF → the format-neutral model. BTF type ids become TypeIds one to one (id 0 is void in both),
 * so a split blob's ids continue its base's. Kinds with no place in the model (FUNC, VAR,
 * DATASEC, DECL_TAG) keep their id as an `unresolved` entry; type tags are skipped over by every
 * reference, as pahole prints them (nothing).
 */
import { Buffer } from 'node:buffer';
import { TypeTable } from '../model/table.js';
import type { Diagnostic } from '../util/diagnostic.js';
import { isAggregate, VOID_TYPE, type AggregateType, type EnumType, type Enumerator, type Member, type Type, type TypeId } from '../model/types.js';
import { BTF_INT, BTF_KIND, blobOf, btfString, typeCount, validString, type BtfBlob } from './format.js';
import { closureOf, NAME } from './closure.js';
import { inferAlignment, NaturalAlignment, type BtfAlignmentInference } from './infer-alignment.js';

export type { BtfAlignmentInference } from './infer-alignment.js';

/** DW_ATE_* encodings, so BTF base types read like DWARF ones. */
const ATE = { boolean: 2, float: 4, signed: 5, signed_char: 6, unsigned: 7, unsigned_char: 8 } as const;

export interface BtfLoadOptions {
  /**
   * Infer forced alignment from offsets as pahole's BTF loader does (btf_loader.c
   * class__infer_alignment), for this cacheline size: what `pahole -F btf` prints. BTF records no
   * alignment; without this option none is set (the facts only).
   */
  inferAlignment?: BtfAlignmentInference;
  /**
   * Whose reading of signed enums (BTF kflag) to follow: 1.24 reads every 32-bit enumerator as
   * unsigned; 1.31 prints a signed enum's values signed. Default 1.24.
   */
  pahole?: '1.24' | '1.31';
  /** Pointer size when the blob's `long` does not tell (the ELF class of the file it came from). */
  addressSize?: number;
  /**
   * Only the structs and unions of these names, and the types they reach, are converted (`-C`);
   * every other id holds a shared `unresolved` placeholder. The table is then partial.
   */
  onlyNames?: readonly string[];
  /**
   * Only the structs and unions (every one) and the types they reach are converted: what a whole
   * text dump prints (no function only a FUNC uses, no enum only a pointer names). The table is
   * then partial. Ignored with onlyNames.
   */
  onlyAggregates?: boolean;
}

export interface BtfTypes {
  table: TypeTable;
  addressSize: number;
  littleEndian: boolean;
  diagnostics: Diagnostic[];
  /** Number of BTF types read (base and split), id 0 excluded. */
  typeCount: number;
  /** onlyNames was given: only some types were converted. */
  partial: boolean;
}

const PLACEHOLDER = {
  typeTag: Object.freeze({ kind: 'unresolved', reason: 'BTF type tag' }),
  func: Object.freeze({ kind: 'unresolved', reason: 'BTF function' }),
  variable: Object.freeze({ kind: 'unresolved', reason: 'BTF variable' }),
  datasec: Object.freeze({ kind: 'unresolved', reason: 'BTF data section' }),
  declTag: Object.freeze({ kind: 'unresolved', reason: 'BTF decl tag' }),
} satisfies Record<string, Type>;

/** What every id outside the -C closure holds (one shared object). */
const NOT_READ: Type = Object.freeze({ kind: 'unresolved', reason: 'not read (outside the -C types)' });

const FLOAT_NAMES = new Set(['float', 'double', 'long double', '_Float16', '_Float32', '_Float64', '_Float128', '__float128', '_Float32x', '_Float64x']);

const MAX_DIAGNOSTICS = 1000;
const MAX_CHAIN = 64;

/** Convert a parsed blob (with its base, when split) into a TypeTable. */
export function btfToModel(blob: BtfBlob, opts: BtfLoadOptions = {}): BtfTypes {
  return new BtfConverter(blob, opts).run();
}

class BtfConverter {
  readonly table = new TypeTable();
  readonly diagnostics: Diagnostic[] = [];
  private readonly count: number;
  private addressSize = 8;
  private readonly signedEnums: EnumType[] = [];

  constructor(
    private readonly blob: BtfBlob,
    private readonly opts: BtfLoadOptions,
  ) {
    this.count = typeCount(blob);
  }

  private diag(message: string, fileOffset?: number): void {
    if (this.diagnostics.length < MAX_DIAGNOSTICS) this.diagnostics.push(fileOffset === undefined ? { message } : { message, fileOffset });
  }

  run(): BtfTypes {
    const blobs: BtfBlob[] = [];
    for (let b: BtfBlob | undefined = this.blob; b; b = b.base) blobs.unshift(b);
    this.addressSize = this.pointerSize(blobs) ?? this.opts.addressSize ?? 8;
    this.table.alignmentInfo = false;
    // every name is a string of these sections (or one of ours, like '(bad string)')
    this.table.plainNames = blobs.every((b) => !hasLineBreak(b));
    // -C: only the ids the named types reach are converted, in id order; the others share NOT_READ
    const only = this.opts.onlyNames ?? (this.opts.onlyAggregates ? 'all' : undefined);
    const closure = only ? closureOf(this.blob, blobs, this.count, only) : undefined;
    const wanted = closure?.ids;
    const types = this.table.types;
    let k = 0;
    for (const b of blobs) {
      const end = b.firstId + b.offsets.length;
      if (closure) {
        types.length = end;
        types.fill(NOT_READ, b.firstId, end);
        for (; k < closure.ids.length && closure.ids[k]! < end; k++) {
          const id = closure.ids[k]!;
          const t = closure.need[id] === NAME ? this.declaration(b, id - b.firstId) : undefined;
          this.define(id, t ?? this.convert(b, id - b.firstId));
        }
      } else {
        for (let i = 0; i < b.offsets.length; i++) {
          const t = this.convert(b, i);
          this.define(this.table.add(t), t);
        }
      }
      if (b.stoppedAt) {
        const s = b.stoppedAt;
        const where = b.where.section ? `${b.where.section}: ` : '';
        this.diag(`${where}offset 0x${(b.where.fileOffset + s.offset).toString(16)}: BTF type [${s.id}] has unknown kind ${s.kind}; its size cannot be known, the types after it are not read`, b.where.fileOffset + s.offset);
      }
    }
    // a signed enum's values print signed: give it a signed underlying type (after the BTF ids)
    const signedBase = new Map<number, TypeId>();
    for (const e of this.signedEnums) {
      let id = signedBase.get(e.size);
      if (id === undefined) signedBase.set(e.size, (id = this.table.add({ kind: 'base', name: `(signed enum base ${e.size})`, size: e.size, encoding: ATE.signed })));
      e.underlying = id;
    }
    // member sizes and pahole's inferred alignment need every type in place
    // (index loops: one iterator protocol over a typed array or an array would cost an object per id)
    const n = wanted ? wanted.length : types.length;
    for (let j = 0; j < n; j++) {
      const t = types[wanted ? wanted[j]! : j];
      if (t && isAggregate(t)) this.finishMembers(t);
    }
    if (this.opts.inferAlignment) {
      const rule = this.opts.inferAlignment;
      const natural = new NaturalAlignment(this.table, this.addressSize);
      for (let j = 0; j < n; j++) {
        const id = wanted ? wanted[j]! : j;
        const t = types[id];
        if (t && isAggregate(t) && !t.declaration) inferAlignment(this.table, id, t, rule, natural);
      }
    }
    return { table: this.table, addressSize: this.addressSize, littleEndian: this.blob.littleEndian, diagnostics: this.diagnostics, typeCount: this.count - 1, partial: wanted !== undefined };
  }

  /** Put type `t` at `id` (already in the table when converting every type) and list a definition. */
  private define(id: TypeId, t: Type): void {
    this.table.types[id] = t;
    if ((isAggregate(t) && !t.declaration) || (t.kind === 'enum' && t.enumerators.length > 0)) this.table.addDefinition(id);
  }

  /** libbpf's determine_ptr_size(): the size of an integer named like `long`. */
  private pointerSize(blobs: BtfBlob[]): number | undefined {
    const longs = new Set(['long', 'long int', 'int long', 'unsigned long', 'long unsigned', 'unsigned long int', 'unsigned int long', 'long unsigned int', 'long int unsigned', 'int unsigned long', 'int long unsigned']);
    for (const b of blobs) {
      for (let i = 0; i < b.offsets.length; i++) {
        if (b.kinds[i] !== BTF_KIND.INT) continue;
        const o = b.offsets[i]!;
        const name = btfString(b, b.view.getUint32(o, b.littleEndian));
        if (name === undefined || !longs.has(name)) continue;
        const size = b.view.getUint32(o + 8, b.littleEndian);
        if (size === 4 || size === 8) return size;
      }
    }
    return undefined;
  }

  private name(b: BtfBlob, off: number, at: number): string | undefined {
    if (!validString(b, off)) {
      this.diag(`${b.where.section ? `${b.where.section}: ` : ''}offset 0x${(b.where.fileOffset + at).toString(16)}: string offset ${off} outside the string section`, b.where.fileOffset + at);
      return '(bad string)';
    }
    return btfString(b, off);
  }

  /** A type reference, past any type tags; an id that does not exist becomes void, with a diagnostic. */
  private ref(id: number, b: BtfBlob, at: number): TypeId {
    for (let guard = 0; guard < MAX_CHAIN; guard++) {
      if (id === 0) return VOID_TYPE;
      const owner = blobOf(this.blob, id);
      if (!owner) {
        this.diag(`${b.where.section ? `${b.where.section}: ` : ''}offset 0x${(b.where.fileOffset + at).toString(16)}: type id ${id} does not exist (${this.count} types)`, b.where.fileOffset + at);
        return VOID_TYPE;
      }
      const i = id - owner.firstId;
      if (owner.kinds[i] !== BTF_KIND.TYPE_TAG) return id;
      id = owner.view.getUint32(owner.offsets[i]! + 8, owner.littleEndian);
    }
    this.diag(`type tag chain longer than ${MAX_CHAIN} at id ${id}`);
    return VOID_TYPE;
  }

  /**
   * A named struct, union or enum that -C reaches only through pointers, as a declaration: its
   * name is all that is printed of it (closure.ts). Undefined for any other kind: converted whole.
   */
  private declaration(b: BtfBlob, i: number): Type | undefined {
    const kind = b.kinds[i]!;
    if (kind !== BTF_KIND.STRUCT && kind !== BTF_KIND.UNION && kind !== BTF_KIND.ENUM && kind !== BTF_KIND.ENUM64) return undefined;
    const o = b.offsets[i]!;
    const name = this.name(b, b.view.getUint32(o, b.littleEndian), o);
    const origin = { die: b.where.fileOffset + o };
    if (kind === BTF_KIND.ENUM || kind === BTF_KIND.ENUM64) return name === undefined ? undefined : { kind: 'enum', size: 0, declaration: true, enumerators: [], origin, name };
    const t: AggregateType = { kind: kind === BTF_KIND.STRUCT ? 'struct' : 'union', size: 0, declaration: true, members: [], origin };
    if (name !== undefined) t.name = name;
    return t;
  }

  private convert(b: BtfBlob, i: number): Type {
    const o = b.offsets[i]!;
    const v = b.view;
    const le = b.littleEndian;
    const nameOff = v.getUint32(o, le);
    const info = v.getUint32(o + 4, le);
    const sizeOrType = v.getUint32(o + 8, le);
    const kind = b.kinds[i]!;
    const vlen = info & 0xffff;
    const kflag = info >>> 31 === 1;
    switch (kind) {
      case BTF_KIND.INT: {
        const enc = v.getUint32(o + 12, le);
        const bits = enc & 0xff;
        const encoding = (enc >>> 24) & 0x0f;
        const n = this.name(b, nameOff, o) ?? '';
        // pahole -J before --btf_gen_floats (1.21, and 1.24 by default) encodes float, double and
        // long double as INT: their names still say what they are
        const t: Type = { kind: 'base', name: n, size: sizeOrType, encoding: FLOAT_NAMES.has(n) ? ATE.float : intEncoding(encoding, sizeOrType) };
        if (bits !== sizeOrType * 8 && bits > 0) t.bitSize = bits;
        return t;
      }
      case BTF_KIND.FLOAT:
        return { kind: 'base', name: this.name(b, nameOff, o) ?? '', size: sizeOrType, encoding: ATE.float, btfFloat: true };
      case BTF_KIND.PTR:
        return { kind: 'pointer', pointerKind: 'pointer', target: this.ref(sizeOrType, b, o + 8), size: this.addressSize };
      case BTF_KIND.TYPEDEF:
        return { kind: 'typedef', name: this.name(b, nameOff, o) ?? '', target: this.ref(sizeOrType, b, o + 8) };
      case BTF_KIND.VOLATILE:
        return { kind: 'qualifier', qualifier: 'volatile', target: this.ref(sizeOrType, b, o + 8) };
      case BTF_KIND.CONST:
        return { kind: 'qualifier', qualifier: 'const', target: this.ref(sizeOrType, b, o + 8) };
      case BTF_KIND.RESTRICT:
        return { kind: 'qualifier', qualifier: 'restrict', target: this.ref(sizeOrType, b, o + 8) };
      case BTF_KIND.ARRAY: {
        const element = this.ref(v.getUint32(o + 12, le), b, o + 12);
        const nelems = v.getUint32(o + 20, le);
        return { kind: 'array', element, dims: [nelems] };
      }
      case BTF_KIND.STRUCT:
      case BTF_KIND.UNION: {
        const members: Member[] = [];
        for (let m = 0, p = o + 12; m < vlen; m++, p += 12) {
          const mname = this.name(b, v.getUint32(p, le), p);
          const type = this.ref(v.getUint32(p + 4, le), b, p + 4);
          const off = v.getUint32(p + 8, le);
          const member: Member = { type, bitOffset: kflag ? off & 0xffffff : off, byteSize: 0 };
          if (kflag && off >>> 24 !== 0) member.bitSize = off >>> 24;
          if (mname !== undefined) member.name = mname;
          members.push(member);
        }
        const t: AggregateType = { kind: kind === BTF_KIND.STRUCT ? 'struct' : 'union', size: sizeOrType, declaration: false, members, origin: { die: b.where.fileOffset + o } };
        const n = this.name(b, nameOff, o);
        if (n !== undefined) t.name = n;
        return t;
      }
      case BTF_KIND.FWD: {
        const t: AggregateType = { kind: kflag ? 'union' : 'struct', size: 0, declaration: true, members: [], origin: { die: b.where.fileOffset + o } };
        const n = this.name(b, nameOff, o);
        if (n !== undefined) t.name = n;
        return t;
      }
      case BTF_KIND.ENUM:
      case BTF_KIND.ENUM64: {
        const enumerators: Enumerator[] = [];
        const wide = kind === BTF_KIND.ENUM64;
        const step = wide ? 12 : 8;
        for (let m = 0, p = o + 12; m < vlen; m++, p += step) {
          const ename = this.name(b, v.getUint32(p, le), p) ?? '';
          let value: bigint;
          if (wide) {
            const raw = (BigInt(v.getUint32(p + 8, le)) << 32n) | BigInt(v.getUint32(p + 4, le));
            value = kflag ? BigInt.asIntN(64, raw) : raw;
          } else value = kflag && this.opts.pahole === '1.31' ? BigInt(v.getInt32(p + 4, le)) : BigInt(v.getUint32(p + 4, le));
          enumerators.push({ name: ename, value });
        }
        const t: Type = { kind: 'enum', size: sizeOrType || 4, declaration: false, enumerators, origin: { die: b.where.fileOffset + o } };
        const n = this.name(b, nameOff, o);
        if (n !== undefined) t.name = n;
        if (kflag && this.opts.pahole === '1.31') this.signedEnums.push(t);
        return t;
      }
      case BTF_KIND.FUNC_PROTO: {
        const params: TypeId[] = [];
        let variadic = false;
        for (let m = 0, p = o + 12; m < vlen; m++, p += 8) {
          const pt = v.getUint32(p + 4, le);
          if (pt === 0 && m === vlen - 1) variadic = true;
          else params.push(this.ref(pt, b, p + 4));
        }
        return { kind: 'function', returnType: this.ref(sizeOrType, b, o + 8), params, variadic, prototyped: true };
      }
      // nothing refers to these as a type (type tags are skipped by every reference): one shared
      // placeholder each keeps the ids one to one without an object, or a name, per function
      case BTF_KIND.TYPE_TAG:
        return PLACEHOLDER.typeTag;
      case BTF_KIND.FUNC:
        return PLACEHOLDER.func;
      case BTF_KIND.VAR:
        return PLACEHOLDER.variable;
      case BTF_KIND.DATASEC:
        return PLACEHOLDER.datasec;
      case BTF_KIND.DECL_TAG:
        return PLACEHOLDER.declTag;
      default:
        return { kind: 'unresolved', reason: `BTF kind ${kind}` };
    }
  }

  /** byteSize of each member: the size of its type, typedefs and qualifiers stripped (pahole's fixup). */
  private finishMembers(t: AggregateType): void {
    for (const m of t.members) m.byteSize = this.table.sizeOf(this.table.strip(m.type));
  }

}

/** Whether the blob's string section holds a line feed or a tab (memchr, no decoding). */
function hasLineBreak(b: BtfBlob): boolean {
  const strings = Buffer.from(b.bytes.buffer, b.bytes.byteOffset + b.strStart, b.strEnd - b.strStart);
  return strings.indexOf(0x0a) >= 0 || strings.indexOf(0x09) >= 0;
}

function intEncoding(enc: number, size: number): number {
  if (enc & BTF_INT.BOOL) return ATE.boolean;
  if (enc & BTF_INT.CHAR) return enc & BTF_INT.SIGNED ? ATE.signed_char : ATE.unsigned_char;
  if (size === 1) return enc & BTF_INT.SIGNED ? ATE.signed_char : ATE.unsigned_char;
  return enc & BTF_INT.SIGNED ? ATE.signed : ATE.unsigned;
}
