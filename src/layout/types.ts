/**
 * The computed layout of one struct/union/class: plain, immutable data (JSON-serialisable apart
 * from bigint-free numbers), produced once by analyzeLayout() and only formatted by renderers.
 *
 * Numbers follow pahole 1.24's model of a layout (dwarves.c class__find_holes, dwarf_loader.c
 * class_member__cache_byte_size) so that the pahole renderer can print them verbatim; fields whose
 * value is a pahole artefact say so.
 */
import type { AggregateKind, Method, TypeId } from '../model/types.js';
import type { GroupReport } from './groups.js';

export type HoleKind = 'byte' | 'bit' | 'tail';

/**
 * Which pahole's text a Layout reproduces: Debian 12's 1.24, or upstream 1.31 (the default), which
 * also counts base classes in `sum members`, keeps member holes signed, and reports the holes and
 * flexible arrays of member types.
 */
export type PaholeDialect = '1.24' | '1.31';
export const PAHOLE_DIALECTS: readonly PaholeDialect[] = ['1.24', '1.31'];
export const DEFAULT_PAHOLE_DIALECT: PaholeDialect = '1.31';

/** What pahole 1.31 says about a member's struct type ("XXX last struct has ..."). */
export interface MemberTypeFacts {
  /** The struct ends in a flexible array member. */
  flexibleArray: boolean;
  /** A struct member of the struct (recursively) ends in one. */
  embeddedFlexibleArray: boolean;
  padding: number;
  bitPadding: number;
  holes: number;
  bitHoles: number;
}

/** Unused space inside an aggregate. */
export interface Hole {
  /** Byte offset (relative to the aggregate) where the hole starts. */
  offset: number;
  /** For bit holes: the bit position inside the byte at `offset` where the hole starts. */
  bit?: number;
  /** Size of the hole in bits (a multiple of 8 for byte holes and tail padding). */
  bits: number;
  kind: HoleKind;
  /** Index into Layout.members of the member the hole follows; -1 before the first member. */
  after: number;
}

/** A `/* --- cacheline N boundary (B bytes) [was K bytes ago] --- *\/` marker. */
export interface CachelineMarker {
  /** Cacheline number. */
  line: number;
  /** Byte offset of the boundary. */
  boundary: number;
  /** How far past the boundary the member starts (0: exactly on it). */
  ago: number;
}

export type MemberRole = 'member' | 'base' | 'static';

export interface BitfieldLayout {
  /** Width in bits. */
  width: number;
  /** Bit position inside the storage unit (pahole's bitfield_offset). */
  position: number;
}

export interface MemberLayout {
  /** Index into the aggregate's `members` array in the model. */
  index: number;
  role: MemberRole;
  name?: string;
  type: TypeId;
  /** Byte offset relative to the aggregate: the storage unit's offset for bit-fields. */
  relOffset: number;
  /** Offset as pahole prints it: relOffset plus the offset of the enclosing inline aggregate. */
  offset: number;
  /** Allocation-order bit offset relative to the aggregate (pahole's bit_offset). */
  bitOffset: number;
  /** Size in bytes (pahole's byte_size): the storage unit's size for bit-fields. */
  size: number;
  bitfield?: BitfieldLayout;
  /** DW_AT_alignment of the member. */
  alignment?: number;
  /** Byte hole after this member, as pahole computes it (negative when offsets go backwards). */
  hole: number;
  /** Bit hole after this member. */
  bitHole: number;
  /** Tail padding of the member's struct type ("XXX last struct has N bytes of padding"). */
  typePadding?: number;
  /** The member's struct type's holes, paddings and flexible arrays, when it has any (pahole 1.31). */
  typeFacts?: MemberTypeFacts;
  /** Cacheline boundary marker printed before this member. */
  cacheline?: CachelineMarker;
  /** The anonymous struct/union printed inline for this member (directly, via array or pointer). */
  inline?: Layout;
  /** pahole re-creates an unnamed bit-field (`TYPE :N;`) before this member. */
  explicitPadding?: { width: number; forceAlignment: boolean };
  /** pahole's "Bitfield combined with previous/next fields" note before this member. */
  combined?: 'previous' | 'next';
  /**
   * pahole's conf->last_member / first_member: the member is the aggregate's last child / the first
   * non-base member. A zero-length array is spelled `[]` when last but not also first (outside unions).
   */
  lastMember?: boolean;
  firstMember?: boolean;
}

