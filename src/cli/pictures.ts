/**
 * The pictures (`--format map` and `--format html`) for show, diff and reorg: this is where the
 * layouts and byte maps are computed, so the renderers (report/map.ts, report/html.ts) only draw.
 */
import type { TypeTable } from '../model/table.js';
import type { AggregateType, TypeId } from '../model/types.js';
import { analyzeLayout } from '../layout/analyze.js';
import { byteMap, layoutShape } from '../layout/bytemap.js';
import type { Layout } from '../layout/types.js';
import type { DiffResult, MemberDiff } from '../diff/compare.js';
import type { LayoutFacts, TypeFacts } from '../diff/facts.js';
import { describeMove, type ReorgResult } from '../layout/reorg/index.js';
import { overlayTable, reorderedType } from '../layout/reorg/reordered.js';
import { renderMemberChange } from '../report/diff.js';
import { renderLayout } from '../report/pahole.js';
import { typeName } from '../report/ctype.js';
import { renderMap, type MapStruct } from '../report/map.js';
import type { HtmlLayout, HtmlMember, HtmlStruct } from '../report/html.js';

export interface LayoutContext {
  table: TypeTable;
  cachelineSize: number;
  addressSize: number;
}

const title = (t: { kind: string; name?: string }) => `${t.kind} ${t.name ?? '(anonymous)'}`;

function layoutOf(c: LayoutContext, id: TypeId): Layout {
  return analyzeLayout(c.table, id, { cachelineSize: c.cachelineSize, addressSize: c.addressSize });
}

/** show --format map: one struct's map. */
export function mapOfType(c: LayoutContext, id: TypeId, width: number, color: boolean): string {
  const layout = layoutOf(c, id);
  const shape = layoutShape(layout);
  const s: MapStruct = { title: title(c.table.get(id) as AggregateType), map: byteMap(shape, c.cachelineSize), members: shape.members };
  return renderMap(s, { width, color });
}

/** A computed Layout as one side of an HTML picture; `changeOf` marks members by model index. */
function htmlLayout(c: LayoutContext, layout: Layout, heading: string, changeOf?: (modelIndex: number) => string | undefined): HtmlLayout {
  const shape = layoutShape(layout);
  const members: HtmlMember[] = shape.members.map((e) => {
    const ml = layout.members[e.layoutIndex]!;
    const m: HtmlMember = { name: ml.name ?? null, type: typeName({ table: c.table }, ml.type).trimEnd(), offset: e.offset, size: e.size };
    if (e.bitSize !== undefined) {
      m.bitOffset = e.bitOffset!;
      m.bitSize = e.bitSize;
    }
    const ch = changeOf?.(ml.index);
    if (ch) m.change = ch;
    return m;
  });
  const s = layout.summary;
  return {
    title: heading,
    size: layout.size,
    cachelineSize: c.cachelineSize,
    members,
    map: byteMap(shape, c.cachelineSize),
    counters: {
      size: s.size,
      cachelines: s.cachelines,
      members: s.members,
      holes: s.holes,
      sumHoles: s.sumHoles,
      bitHoles: s.bitHoles,
      sumBitHoles: s.sumBitHoles,
      padding: s.padding,
      bitPadding: s.bitPadding,
    },
    pahole: renderLayout(c.table, layout, { cachelineSize: c.cachelineSize, addressSize: c.addressSize }),
  };
}

/** show --format html: the selected types of one file. */
export function showHtmlStructs(c: LayoutContext, ids: readonly TypeId[], file?: string): HtmlStruct[] {
  return ids.map((id) => {
    const t = c.table.get(id) as AggregateType;
    const s: HtmlStruct = { kind: t.kind, name: t.name ?? '', left: htmlLayout(c, layoutOf(c, id), title(t)) };
    if (file !== undefined) s.file = file;
    return s;
  });
}

