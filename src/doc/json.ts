/**
 * The JSON report document (`--format json`, saved reports `diff` reads back): its types and
 * schema version. A module of its own because three sides use it: report writes it, diff reads
 * saved ones, cli validates them against schema/*.json. Types and version numbers only, no code.
 */
import type { LayoutSummary, MemberTypeFacts, PaholeDialect } from '../layout/types.js';

/** 2: nested members of inline (anonymous, or -E) aggregates, per-member cacheline, static members, the pahole 1.31 counters. */
export const SCHEMA_VERSION = 2;
/** The versions `diff` reads (version 1 reports lack only what version 2 added). */
export const READABLE_SCHEMA_VERSIONS: readonly number[] = [1, 2];

export interface JsonMember {
  name: string | null;
  type: string;
  /** Byte offset as pahole prints it: from the start of the type, or of the pointed-to struct inside `pointeeMembers`. */
  offset: number;
  size: number;
  /** The cacheline the member starts in (offset / cacheline size); absent inside `pointeeMembers`. */
  cacheline?: number;
  bitOffset?: number;
  bitSize?: number;
  alignment?: number;
  base?: boolean;
  /** A C++ static data member (no storage in the object: offset and size 0, as pahole prints them). */
  static?: boolean;
  /** When the member is an array: its dimensions (0 for flexible or unknown), which `type` leaves out. */
  arrayDims?: number[];
  /** The members of the anonymous struct/union (with -E: any struct/union) this member's type is printed as, recursively. */
  members?: JsonMember[];
  /** The same for an anonymous struct/union reached through a pointer: offsets are relative to it. */
  pointeeMembers?: JsonMember[];
  /** What pahole 1.31 says about the member's struct type: "XXX last struct has ...". */
  typeFacts?: MemberTypeFacts;
}

export interface JsonHole {
  /** Byte offset where the hole starts. */
  offset: number;
  size?: number;
  bits?: number;
  kind: 'byte' | 'bit' | 'tail';
}

export interface JsonType {
  kind: string;
  name: string;
  size: number;
  alignment: number | null;
  cachelines: number;
  decl: { file: string; line: number } | null;
  members: JsonMember[];
  holes: JsonHole[];
  padding: number;
  bitPadding: number;
  summary: LayoutSummary;
  /** Kernel cacheline groups (only for structs with `__cacheline_group_*` markers). */
  groups?: object[];
  /** show --packable: the size pahole's reorganization reaches, and the bytes saved. */
  packable?: { newSize: number; savings: number };
  /** A Rust enum with data: its discriminant and variants (members, holes and padding are then empty). */
  variants?: JsonVariantPart;
}

export interface JsonVariantField {
  name: string | null;
  type: string;
  offset: number;
  size: number;
}

/** JSON of a variant part: the discriminant and each variant's fields, offsets from the start of the enum. */
export interface JsonVariantPart {
  discriminant: JsonVariantField | null;
  variants: { name: string; discriminant: number | string | null; type: string; fields: JsonVariantField[] }[];
}

export interface JsonFile {
  path: string;
  machine: string;
  elfClass: 32 | 64;
  endianness: 'little' | 'big';
  dwarfVersions: number[];
  /** Where the types were read from: DWARF or BTF (absent in reports of older versions). */
  source?: 'dwarf' | 'btf';
  buildId: string | null;
  /** The cacheline size the layouts were computed with (absent in reports of older versions). */
  cachelineSize?: number;
  /** Whose arithmetic the summaries follow (`--pahole`; absent in reports of version 1). */
  pahole?: PaholeDialect;
  /** Files besides `path` whose debug info was read, and how each was found. */
  debugFiles: { path: string; role: string }[];
  types: JsonType[];
  /** show --target: the ABI the layouts were predicted for. */
  target?: string;
  /** show --target: the types that cannot be predicted for the target, with the reason. */
  unpredictable?: { kind: string; name: string; reason: string }[];
}

export interface JsonDocument {
  schemaVersion: number;
  tool: 'structscope';
  files: JsonFile[];
}
