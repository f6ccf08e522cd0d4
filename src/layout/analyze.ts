/**
 * analyzeLayout(): compute, once, everything pahole 1.24 prints about a struct/union/class —
 * member offsets and sizes, bit-field units, holes, bit holes, padding, "last struct has N bytes
 * of padding", cacheline markers, forced alignments, inferred packed, summary counters — as an
 * immutable Layout. The walk follows pahole's printing order (dwarves_fprintf.c __class__fprintf,
 * union__fprintf, class_member__fprintf, type__fprintf) because several results (cacheline markers,
 * inferred packed) depend on it.
 */
import { findGroups, groupMarker } from './groups.js';
import type { TypeTable } from '../model/table.js';
import { isAggregate, VOID_TYPE, type AggregateType, type TypeId } from '../model/types.js';
import { guessAddressSize, isStructLike, nrMembers, nrStaticMembers, paholeSize, u16, u32, u8, i32, type HolesResult, type MemberRec } from './pahole-rules.js';
import { PaholeState } from './pahole-state.js';
import {
  DEFAULT_PAHOLE_DIALECT,
  type CachelineMarker,
  type Hole,
  type Layout,
  type LayoutItem,
  type LayoutOptions,
  type LayoutSummary,
  type MemberLayout,
  type PaholeDialect,
  type VtableEntry,
} from './types.js';

export interface AnalyzeOptions extends LayoutOptions {
  /**
   * Shared pahole printing state (inferred packed attributes). Pass the same state to successive
   * calls to reproduce what `pahole FILE` prints for a whole file; a fresh one is used otherwise.
   */
  state?: PaholeState;
  /** pahole -r/--rel_offset: members of inline structs/unions at offsets relative to them (cacheline markers follow). */
  relOffset?: boolean;
}

export { findInlineAggregate, type InlineVia } from './inline-aggregate.js';

interface Ctx {
  readonly state: PaholeState;
  readonly table: TypeTable;
  readonly cl: number;
  /** pahole's conf->cachelinep: shared by everything printed inside one top-level block. */
  readonly cacheline: { line: number };
  /** conf->base_offset */
  readonly base: number;
  /** conf->rel_offset */
  readonly rel: boolean;
  /** conf->emit_stats */
  readonly emitStats: boolean;
  /** Nesting depth of inline expansions (hostile input may nest anonymous types in a loop). */
  readonly depth: number;
  /** Inline expansions left for this top-level type: an anonymous type holding itself several times grows exponentially with depth alone. */
  readonly expansions: { left: number; paddingLines: number };
  /** pahole -E: named struct/union member types are expanded inline too. */
  readonly expand: boolean;
  readonly dialect: PaholeDialect;
}

const MAX_INLINE_DEPTH = 32;
/** Most nested types expanded inline under one top-level type (the kernel's largest needs a few hundred). */
const MAX_INLINE_EXPANSIONS = 4096;
/** Most "Force padding" lines under one top-level type (a hostile DW_AT_byte_size asks for billions). */
const MAX_FORCE_PADDING_LINES = 16384;

/** Compute the layout of the struct, union or class `id`. */
export function analyzeLayout(table: TypeTable, id: TypeId, opts: AnalyzeOptions): Layout {
  const t = table.get(id);
  if (!isAggregate(t)) throw new RangeError(`analyzeLayout: type ${id} is a ${t.kind}, not a struct/union/class`);
  const addressSize = opts.addressSize ?? opts.state?.addressSize ?? guessAddressSize(table);
  const state = opts.state ?? new PaholeState(table, addressSize);
  const ctx: Ctx = { state, table, cl: opts.cachelineSize, cacheline: { line: 0 }, base: 0, rel: opts.relOffset ?? false, emitStats: true, depth: 0, expansions: { left: MAX_INLINE_EXPANSIONS, paddingLines: MAX_FORCE_PADDING_LINES }, expand: opts.expand ?? false, dialect: opts.dialect ?? DEFAULT_PAHOLE_DIALECT };
  const layout = analyzeAggregate(ctx, id);
  const groups = layout.kind === 'union' || !hasGroupMarker(layout.members) ? undefined : findGroups(layout.members.filter((m) => m.role === 'member').map((m) => ({ index: m.index, name: m.name, offset: m.relOffset, size: m.size, alignment: m.alignment })), opts.cachelineSize);
  if (groups) layout.groups = groups;
  return layout;
}

