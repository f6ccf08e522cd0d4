/**
 * `diff --abi`: the layout diff restricted to the ABI surface, with the symbols that reach each
 * changed type, and the exported symbols compared. Pure: the sides come in as facts (an ELF file
 * analysed, or a saved baseline), each with what its surface reaches.
 */
import { diffLayouts, type DiffResult, type TypeDiff } from './compare.js';
import type { FileFacts, TypeFacts } from './facts.js';
import { regressions, type FailOnKind } from './regressions.js';
import type { RootPath } from './surface.js';
import { diffSymbols, symbolKey, type Suppressions, type SurfaceSymbol, type SymbolDiff } from './symbols.js';

/** One build's surface as the diff needs it. */
export interface AbiSide {
  file: FileFacts;
  /** The exported symbols (restricted by --symbols), with signatures where debug info gives them. */
  symbols: SurfaceSymbol[];
  /** Layouts of the named types the surface reaches. */
  types: TypeFacts[];
  /** Roots reaching a type (`kind name`), with one shortest path each; undefined for a baseline. */
  pathsTo?: (key: string) => RootPath[];
}

export interface AbiTypeDiff extends TypeDiff {
  /** Every exported symbol that reaches the type (in NEW, else in OLD), with one shortest path. */
  reachedFrom: RootPath[];
}

export interface AbiDiffResult {
  layout: DiffResult;
  types: AbiTypeDiff[];
  symbols: SymbolDiff[];
  /** Names of a --symbols list that a side does not export. */
  missing: { old: string[]; new: string[] };
}

export interface AbiDiffOptions {
  suppress?: Suppressions;
  /** --symbols: the listed names (absent ones are reported as missing). */
  symbolList?: readonly string[];
}

export function diffAbi(oldS: AbiSide, newS: AbiSide, opts: AbiDiffOptions = {}): AbiDiffResult {
  const sup = opts.suppress;
  const layout = diffLayouts({ file: oldS.file, types: oldS.types }, { file: newS.file, types: newS.types });
  const types: AbiTypeDiff[] = [];
  for (const t of layout.types) {
    const key = `${t.kind} ${t.name}`;
    if (sup?.types.has(key)) continue;
    const members = sup ? t.members.filter((m) => m.name === null || !sup.members.has(`${key}::${m.name}`)) : t.members;
    if (t.change === 'changed' && members.length === 0 && sameSummary(t)) continue;
    const reached = newS.pathsTo?.(key) ?? [];
    const reachedFrom = (reached.length ? reached : (oldS.pathsTo?.(key) ?? [])).filter((p) => !sup?.symbols.has(p.symbol));
    types.push({ ...t, members, reachedFrom });
  }
  const symbols = diffSymbols(oldS.symbols, newS.symbols).filter((s) => !sup?.symbols.has((s.new ?? s.old)!.name));
  const missingOf = (side: AbiSide) => {
    if (!opts.symbolList) return [];
    const have = new Set(side.symbols.flatMap((s) => [s.name, symbolKey(s)]));
    return opts.symbolList.filter((n) => !have.has(n));
  };
  return { layout: { ...layout, types }, types, symbols, missing: { old: missingOf(oldS), new: missingOf(newS) } };
}

function sameSummary(t: TypeDiff): boolean {
  return t.old !== undefined && t.new !== undefined && Object.keys(t.old).every((k) => t.old![k as keyof typeof t.old] === t.new![k as keyof typeof t.new]);
}

/** What --fail-on gates on: the layout regressions of the surface, plus removed symbols and changed signatures. */
export function abiRegressions(d: AbiDiffResult): Map<FailOnKind, string[]> {
  const out = regressions(d.layout);
  const add = (k: FailOnKind, name: string) => out.set(k, [...(out.get(k) ?? []), name]);
  for (const s of d.symbols) {
    if (s.change === 'removed') add('symbol-removed', s.symbol);
    if (s.changes.includes('signature') || s.changes.includes('kind')) add('signature', s.symbol);
    if (s.changes.includes('gpl') && s.new?.gplOnly) add('signature', s.symbol);
    add('any', s.symbol);
  }
  for (const n of d.missing.new) add('symbol-removed', n);
  return out;
}
