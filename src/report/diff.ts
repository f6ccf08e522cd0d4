/**
 * Rendering of `structscope diff`: text (a table of changed types with their deltas, then the member
 * changes of each type, optionally the layouts before and after), a cli-table3 table, and JSON
 * (schema/diff.schema.json). Pure.
 */
import Table from 'cli-table3';
import type { DiffResult, MemberDiff, MemberSide, TypeDiff } from '../diff/compare.js';
import type { FileFacts, TypeFacts, TypeSummaryFacts } from '../diff/facts.js';
import type { FailOnKind } from '../diff/regressions.js';

export const DIFF_SCHEMA_VERSION = 1;

export interface DiffJsonDocument {
  schemaVersion: number;
  tool: 'structscope';
  old: FileFacts;
  new: FileFacts;
  summary: { oldTypes: number; newTypes: number; added: number; removed: number; changed: number; unchanged: number };
  /** Regression kinds present (what --fail-on gates on), each with the types causing it. */
  regressions: Partial<Record<FailOnKind, string[]>>;
  types: TypeDiff[];
}

export function counts(d: DiffResult): DiffJsonDocument['summary'] {
  const n = (c: string) => d.types.filter((t) => t.change === c).length;
  return { oldTypes: d.oldTypes, newTypes: d.newTypes, added: n('added'), removed: n('removed'), changed: n('changed'), unchanged: d.unchanged };
}

export function diffJson(d: DiffResult, regs: Map<FailOnKind, string[]>): DiffJsonDocument {
  return {
    schemaVersion: DIFF_SCHEMA_VERSION,
    tool: 'structscope',
    old: d.old,
    new: d.new,
    summary: counts(d),
    regressions: Object.fromEntries(regs),
    types: d.types,
  };
}

const COLUMNS: [keyof TypeSummaryFacts, string][] = [
  ['size', 'size'],
  ['alignment', 'align'],
  ['cachelines', 'cachelines'],
  ['holes', 'holes'],
  ['sumHoles', 'sum holes'],
  ['padding', 'padding'],
];

const show = (v: number | null | undefined) => (v === null || v === undefined ? '-' : String(v));

/** `8`, or `8 -> 16 (+8)` when the value changed. */
function delta(o: number | null | undefined, n: number | null | undefined): string {
  if (o === n) return show(o);
  if (o === undefined) return show(n); // an added type
  if (n === undefined) return show(o); // a removed type
  if (typeof o === 'number' && typeof n === 'number') return `${o} -> ${n} (${n > o ? '+' : ''}${n - o})`;
  return `${show(o)} -> ${show(n)}`;
}

/** The table of added, removed and changed types with the deltas of their numbers. */
export function renderDiffTable(d: DiffResult): string {
  const table = new Table({ head: ['type', 'change', ...COLUMNS.map(([, h]) => h), 'members'], style: { head: [], border: [] } });
  for (const t of d.types) {
    const cells = COLUMNS.map(([k]) => delta(t.old?.[k], t.new?.[k]));
    table.push([`${t.kind} ${t.name}`, t.change, ...cells, t.members.length ? memberCounts(t.members) : '']);
  }
  return table.toString();
}

function memberCounts(ms: MemberDiff[]): string {
  const by = new Map<string, number>();
  for (const m of ms) for (const c of m.changes) by.set(c, (by.get(c) ?? 0) + 1);
  return [...by].map(([c, n]) => `${n} ${c}`).join(', ');
}

const memberName = (s: { name: string | null }) => s.name ?? '(anonymous)';

function place(s: MemberSide): string {
  const bits = s.bitSize !== undefined ? `:${s.bitOffset! - s.offset * 8}` : '';
  const width = s.bitSize !== undefined ? `, ${s.bitSize} bits` : '';
  return `offset ${s.offset}${bits}, size ${s.size}${width}`;
}