function hasGroupMarker(members: readonly MemberLayout[]): boolean {
  for (const m of members) if (groupMarker(m.name)) return true;
  return false;
}

function analyzeAggregate(ctx: Ctx, id: TypeId): Layout {
  const t = ctx.table.get(id) as AggregateType;
  return t.kind === 'union' ? analyzeUnion(ctx, id, t) : analyzeStruct(ctx, id, t);
}

function cachelineCheck(ctx: Ctx, offset: number): CachelineMarker | undefined {
  const line = Math.floor(offset / ctx.cl);
  if (line > ctx.cacheline.line) {
    ctx.cacheline.line = line;
    return { line, boundary: line * ctx.cl, ago: offset % ctx.cl };
  }
  return undefined;
}

/** The parts of class_member__fprintf shared by struct and union members. */
function memberCommon(ctx: Ctx, rec: MemberRec, unionMember: boolean): MemberLayout {
  const m = rec.member;
  const offset = ctx.rel ? rec.byteOffset : rec.byteOffset + ctx.base;
  const childBase = ctx.rel || unionMember ? ctx.base : offset;
  const ml: MemberLayout = {
    index: rec.index,
    role: rec.role,
    type: m.type,
    relOffset: rec.byteOffset,
    offset,
    bitOffset: rec.bitOffset,
    size: rec.byteSize,
    hole: 0,
    bitHole: 0,
  };
  if (m.name !== undefined) ml.name = m.name;
  if (rec.bitfieldSize) ml.bitfield = { width: rec.bitfieldSize, position: rec.bitfieldOffset };
  if (m.alignment) ml.alignment = m.alignment;
  const marker = cachelineCheck(ctx, offset);
  if (marker) ml.cacheline = marker;
  const inl = ctx.depth < MAX_INLINE_DEPTH && ctx.expansions.left > 0 ? ctx.state.inlineAggregate(m.type, ctx.expand) : undefined;
  if (inl) {
    ctx.expansions.left--;
    const sub: Ctx = {
      ...ctx,
      depth: ctx.depth + 1,
      base: childBase,
      rel: ctx.rel || inl.via === 'pointer',
      emitStats: inl.via === 'const' ? ctx.emitStats : false,
    };
    ml.inline = analyzeAggregate(sub, inl.id);
  }
  return ml;
}

function emptySummary(size: number, cachelines: number, members: number): LayoutSummary {
  return {
    size,
    cachelines,
    members,
    staticMembers: 0,
    sumMembers: 0,
    holes: 0,
    sumHoles: 0,
    sumBitfieldMembers: 0,
    bitHoles: 0,
    sumBitHoles: 0,
    padding: 0,
    paddings: 0,
    sumPaddings: 0,
    bitPadding: 0,
    forcedAlignments: 0,
    forcedHoles: 0,
    sumForcedHoles: 0,
    lastCacheline: 0,
    accountingDiff: 0,
    memberTypesWithHoles: 0,
    memberTypesTotalHoles: 0,
    memberTypesWithBitHoles: 0,
    memberTypesTotalBitHoles: 0,
    memberTypesWithBitPaddings: 0,
    memberTypesSumBitPaddings: 0,
    flexibleArrayMembersEnd: 0,
    flexibleArrayMembersMiddle: 0,
  };
}

function nrCachelines(ctx: Ctx, id: TypeId): number {
  const size = paholeSize(ctx.table, id, ctx.state.addressSize);
  return Math.floor((size + ctx.cl - 1) / ctx.cl);
}