/** A child of a C++ class other than a data member, in DIE order. */
export type LayoutItem =
  | { kind: 'member'; member: number }
  | { kind: 'type'; type: TypeId; layout?: Layout }
  | { kind: 'method'; method: Method }
  | { kind: 'variable'; name?: string; type: TypeId; external: boolean; declaration: boolean };

export interface VtableEntry {
  index: number;
  name?: string;
  linkageName?: string;
}

export interface LayoutSummary {
  size: number;
  cachelines: number;
  /** Data members plus base classes (pahole's nr_members). */
  members: number;
  staticMembers: number;
  /** Bytes of non-bit-field data members (base classes excluded, as pahole does). */
  sumMembers: number;
  holes: number;
  sumHoles: number;
  sumBitfieldMembers: number;
  bitHoles: number;
  sumBitHoles: number;
  padding: number;
  /** Members whose struct type ends in padding, and the sum of those paddings. */
  paddings: number;
  sumPaddings: number;
  bitPadding: number;
  forcedAlignments: number;
  forcedHoles: number;
  sumForcedHoles: number;
  /** Bytes used in the last cacheline; 0 when the size is a multiple of the cacheline. */
  lastCacheline: number;
  /** pahole's "BRAIN FART ALERT" difference in bits when its accounting does not add up, else 0. */
  accountingDiff: number;
  /** pahole 1.31: members whose struct type has holes, and those holes in total. */
  memberTypesWithHoles: number;
  memberTypesTotalHoles: number;
  /** pahole 1.31: members whose struct type has bit holes, and those bit holes in total. */
  memberTypesWithBitHoles: number;
  memberTypesTotalBitHoles: number;
  /** pahole 1.31: members whose struct type ends in unused bits, and those bits in total. */
  memberTypesWithBitPaddings: number;
  memberTypesSumBitPaddings: number;
  /** pahole 1.31 "flexible array members: end: N, middle: M": member struct types ending in one / embedding one. */
  flexibleArrayMembersEnd: number;
  flexibleArrayMembersMiddle: number;
}

export interface Layout {
  type: TypeId;
  /** The pahole version whose arithmetic and text this layout follows. */
  dialect: PaholeDialect;
  kind: AggregateKind;
  name?: string;
  size: number;
  /** Absolute offset of this aggregate in the printed block (0 at top level). */
  offset: number;
  /** Offsets of members are relative to this aggregate (pahole's rel_offset: pointer targets). */
  relative: boolean;
  /** DW_AT_alignment of the aggregate. */
  alignment?: number;
  /** pahole's inferred __packed__ (class__infer_packed_attributes), as printed. */
  packed: boolean;
  cachelineSize: number;
  members: MemberLayout[];
  /** C++: every child in DIE order; undefined for C aggregates (members only). */
  items?: LayoutItem[];
  /** Hole before the first member (bytes, bits). */
  preHole: number;
  preBitHole: number;
  /** Tail padding in bytes and trailing unused bits of the last bit-field unit. */
  padding: number;
  bitPadding: number;
  holes: Hole[];
  /** Computed for structs and classes; for unions only size/members/cachelines are meaningful. */
  summary: LayoutSummary;
  /** Whether pahole prints the summary block (top-level structs and classes). */
  emitStats: boolean;
  vtable?: VtableEntry[];
  /**
   * pahole's "Force padding:" lines (tail padding wider than a pointer after a member whose size is
   * a power of two, in a struct without DW_AT_alignment): `count` lines of `TYPE :unitBits;`.
   */
  forcePadding?: {
    type: TypeId;
    unitBits: number;
    count: number;
    /** An anonymous struct/union type: its body, printed for every unit (offsets from 0). */
    inline?: Layout;
  };
  /** Kernel cacheline groups (`__cacheline_group_begin/end` markers), top-level structs only. */
  groups?: GroupReport;
}

export interface LayoutOptions {
  cachelineSize: number;
  /** Pointer size in bytes; guessed from the table's pointer types when absent. */
  addressSize?: number;
  /** Expand named struct/union member types inline, like `pahole -E`. */
  expand?: boolean;
  /** Which pahole's rules to follow (default 1.31). */
  dialect?: PaholeDialect;
}
