/**
 * The format-neutral type model: plain, immutable data that knows nothing of DWARF.
 * A loader (DWARF today, BTF later) fills a TypeTable; layout and report code only read it.
 */

/** Index into TypeTable.types. VOID_TYPE (0) is `void`. */
export type TypeId = number;
export const VOID_TYPE: TypeId = 0;

/** Where a type came from: the file and the DIE offset (in its section), for diagnostics. */
export interface Origin {
  /** Offset of the DIE in its section (.debug_info or .debug_types), or -1. */
  die: number;
  /** Index into TypeTable.files (0 = the main file) when several files contributed. */
  file?: number;
}

export interface DeclLocation {
  file: string;
  line: number;
}

export interface VoidType {
  kind: 'void';
}

/** A scalar: int, char, float, _Bool, __int128, complex … (DW_TAG_base_type, DW_TAG_unspecified_type). */
export interface BaseType {
  kind: 'base';
  name: string;
  /** Size in bytes (DW_AT_byte_size). */
  size: number;
  /** DW_ATE_* encoding, 0 when absent (unspecified types such as decltype(nullptr)). */
  encoding: number;
  /** DW_AT_bit_size when a base type is narrower than its byte size (rare). */
  bitSize?: number;
}

export type PointerKind = 'pointer' | 'reference' | 'rvalue_reference' | 'ptr_to_member';

export interface PointerType {
  kind: 'pointer';
  pointerKind: PointerKind;
  target: TypeId;
  /** Pointer size: DW_AT_byte_size or the unit's address size (clang omits the attribute). */
  size: number;
  /** For ptr_to_member: the containing class (DW_AT_containing_type). */
  containingType?: TypeId;
}

export interface TypedefType {
  kind: 'typedef';
  name: string;
  target: TypeId;
  /** DW_AT_alignment on the typedef (aligned(N) typedefs). */
  alignment?: number;
  decl?: DeclLocation;
}

export type Qualifier = 'const' | 'volatile' | 'restrict' | 'atomic';

export interface QualifiedType {
  kind: 'qualifier';
  qualifier: Qualifier;
  target: TypeId;
}

/**
 * An array; `dims` lists the element counts outermost first (`int m[4][3]` → [4, 3]).
 * A dimension of `null` is flexible (`char data[]`, no bound); 0 is a GNU zero-length array.
 */
export interface ArrayType {
  kind: 'array';
  element: TypeId;
  dims: (number | null)[];
  /** DW_AT_byte_size when the producer gave one (vector types, some clang arrays). */
  size?: number;
  /** GNU vector (DW_AT_GNU_vector). */
  vector?: boolean;
}

/** A data member of a struct, union or class, or a base class (C++ inheritance). */
export interface Member {
  /** Undefined for anonymous members and unnamed bit-fields. */
  name?: string;
  type: TypeId;
  /**
   * Offset of the member's first bit from the start of the aggregate, in allocation order
   * (DW_AT_data_bit_offset semantics: the same number on little- and big-endian).
   * For ordinary members this is 8 * byte offset.
   */
  bitOffset: number;
  /** Width of a bit-field in bits; undefined for ordinary members. */
  bitSize?: number;
  /**
   * Size in bytes: for a bit-field, of its storage unit (DW_AT_byte_size, else the declared
   * type's size); otherwise the member type's size.
   */
  byteSize: number;
  /** DW_AT_alignment on the member (aligned(N), _Alignas). */
  alignment?: number;
  /** DW_TAG_inheritance: a base-class subobject. */
  isBase?: boolean;
  /** For a base class: DW_AT_virtuality != none. */
  isVirtualBase?: boolean;
  /** DW_AT_artificial (e.g. C++ `_vptr.X`). */
  artificial?: boolean;
  /** DW_AT_accessibility as DW_ACCESS_* (1 public, 2 protected, 3 private), when given. */
  accessibility?: number;
  decl?: DeclLocation;
}

export type AggregateKind = 'struct' | 'union' | 'class';

export interface AggregateType {
  kind: AggregateKind;
  /** Undefined for anonymous structs/unions. */
  name?: string;
  /** DW_AT_byte_size; 0 for declarations. */
  size: number;
  /** DW_AT_declaration: an incomplete type (`struct foo;`). */
  declaration: boolean;
  members: Member[];
  /** DW_AT_alignment on the aggregate. */
  alignment?: number;
  decl?: DeclLocation;
  origin: Origin;
  /** Named types nested in a C++ class (nested structs, typedefs, enums), for -E. */
  nested?: TypeId[];
}

export interface Enumerator {
  name: string;
  /** Values may exceed 2^53 (u64 enums) or be negative. */
  value: bigint;
}

export interface EnumType {
  kind: 'enum';
  name?: string;
  size: number;
  declaration: boolean;
  enumerators: Enumerator[];
  /** DW_AT_type of the enumeration (underlying integer type), when given. */
  underlying?: TypeId;
  /** DW_AT_encoding-less: whether any enumerator was encoded as signed (for printing). */
  decl?: DeclLocation;
  origin: Origin;
}

export interface FunctionType {
  kind: 'function';
  /** VOID_TYPE for void functions. */
  returnType: TypeId;
  params: TypeId[];
  variadic: boolean;
  /** DW_AT_prototyped false: K&R `int f()`. */
  prototyped: boolean;
}

/** A reference the loader could not resolve (dangling or unsupported); printed as `<ERROR>`. */
export interface UnresolvedType {
  kind: 'unresolved';
  reason: string;
}

export type Type =
  | VoidType
  | BaseType
  | PointerType
  | TypedefType
  | QualifiedType
  | ArrayType
  | AggregateType
  | EnumType
  | FunctionType
  | UnresolvedType;

export function isAggregate(t: Type): t is AggregateType {
  return t.kind === 'struct' || t.kind === 'union' || t.kind === 'class';
}
