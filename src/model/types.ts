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
  /**
   * Offset of the header of the unit holding the DIE (for definitions: the unit where it was first
   * seen). pahole keeps some printing state per unit; the pahole renderer resets it when this changes.
   */
  unit?: number;
}

export interface DeclLocation {
  file: string;
  line: number;
  /**
   * DW_AT_decl_file as recorded, when it is 0: in DWARF 5 the unit's primary file (clang uses it),
   * for which libdw, and so pahole -I, prints no file name.
   */
  fileIndex?: 0;
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
  /** A BTF_KIND_FLOAT: pahole spells it `single NAME` (its BTF loader marks every float single precision). */
  btfFloat?: boolean;
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
  /** The producer's own spelling of the pointer type (Rust: `&u8`, `*mut T`, `fn(u32) -> u8`). */
  name?: string;
}

export interface TypedefType {
  kind: 'typedef';
  name: string;
  target: TypeId;
  /** DW_AT_alignment on the typedef (aligned(N) typedefs). */
  alignment?: number;
  decl?: DeclLocation;
  /** The DIE of the first definition (DWARF only; identical typedefs are one type). */
  origin?: Origin;
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
  /**
   * A C++ static data member declared as DW_TAG_member without a location (DWARF ≤ 4 style;
   * not inside a union). It takes no space; pahole prints it as `static TYPE name;`.
   */
  isStatic?: boolean;
  /** DW_AT_const_value of a static member (`static const int kMax = 8;`). */
  constValue?: bigint;
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
  /**
   * False when the DIE is not a direct child of its unit DIE (inside a namespace, a class or a
   * function). pahole's full dump skips such types. Undefined means top level.
   */
  topLevel?: boolean;
  /** DW_AT_language of the unit that defined the type (DW_LANG_*; 0x4 = C++98 changes spellings). */
  language?: number;
  /**
   * Every child DIE of the aggregate in DIE order (data members, bases, nested types, member
   * functions, static variables), for pahole-compatible printing. Set only when the aggregate has
   * non-member children (C++ classes; also C, where clang nests anonymous types in the struct DIE);
   * undefined otherwise. Template parameters are left out.
   */
  children?: ClassChild[];
  /**
   * Member indices in declaration order, when `members` is in offset order and the two differ:
   * the compiler chose the order (Rust's default representation, repr(Rust)).
   */
  sourceOrder?: number[];
  /**
   * A tagged union whose layout the compiler chose (a Rust enum with data, DW_TAG_variant_part):
   * `members` is then empty and every byte belongs to the variants.
   */
  variantPart?: VariantPart;
}

/** The variants of a tagged union and where its discriminant lives. */
export interface VariantPart {
  /** The discriminant (tag), an artificial member; undefined when there is none (one variant). */
  discriminant?: Member;
  variants: Variant[];
}

export interface Variant {
  /** The variant's name (`Some`, `Circle`). */
  name: string;
  /** The discriminant value selecting it; undefined for the default variant (any other value: a niche). */
  discrValue?: bigint;
  /** The variant's fields as one struct spanning the whole type (offsets from the start of the enum). */
  type: TypeId;
  bitOffset: number;
}

/** A member function declared in a C++ class (a DW_TAG_subprogram child). */
export interface Method {
  name?: string;
  /** DW_AT_MIPS_linkage_name only (pahole 1.24 ignores DWARF 4+'s DW_AT_linkage_name). */
  linkageName?: string;
  /** VOID_TYPE when the subprogram has no DW_AT_type (constructors, void methods). */
  returnType: TypeId;
  /** Every DW_TAG_formal_parameter, the artificial `this` included, in order. */
  params: TypeId[];
  /** Parameter names where DWARF gives them (declarations usually do not). */
  paramNames?: (string | undefined)[];
  /** DW_TAG_unspecified_parameters present. */
  variadic: boolean;
  /** DW_AT_virtuality: 0 none, 1 virtual, 2 pure virtual. */
  virtuality?: number;
  /** DW_AT_accessibility (DW_ACCESS_*), when given. */
  accessibility?: number;
  /** DW_AT_inline (DW_INL_*), when given. */
  inline?: number;
  /** DW_AT_vtable_elem_location evaluated (DW_OP_constu N → N). */
  vtableIndex?: number;
}

/** One child DIE of a C++ class, in DIE order. */
export type ClassChild =
  /** A DW_TAG_member or DW_TAG_inheritance: index into `members`. */
  | { kind: 'member'; index: number }
  /** A nested type definition (struct/class/union/enum/typedef). */
  | { kind: 'type'; type: TypeId }
  /** A member function. */
  | { kind: 'method'; method: Method }
  /** A DW_TAG_variable child (DWARF 5 static data member). */
  | { kind: 'variable'; name?: string; type: TypeId; external: boolean; declaration: boolean };

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

/**
 * An exported function or variable as the debug info declares it: a root of the ABI surface
 * (`diff --abi`; docs/abi-surface.md). Produced by the DWARF loader for LoadOptions.roots.
 */
export interface SymbolRoot {
  /** The symbol name (DW_AT_linkage_name when given, else DW_AT_name). */
  name: string;
  kind: 'function' | 'object';
  /** Functions: VOID_TYPE for void. */
  returnType?: TypeId;
  params?: { name?: string; type: TypeId }[];
  /** Functions: DW_TAG_unspecified_parameters present. */
  variadic?: boolean;
  /** Objects: the variable's type. */
  type?: TypeId;
}
