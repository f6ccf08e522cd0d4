/**
 * `structscope check`: each struct/union/class's DWARF layout against the layout the ABI engine
 * computes (src/layout/abi) — natural, explained by attributes DWARF does not record, unexplained
 * (member by member), or unpredictable. Pure: data in, text or JSON documents out.
 */
import type { InferResult, InferStatus, MemberDifference } from '../layout/abi/index.js';
import { explainMarkerAlignment, spreadGroups, type GroupReport } from '../layout/groups.js';

export const CHECK_SCHEMA_VERSION = 1;

export interface CheckDifference {
  member: string;
  dwarfOffset: number;
  abiOffset: number;
  dwarfSize: number;
  abiSize: number;
}

export interface CheckType {
  name: string;
  kind: 'struct' | 'union' | 'class';
  status: InferStatus;
  /** `packed`, `pack(2)`, `aligned(64) on hot`, … (empty when natural or unpredictable). */
  attributes: string[];
  /** Members the engine places differently (unexplained only). */
  differences: CheckDifference[];
  /** Why the engine cannot lay the type out (unpredictable only). */
  reason?: string;
  /** Kernel cacheline groups that span more cachelines than their size needs (notes, not failures). */
  groups?: string[];
}

export interface CheckTotals {
  natural: number;
  explained: number;
  unexplained: number;
  unpredictable: number;
}

export interface CheckFile {
  path: string;
  /** The ABI descriptor name the engine used (`x86_64`, `arm`, `mipsn32`, …). */
  abi: string;
  types: CheckType[];
  totals: CheckTotals;
}

export interface CheckDocument {
  schemaVersion: number;
  tool: 'structscope';
  command: 'check';
  files: CheckFile[];
}

/** One type's check result from the engine's inference. */
export function checkType(name: string, kind: CheckType['kind'], result: InferResult): CheckType {
  const out: CheckType = {
    name,
    kind,
    status: result.status,
    attributes: result.status === 'explained' || result.status === 'unexplained' ? [...result.explanations] : [],
    differences: result.status === 'unexplained' ? result.differences.map(difference) : [],
  };
  if (result.status === 'unpredictable') out.reason = result.unpredictable ?? 'cannot be laid out';
  return out;
}

/**
 * Cacheline groups in a check result: alignment on a group marker is the macro's purpose and is
 * named so, and a group spanning more cachelines than its size needs is a note under the type.
 */
export function withGroups(t: CheckType, report: GroupReport | undefined): CheckType {
  if (!report) return t;
  const out: CheckType = { ...t, attributes: t.attributes.map(explainMarkerAlignment) };
  const spread = spreadGroups(report).map(
    (g) => `cacheline group ${g.name} spans ${g.cachelines} cachelines (offset ${g.begin}, size ${g.size}), its size needs ${g.minCachelines}`,
  );
  if (spread.length) out.groups = spread;
  return out;
}

function difference(d: MemberDifference): CheckDifference {
  return { member: d.member, dwarfOffset: d.dwarfOffset, abiOffset: d.abiOffset, dwarfSize: d.dwarfSize, abiSize: d.abiSize };
}

export function checkTotals(types: readonly CheckType[]): CheckTotals {
  const totals: CheckTotals = { natural: 0, explained: 0, unexplained: 0, unpredictable: 0 };
  for (const t of types) totals[t.status]++;
  return totals;
}

export function checkFile(path: string, abi: string, types: CheckType[]): CheckFile {
  return { path, abi, types, totals: checkTotals(types) };
}

export function checkDocument(files: CheckFile[]): CheckDocument {
  return { schemaVersion: CHECK_SCHEMA_VERSION, tool: 'structscope', command: 'check', files };
}

/** 1 when any type is unexplained, else 0. */
export function checkExitCode(files: readonly CheckFile[]): number {
  return files.some((f) => f.totals.unexplained > 0) ? 1 : 0;
}

/** One line per type, difference lines indented under unexplained ones, then the totals line. */
export function renderCheckText(file: CheckFile): string {
  const lines: string[] = [];
  for (const t of file.types) {
    const head = `${t.kind} ${t.name}: ${t.status}`;
    switch (t.status) {
      case 'natural':
        lines.push(head);
        break;
      case 'explained':
        lines.push(`${head}: ${t.attributes.join('; ')}`);
        break;
      case 'unpredictable':
        lines.push(`${head}: ${t.reason ?? 'cannot be laid out'}`);
        break;
      case 'unexplained':
        lines.push(t.attributes.length ? `${head} (best guess: ${t.attributes.join('; ')})` : head);
        for (const d of t.differences) lines.push(`    ${renderDifference(d)}`);
        break;
    }
    for (const g of t.groups ?? []) lines.push(`    ${g}`);
  }
  const n = file.totals;
  lines.push(
    `${file.types.length} type${file.types.length === 1 ? '' : 's'}: ${n.natural} natural, ${n.explained} explained, ${n.unexplained} unexplained, ${n.unpredictable} unpredictable (ABI ${file.abi})`,
  );
  return lines.join('\n') + '\n';
}

function renderDifference(d: CheckDifference): string {
  if (d.member === '(size)') return `(size): DWARF ${d.dwarfSize} vs ABI ${d.abiSize}`;
  const offset = d.dwarfOffset === d.abiOffset ? `offset ${d.dwarfOffset}` : `offset DWARF ${d.dwarfOffset} vs ABI ${d.abiOffset}`;
  const size = d.dwarfSize === d.abiSize ? `size ${d.dwarfSize}` : `size DWARF ${d.dwarfSize} vs ABI ${d.abiSize}`;
  return `${d.member}: ${offset}, ${size}`;
}