/** reorg --format html: the current layout beside the proposed one, moved members marked. */
export function reorgHtmlStructs(c: LayoutContext, results: readonly ReorgResult[], file?: string): HtmlStruct[] {
  return results.map((r) => {
    const t = c.table.get(r.id) as AggregateType;
    const s: HtmlStruct = { kind: t.kind, name: t.name ?? '' };
    if (file !== undefined) s.file = file;
    if (!r.ok) {
      s.status = `not reorganized: ${r.reason}`;
      s.left = htmlLayout(c, layoutOf(c, r.id), `current: ${title(t)}`);
      return s;
    }
    const moved = new Set(r.moves.flatMap((m) => m.members));
    s.left = htmlLayout(c, layoutOf(c, r.id), `current: ${r.oldLayout.size} bytes`, (i) => (moved.has(i) ? 'moved' : undefined));
    const v = overlayTable(c.table, reorderedType(r.agg, r.order, r.newLayout));
    const proposed = analyzeLayout(v.table, v.id, { cachelineSize: c.cachelineSize, addressSize: c.addressSize });
    s.right = htmlLayout({ ...c, table: v.table }, proposed, `proposed: ${r.newLayout.size} bytes`, (k) => (moved.has(r.order[k]!) ? 'moved' : undefined));
    const saved = r.oldLayout.size - r.newLayout.size;
    s.status = saved > 0 ? `saves ${saved} bytes` : 'no smaller order';
    s.notes = r.moves.map((m) => describeMove(r.agg, m));
    return s;
  });
}

/** One side of a diff, from the facts the diff compared (an ELF file or a JSON report). */
function factsLayout(t: TypeFacts, cachelineSize: number, heading: string, changes: Map<number, MemberDiff>): HtmlLayout {
  const members: HtmlMember[] = t.members.map((m, i) => {
    const h: HtmlMember = { name: m.name, type: m.type, offset: m.offset, size: m.size };
    if (m.bitSize !== undefined) {
      h.bitOffset = m.bitOffset!;
      h.bitSize = m.bitSize;
    }
    const d = changes.get(i);
    if (d) {
      h.change = d.change;
      h.changes = d.changes;
    }
    return h;
  });
  return {
    title: heading,
    size: t.size,
    cachelineSize,
    members,
    map: byteMap({ kind: t.kind, size: t.size, members: t.members }, cachelineSize),
    counters: {
      size: t.size,
      alignment: t.alignment,
      cachelines: t.cachelines,
      members: t.members.length,
      holes: t.holes,
      sumHoles: t.sumHoles,
      bitHoles: t.bitHoles,
      sumBitHoles: t.sumBitHoles,
      padding: t.padding,
    },
  };
}

/** The member of `t` a diff side describes (same name, offset and type), not yet taken. */
function findMember(t: TypeFacts, side: { name: string | null; offset: number; type: string }, taken: Map<number, MemberDiff>): number {
  return t.members.findIndex((m, i) => !taken.has(i) && m.name === side.name && m.offset === side.offset && m.type === side.type);
}

/** diff --format html: every added, removed and changed type, old beside new, changed members marked. */
export function diffHtmlStructs(d: DiffResult, oldF: LayoutFacts, newF: LayoutFacts): HtmlStruct[] {
  const first = (types: TypeFacts[]) => {
    const m = new Map<string, TypeFacts>();
    for (const t of types) if (t.name !== '' && !m.has(`${t.kind} ${t.name}`)) m.set(`${t.kind} ${t.name}`, t);
    return m;
  };
  const olds = first(oldF.types);
  const news = first(newF.types);
  return d.types.map((td) => {
    const key = `${td.kind} ${td.name}`;
    const o = olds.get(key);
    const n = news.get(key);
    const oldMarks = new Map<number, MemberDiff>();
    const newMarks = new Map<number, MemberDiff>();
    for (const md of td.members) {
      if (md.new && n) {
        const j = findMember(n, md.new, newMarks);
        if (j >= 0) newMarks.set(j, md);
      }
      if (md.old && o) {
        const i = findMember(o, md.old, oldMarks);
        if (i >= 0) oldMarks.set(i, md);
      }
    }
    const s: HtmlStruct = { kind: td.kind, name: td.name, status: td.change };
    if (o && td.change !== 'added') s.left = factsLayout(o, oldF.file.cachelineSize, `old: ${oldF.file.path}`, oldMarks);
    if (n && td.change !== 'removed') s.right = factsLayout(n, newF.file.cachelineSize, `new: ${newF.file.path}`, newMarks);
    s.notes = td.members.map((m) => renderMemberChange(m).trim());
    return s;
  });
}