function analyzeUnion(ctx: Ctx, id: TypeId, t: AggregateType): Layout {
  const { state } = ctx;
  state.inferUnionPacked(id);
  const h = state.holes(id);
  const initial = ctx.cacheline.line;
  const members: MemberLayout[] = [];
  for (const rec of h.members) {
    members.push(memberCommon(ctx, rec, true));
    ctx.cacheline.line = initial;
  }
  const layout: Layout = {
    type: id,
    dialect: ctx.dialect,
    kind: t.kind,
    size: t.size,
    offset: ctx.rel ? 0 : ctx.base,
    relative: ctx.rel,
    packed: false,
    cachelineSize: ctx.cl,
    members,
    preHole: 0,
    preBitHole: 0,
    padding: 0,
    bitPadding: 0,
    holes: [],
    summary: emptySummary(t.size, nrCachelines(ctx, id), nrMembers(t)),
    emitStats: false,
  };
  if (t.name !== undefined) layout.name = t.name;
  if (t.alignment) layout.alignment = t.alignment;
  return layout;
}

/** The last member class__find_holes() placed (not static, not a virtual base). */
function lastPlaced(h: HolesResult): MemberRec | undefined {
  for (let i = h.members.length - 1; i >= 0; i--) if (!h.members[i]!.skipped) return h.members[i];
  return undefined;
}

/** The holes of a struct, in member order: before the first member, after each, the tail. */
function holeList(h: HolesResult, size: number, lastRec: MemberRec | undefined): Hole[] {
  const holes: Hole[] = [];
  if (h.preHole > 0) holes.push({ kind: 'byte', offset: 0, bits: h.preHole * 8, after: -1 });
  if (h.preBitHole > 0) holes.push({ kind: 'bit', offset: 0, bit: 0, bits: h.preBitHole, after: -1 });
  for (const r of h.members) {
    if (r.skipped || (r.bitHole <= 0 && r.hole <= 0)) continue;
    const end = r.bitfieldSize ? r.bitOffset + r.bitfieldSize : r.bitOffset + r.byteSize * 8;
    if (r.bitHole > 0) holes.push({ kind: 'bit', offset: Math.floor(end / 8), bit: end % 8, bits: r.bitHole, after: r.index });
    if (r.hole > 0) holes.push({ kind: 'byte', offset: Math.ceil(end / 8), bits: r.hole * 8, after: r.index });
  }
  if (h.bitPadding > 0 && lastRec) {
    const end = lastRec.bitOffset + (lastRec.bitfieldSize || lastRec.byteSize * 8);
    holes.push({ kind: 'bit', offset: Math.floor(end / 8), bit: end % 8, bits: h.bitPadding, after: lastRec.index });
  }
  if (h.rawPadding > 0) holes.push({ kind: 'tail', offset: size - h.rawPadding, bits: h.rawPadding * 8, after: lastRec?.index ?? -1 });
  return holes;
}

