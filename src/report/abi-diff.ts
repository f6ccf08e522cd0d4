/**
 * Rendering of `structscope diff --abi`: text (symbols added, removed, changed; then each changed
 * type of the surface with its member changes and the symbols reaching it, one shortest path
 * each), a table, and JSON (schema/abi-diff.schema.json) that also keeps NEW's surface as a
 * baseline for a later `diff --abi BASELINE.json NEW`. Pure.
 */
import Table from 'cli-table3';
import type { AbiDiffResult } from '../diff/abi.js';
import type { FileFacts } from '../diff/facts.js';
import type { FailOnKind } from '../diff/regressions.js';
import type { SurfaceSymbol, SymbolDiff } from '../diff/symbols.js';
import { counts, renderDiffTable, renderMemberChange } from './diff.js';
import type { JsonFile } from '../doc/json.js';

export const ABI_DIFF_SCHEMA_VERSION = 1;

/** NEW's surface, as a later run reads it back in place of the old binary. */
export interface AbiBaseline extends JsonFile {
  symbols: SurfaceSymbol[];
}

export interface AbiSurfaceCounts {
  symbols: number;
  /** Symbols whose function or variable the debug info describes. */
  withDebugInfo: number;
  /** Named types reached. */
  types: number;
}

export interface AbiRenderInput {
  d: AbiDiffResult;
  regressions: Map<FailOnKind, string[]>;
  surfaces: { old: AbiSurfaceCounts; new: AbiSurfaceCounts };
  /** Symbols listed per type in text; JSON lists all. */
  maxPaths: number;
}

export function abiDiffJson(r: AbiRenderInput, baseline: AbiBaseline) {
  const { d } = r;
  return {
    schemaVersion: ABI_DIFF_SCHEMA_VERSION,
    tool: 'structscope' as const,
    mode: 'abi' as const,
    old: d.layout.old,
    new: d.layout.new,
    surfaces: r.surfaces,
    summary: { ...counts(d.layout), symbols: symbolCounts(d.symbols) },
    regressions: Object.fromEntries(r.regressions),
    symbols: d.symbols,
    missing: d.missing,
    types: d.types,
    baseline,
  };
}

function symbolCounts(s: SymbolDiff[]) {
  const n = (c: string) => s.filter((x) => x.change === c).length;
  return { added: n('added'), removed: n('removed'), changed: n('changed') };
}

const describe = (f: FileFacts) => `${f.path} (${f.format === 'json' ? 'baseline' : 'ELF'}, ${f.machine}${f.buildId ? `, build-id ${f.buildId}` : ''})`;
const surfaceLine = (c: AbiSurfaceCounts) => `${c.symbols} symbols (${c.withDebugInfo} with debug info), ${c.types} types reached`;

function symbolLine(s: SymbolDiff): string {
  const sig = (x: SurfaceSymbol | undefined) => x?.signature ?? x?.name ?? '';
  const gpl = (x: SurfaceSymbol) => (x.gplOnly ? 'EXPORT_SYMBOL_GPL' : 'EXPORT_SYMBOL');
  if (s.change === 'added') return `  + ${sig(s.new)}`;
  if (s.change === 'removed') return `  - ${sig(s.old)}`;
  const parts = s.changes.map((c) => {
    if (c === 'signature') return `signature ${sig(s.old)} -> ${sig(s.new)}`;
    if (c === 'kind') return `kind ${s.old!.kind} -> ${s.new!.kind}`;
    if (c === 'gpl') return `${gpl(s.old!)} -> ${gpl(s.new!)}`;
    return `namespace ${s.old!.namespace ?? '(none)'} -> ${s.new!.namespace ?? '(none)'}`;
  });
  return `  ~ ${s.symbol}: ${parts.join(', ')}`;
}

export function renderAbiText(r: AbiRenderInput): string {
  const { d } = r;
  const c = counts(d.layout);
  const sc = symbolCounts(d.symbols);
  const lines = [`--- ${describe(d.layout.old)}: ${surfaceLine(r.surfaces.old)}`, `+++ ${describe(d.layout.new)}: ${surfaceLine(r.surfaces.new)}`];
  lines.push(`symbols: ${sc.added} added, ${sc.removed} removed, ${sc.changed} changed`);
  for (const s of d.symbols) lines.push(symbolLine(s));
  for (const n of d.missing.new) lines.push(`  ! ${n}: listed in --symbols, not exported by the new build`);
  lines.push(`types reached: ${c.added} added, ${c.removed} removed, ${c.changed} changed`);
  if (d.types.length) lines.push('', renderDiffTable(d.layout));
  for (const t of d.types) {
    lines.push('', `${t.kind} ${t.name}: ${t.change}`);
    for (const m of t.members) lines.push(renderMemberChange(m));
    const n = t.reachedFrom.length;
    lines.push(`  reached from ${n} symbol${n === 1 ? '' : 's'}${n > r.maxPaths ? ` (first ${r.maxPaths}; -v for all)` : ''}:`);
    for (const p of t.reachedFrom.slice(0, r.maxPaths)) lines.push(`    ${p.path.join(' → ')}`);
  }
  if (r.regressions.size) {
    lines.push('', 'regressions:');
    for (const [k, names] of r.regressions) lines.push(`  ${k}: ${names.join(', ')}`);
  }
  return lines.join('\n') + '\n';
}

/** The table of symbol changes, then the table of type changes with the number of symbols reaching each. */
export function renderAbiTable(r: AbiRenderInput): string {
  const sym = new Table({ head: ['symbol', 'change', 'what'], style: { head: [], border: [] } });
  for (const s of r.d.symbols) sym.push([s.symbol, s.change, s.changes.join(', ')]);
  const types = new Table({ head: ['type', 'change', 'symbols', 'first path'], style: { head: [], border: [] } });
  for (const t of r.d.types) types.push([`${t.kind} ${t.name}`, t.change, String(t.reachedFrom.length), t.reachedFrom[0]?.path.join(' → ') ?? '']);
  return `${sym.toString()}\n${types.toString()}`;
}