/** One line per member change. */
export function renderMemberChange(m: MemberDiff): string {
  if (m.change === 'added') return `  + ${memberName(m)}: ${m.new!.type} (${place(m.new!)})`;
  if (m.change === 'removed') return `  - ${memberName(m)}: ${m.old!.type} (${place(m.old!)})`;
  const o = m.old!;
  const n = m.new!;
  const parts: string[] = [];
  for (const c of m.changes) {
    if (c === 'renamed') parts.push(`renamed from ${memberName(o)}`);
    else if (c === 'retyped') parts.push(`retyped ${o.type} -> ${n.type}`);
    else if (c === 'resized') parts.push(`resized ${o.size} -> ${n.size}`);
    else if (c === 'bitfield') parts.push(`bit-field ${bitfield(o)} -> ${bitfield(n)}`);
    else if (c === 'moved') parts.push(`moved ${o.offset} -> ${n.offset}`);
    else if (c === 'cacheline') parts.push(`cacheline ${o.cacheline} -> ${n.cacheline}`);
  }
  return `  ~ ${memberName(m)}: ${parts.join(', ')}`;
}

function bitfield(s: MemberSide): string {
  return s.bitSize === undefined ? 'none' : `bit ${s.bitOffset! - s.offset * 8} width ${s.bitSize}`;
}

function describe(f: FileFacts): string {
  return `${f.path} (${f.format === 'json' ? 'JSON report' : 'ELF'}, ${f.machine}${f.buildId ? `, build-id ${f.buildId}` : ''})`;
}

export interface DiffTextOptions {
  /** The types of both sides, for --verbose before/after layouts. */
  layouts?: { old: Map<string, TypeFacts>; new: Map<string, TypeFacts> };
  regressions: Map<FailOnKind, string[]>;
}

export function renderDiffText(d: DiffResult, opts: DiffTextOptions): string {
  const c = counts(d);
  const lines = [`--- ${describe(d.old)}`, `+++ ${describe(d.new)}`];
  lines.push(`types: ${c.oldTypes} old, ${c.newTypes} new: ${c.added} added, ${c.removed} removed, ${c.changed} changed, ${c.unchanged} unchanged`);
  if (d.types.length === 0) return lines.join('\n') + '\n';
  lines.push('', renderDiffTable(d));
  for (const t of d.types) {
    if (t.change !== 'changed' && !opts.layouts) continue;
    lines.push('', `${t.kind} ${t.name}: ${t.change}`);
    for (const m of t.members) lines.push(renderMemberChange(m));
    if (opts.layouts) {
      const key = `${t.kind} ${t.name}`;
      const o = opts.layouts.old.get(key);
      const n = opts.layouts.new.get(key);
      if (o) lines.push('  before:', indent(renderFactsLayout(o)));
      if (n) lines.push('  after:', indent(renderFactsLayout(n)));
    }
  }
  if (opts.regressions.size) {
    lines.push('', 'regressions:');
    for (const [k, names] of opts.regressions) lines.push(`  ${k}: ${names.join(', ')}`);
  }
  return lines.join('\n') + '\n';
}

const indent = (s: string) =>
  s
    .split('\n')
    .map((l) => '    ' + l)
    .join('\n');

/** A pahole-style layout drawn from facts (so ELF and JSON inputs print alike), with holes. */
export function renderFactsLayout(t: TypeFacts): string {
  const out = [`${t.kind} ${t.name} {`];
  let end = 0; // end of the previous member in bits
  const unions = t.kind === 'union';
  for (const m of t.members) {
    const start = m.bitSize !== undefined ? m.bitOffset! : m.offset * 8;
    if (!unions && start > end && end > 0) {
      const gap = start - end;
      out.push(gap % 8 === 0 ? `\t/* XXX ${gap / 8} bytes hole */` : `\t/* XXX ${gap} bits hole */`);
    }
    const [, base, dims] = m.type.match(/^(.*?)((?:\[\d+\])*)$/)!; // C puts array dimensions after the name
    const decl = `${base} ${m.name ?? ''}${dims}${m.bitSize !== undefined ? `:${m.bitSize}` : ''};`;
    const where = m.bitSize !== undefined ? `${m.offset}:${m.bitOffset! - m.offset * 8}` : `${m.offset}`;
    out.push(`\t${decl.padEnd(48)} /* ${where.padStart(6)} ${String(m.size).padStart(5)} */`);
    end = Math.max(end, m.bitSize !== undefined ? start + m.bitSize : start + m.size * 8);
  }
  out.push(`\t/* size: ${t.size}, cachelines: ${t.cachelines}, holes: ${t.holes}, sum holes: ${t.sumHoles}, padding: ${t.padding}${t.alignment !== null ? `, alignment: ${t.alignment}` : ''} */`);
  out.push('};');
  return out.join('\n');
}