function analyzeStruct(ctx: Ctx, id: TypeId, t: AggregateType): Layout {
  const { state, table } = ctx;
  const h = state.holes(id);
  state.inferClassPacked(id);

  const summary = emptySummary(t.size, nrCachelines(ctx, id), nrMembers(t));
  summary.staticMembers = nrStaticMembers(t);
  // pahole 1.31 keeps member holes signed (int); 1.24 stored them as uint16
  const v131 = ctx.dialect === '1.31';
  const members: MemberLayout[] = [];
  const items: LayoutItem[] | undefined = t.children ? [] : undefined;
  const vtable: VtableEntry[] = [];

  let sumBytes = 0;
  let sumBits = 0;
  let sumHoles = 0;
  let sumBitHoles = 0;
  let sumPaddings = 0;
  let nrPaddings = 0;
  let nrForced = 0;
  let nrForcedHoles = 0;
  let sumForcedHoles = 0;
  let last: MemberRec | undefined;
  let lastSize = 0;

  if (u8(h.preBitHole) > 0) sumBitHoles += u8(h.preBitHole);
  if (u16(h.preHole) > 0) sumHoles += u16(h.preHole);

  const children = t.children;
  const count = children ? children.length : t.members.length;
  for (let ci = 0; ci < count; ci++) {
    const child = children?.[ci];
    if (child && child.kind !== 'member') {
      if (child.kind === 'type') {
        const nt = table.get(child.type);
        const item: LayoutItem = { kind: 'type', type: child.type };
        const sub: Ctx = { ...ctx, depth: ctx.depth + 1 };
        if (ctx.depth >= MAX_INLINE_DEPTH || ctx.expansions.left-- <= 0) {
          // too deep, or too many: print the nested type by name only
        } else if (isAggregate(nt) && !nt.declaration) item.layout = analyzeAggregate(sub, child.type);
        else if (nt.kind === 'typedef' && nt.target !== VOID_TYPE) {
          // typedef struct { … } name; inside a class prints the anonymous struct inline.
          const tt = table.get(nt.target);
          if ((tt.kind === 'struct' || tt.kind === 'class') && tt.name === undefined && !tt.declaration) {
            item.layout = analyzeAggregate(sub, nt.target);
          }
        }
        items?.push(item);
      } else if (child.kind === 'method') {
        items?.push({ kind: 'method', method: child.method });
        if (child.method.vtableIndex !== undefined) {
          const v: VtableEntry = { index: child.method.vtableIndex };
          if (child.method.name !== undefined) v.name = child.method.name;
          if (child.method.linkageName !== undefined) v.linkageName = child.method.linkageName;
          vtable.push(v);
        }
      } else {
        items?.push({ ...child });
      }
      continue;
    }
    const pos = h.members[child ? child.index : ci];
    if (!pos) continue;

    if (pos.member.alignment) {
      const forcedHole = last ? (v131 ? last.hole : u16(last.hole)) : u16(h.preHole);
      if (forcedHole !== 0) {
        nrForcedHoles++;
        sumForcedHoles += forcedHole;
      }
      nrForced++;
    }

    let explicitPadding: MemberLayout['explicitPadding'];
    let combined: MemberLayout['combined'];
    if (last && pos.role !== 'base' && lastSize !== 0) {
      if (u8(last.bitHole) !== 0 && pos.bitfieldSize) {
        const force = last.byteOffset !== pos.byteOffset;
        explicitPadding = { width: force ? 0 : u8(last.bitHole), forceAlignment: force };
      }
      if (
        pos.byteOffset < last.byteOffset ||
        (pos.byteOffset === last.byteOffset && last.bitfieldSize === 0 && pos.bitfieldSize !== 0)
      ) {
        combined = 'previous';
      } else {
        const cc = pos.byteOffset - last.byteOffset;
        if (cc > 0 && cc < lastSize) combined = 'next';
      }
    }

    const ml = memberCommon(ctx, pos, false);
    if (explicitPadding) ml.explicitPadding = explicitPadding;
    if (combined) ml.combined = combined;
    ml.hole = (v131 ? pos.hole : u16(pos.hole));
    ml.bitHole = u8(pos.bitHole);
    if (ci === count - 1) ml.lastMember = true;
    if (last === undefined) ml.firstMember = true;

    // a Rust enum with data: its bytes belong to the variants, it has no padding of its own
    if (isStructLike(table, pos.member.type) && !(table.get(pos.member.type) as AggregateType).variantPart) {
      const th = state.holes(pos.member.type);
      state.inferClassPacked(pos.member.type);
      if (th.padding > 0) {
        ml.typePadding = th.padding;
        nrPaddings++;
        sumPaddings += th.padding;
      }
      const facts = {
        flexibleArray: state.hasFlexibleArray(pos.member.type),
        embeddedFlexibleArray: state.hasEmbeddedFlexibleArray(pos.member.type),
        padding: th.padding,
        bitPadding: th.bitPadding,
        holes: th.nrHoles,
        bitHoles: th.nrBitHoles,
      };
      if (facts.flexibleArray || facts.embeddedFlexibleArray || facts.padding || facts.bitPadding || facts.holes || facts.bitHoles) {
        ml.typeFacts = facts;
        if (facts.flexibleArray) summary.flexibleArrayMembersEnd++;
        if (facts.embeddedFlexibleArray) summary.flexibleArrayMembersMiddle++;
        if (facts.bitPadding) {
          summary.memberTypesWithBitPaddings++;
          summary.memberTypesSumBitPaddings += facts.bitPadding;
        }
        if (facts.holes) {
          summary.memberTypesWithHoles++;
          summary.memberTypesTotalHoles += facts.holes;
        }
        if (facts.bitHoles) {
          summary.memberTypesWithBitHoles++;
          summary.memberTypesTotalBitHoles += facts.bitHoles;
        }
      }
    }
    if (u8(pos.bitHole) !== 0) sumBitHoles += u8(pos.bitHole);
    if ((v131 ? pos.hole : u16(pos.hole)) > 0) sumHoles += (v131 ? pos.hole : u16(pos.hole));

    members.push(ml);
    items?.push({ kind: 'member', member: members.length - 1 });

    // pahole 1.24 leaves base classes out of the sums; 1.31 counts them, less the part of an
    // ancestor's tail padding the derived class reuses (a negative hole)
    if (pos.role === 'base' && !v131) continue;
    const size = pos.role === 'base' && pos.hole < 0 ? pos.byteSize + pos.hole : pos.byteSize;
    if (pos.bitfieldSize) sumBits += pos.bitfieldSize;
    else sumBytes = u32(sumBytes + size);

    if (!last || lastSize === 0 || last.byteOffset !== pos.byteOffset) lastSize = size;
    else if (last.bitfieldSize === 0 && pos.bitfieldSize !== 0) lastSize = size;
    last = pos;
  }

  summary.sumMembers = sumBytes;
  summary.holes = h.nrHoles;
  summary.sumHoles = sumHoles;
  summary.sumBitfieldMembers = sumBits;
  summary.bitHoles = h.nrBitHoles;
  summary.sumBitHoles = sumBitHoles;
  summary.padding = h.padding;
  summary.paddings = nrPaddings;
  summary.sumPaddings = sumPaddings;
  summary.bitPadding = h.bitPadding;
  summary.forcedAlignments = nrForced;
  summary.forcedHoles = nrForcedHoles;
  summary.sumForcedHoles = sumForcedHoles;
  const base = ctx.rel ? 0 : ctx.base;
  summary.lastCacheline = (base + t.size) % ctx.cl;
  summary.accountingDiff = i32(
    u32(t.size * 8) - u32(sumBytes * 8 + sumBits + sumHoles * 8 + sumBitHoles + h.padding * 8 + h.bitPadding),
  );

  const lastRec = lastPlaced(h);
  const holes = holeList(h, t.size, lastRec);

  const layout: Layout = {
    type: id,
    dialect: ctx.dialect,
    kind: t.kind,
    size: t.size,
    offset: base,
    relative: ctx.rel,
    packed: state.isPacked(id),
    cachelineSize: ctx.cl,
    members,
    preHole: u16(h.preHole),
    preBitHole: u8(h.preBitHole),
    padding: h.padding,
    bitPadding: h.bitPadding,
    holes,
    summary,
    emitStats: ctx.emitStats,
  };
  if (items) layout.items = items;
  if (t.name !== undefined) layout.name = t.name;
  if (t.alignment) layout.alignment = t.alignment;
  if (vtable.length) layout.vtable = vtable;
  if (h.padding !== 0 && !t.alignment && last && table.alignmentInfo) {
    const size = paholeSize(table, last.member.type, state.addressSize);
    if (size > 0 && (size & (size - 1)) === 0 && h.padding > state.addressSize) {
      const count = Math.min(Math.ceil(h.padding / size), ctx.expansions.paddingLines);
      ctx.expansions.paddingLines -= count;
      if (count > 0) {
        layout.forcePadding = { type: last.member.type, unitBits: size * 8, count };
        // pahole repeats the last member's type; an anonymous one with its body (`union { … } :64;`).
        const inl = ctx.depth < MAX_INLINE_DEPTH ? state.inlineAggregate(last.member.type, ctx.expand) : undefined;
        if (inl) {
          layout.forcePadding.inline = analyzeAggregate({ ...ctx, depth: ctx.depth + 1, base: ctx.rel ? 0 : ctx.base, rel: ctx.rel || inl.via === 'pointer', emitStats: false }, inl.id);
        }
      }
    }
  }
  return layout;
}
