/**
 * The options of the pahole text renderer, what the two pahole releases print differently, and
 * the per-block printing configuration (pahole's `struct conf_fprintf`) the renderer threads through.
 */
import type { TypeTable } from '../model/table.js';
import { isAggregate, type Type, type TypeId } from '../model/types.js';
import { DEFAULT_PAHOLE_DIALECT, type Layout, type PaholeDialect } from '../layout/types.js';
import { typeName } from './ctype.js';
import { nameEdits } from '../model/printable-names.js';

export interface PaholeOptions {
  /** Bytes per cacheline (pahole --cacheline_size); default 64. Used by the layout step. */
  cachelineSize?: number;
  /** Offsets and sizes in hexadecimal (pahole --hex). */
  hex?: boolean;
  /** Pointer size; guessed from the table when absent. Used by the layout step. */
  addressSize?: number;
  /** Expand named struct/union member types inline, showing typedef chains (pahole -E). */
  expand?: boolean;
  /** Offsets of members of inline structs/unions relative to them (pahole -r/--rel_offset). */
  relOffset?: boolean;
  /** Leave out a C++ class's nested types, methods, static variables and vtable (pahole -M). */
  onlyDataMembers?: boolean;
  /** Whose text to reproduce: pahole 1.24 or 1.31 (the default). */
  pahole?: PaholeDialect;
  /**
   * pahole -a: a typedef of an anonymous struct or union is printed as that type with `typedef`
   * before it (pahole.c class_formatter), not as `-C TYPEDEF` prints the typedef (typedef__fprintf).
   */
  anonTypedef?: boolean;
  /** pahole -I: the unit and declaration comment lines before the types nested in a body too. */
  declInfo?: boolean;
}

/** What the two pahole versions print differently, as flags the renderer consults. */
export interface Dialect {
  /** One "XXX last struct has ..." line with the member type's flexible arrays, paddings and holes (1.31), or its padding only (1.24). */
  memberTypeHoles: boolean;
  /** `-E`: named enums are expanded too, and a space always separates an expanded type from the member name. */
  expandEnums: boolean;
  /** Summary lines "member types with ..." and "flexible array members: ...". */
  memberTypeSummary: boolean;
  /**
   * typedef__fprintf (`-C TYPEDEF`): an anonymous struct or union body 8 columns narrower, an
   * anonymous union's body printed (1.24: `typedef union  NAME`), a named union's name padded.
   */
  typedefBodies: boolean;
}

const DIALECTS: Record<PaholeDialect, Dialect> = {
  '1.24': { memberTypeHoles: false, expandEnums: false, memberTypeSummary: false, typedefBodies: false },
  '1.31': { memberTypeHoles: true, expandEnums: true, memberTypeSummary: true, typedefBodies: true },
};

/** Renders an anonymous (or -E expanded) struct/union body inline, for the declarator. */
export type InlineBody = (layout: Layout, conf: Conf, union: boolean) => string;

/** pahole's conf_fprintf for one block; derived copies carry the nesting (indent, spacing, prefix). */
export interface Conf {
  table: TypeTable;
  indent: number;
  typeSpacing: number;
  nameSpacing: number;
  hex: boolean;
  expand: boolean;
  onlyDataMembers?: boolean;
  declInfo?: boolean;
  dialect: Dialect;
  language?: number;
  prefix?: string;
  suffix?: string;
  unionMember: boolean;
  lastMember: boolean;
  firstMember: boolean;
  /** Type spellings (tag__name) already made for this table and language. */
  names: Map<TypeId, string>;
  /** The struct/union body renderer (report/pahole-body.ts). */
  body: InlineBody;
}

/**
 * Spellings per table and language. The model is immutable, except that the CLI spells line breaks
 * in names before rendering text (model/printable-names.ts): spellings made before that are dropped.
 */
const spellings = new WeakMap<TypeTable, { edits: number; byLanguage: Map<number, Map<TypeId, string>> }>();

function spellingsOf(table: TypeTable, language: number | undefined): Map<TypeId, string> {
  let memo = spellings.get(table);
  if (!memo || memo.edits !== nameEdits(table)) spellings.set(table, (memo = { edits: nameEdits(table), byLanguage: new Map() }));
  const byLanguage = memo.byLanguage;
  const key = language ?? -1;
  let names = byLanguage.get(key);
  if (!names) byLanguage.set(key, (names = new Map()));
  return names;
}

/** pahole's tag__name() of `id`, made once per table and language. */
export function spelledName(conf: Conf, id: TypeId): string {
  let s = conf.names.get(id);
  if (s === undefined) {
    s = typeName({ table: conf.table, language: conf.language }, id);
    conf.names.set(id, s);
  }
  return s;
}

/** The configuration pahole starts a top-level block with. */
export function topConf(table: TypeTable, t: Type, opts: PaholeOptions, body: InlineBody): Conf {
  const language = isAggregate(t) ? t.language : undefined;
  return {
    table,
    indent: 0,
    typeSpacing: 26,
    nameSpacing: opts.expand ? 55 : t.kind === 'union' ? 21 : 23,
    hex: opts.hex ?? false,
    expand: opts.expand ?? false,
    onlyDataMembers: opts.onlyDataMembers ?? false,
    declInfo: opts.declInfo ?? false,
    dialect: DIALECTS[opts.pahole ?? DEFAULT_PAHOLE_DIALECT],
    language,
    unionMember: false,
    lastMember: false,
    firstMember: false,
    names: spellingsOf(table, language),
    body,
  };
}
