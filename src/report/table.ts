import Table from 'cli-table3';
import type { LayoutSummary } from '../layout/types.js';

/** One row of `--format table`. */
export interface OverviewRow {
  name: string;
  kind: string;
  summary: LayoutSummary;
}

export const SORT_FIELDS = ['name', 'size', 'members', 'holes', 'sumHoles', 'padding', 'cachelines'] as const;
export type SortField = (typeof SORT_FIELDS)[number];

/** A cli-table3 overview of many types; numeric sorts are descending (largest first). */
export function renderOverview(rows: OverviewRow[], sort?: SortField): string {
  const sorted = [...rows];
  if (sort === 'name') sorted.sort((a, b) => a.name.localeCompare(b.name));
  else if (sort) sorted.sort((a, b) => b.summary[sort] - a.summary[sort] || a.name.localeCompare(b.name));
  const table = new Table({
    head: ['type', 'size', 'members', 'holes', 'sum holes', 'padding', 'cachelines'],
    style: { head: [], border: [] },
  });
  for (const r of sorted) {
    const s = r.summary;
    table.push([`${r.kind} ${r.name}`, s.size, s.members, s.holes, s.sumHoles, s.padding, s.cachelines]);
  }
  return table.toString();
}
