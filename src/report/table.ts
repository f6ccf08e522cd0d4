import Table from 'cli-table3';
import type { LayoutSummary } from '../layout/types.js';
import { spreadGroups, type GroupReport } from '../layout/groups.js';

/** One row of `--format table`. */
export interface OverviewRow {
  name: string;
  kind: string;
  summary: LayoutSummary;
  /** Bytes pahole's reorganize would save (--packable), 0 when none. */
  savings: number;
  /** Kernel cacheline groups, when the struct has markers (adds a `groups` column). */
  groups?: GroupReport;
}

import { SORT_FIELDS, type SortField } from './sort-fields.js';

export { SORT_FIELDS, type SortField };

/** A cli-table3 overview of many types; numeric sorts are descending (largest first). */
export function renderOverview(rows: OverviewRow[], sort?: SortField): string {
  const sorted = [...rows];
  if (sort === 'name') sorted.sort((a, b) => a.name.localeCompare(b.name));
  else if (sort) {
    const key = (r: OverviewRow) => (sort === 'savings' ? r.savings : r.summary[sort]);
    sorted.sort((a, b) => key(b) - key(a) || a.name.localeCompare(b.name));
  }
  // the groups column only when some type has cacheline groups: `3 (1 spread)`, spread = spans more lines than needed
  const withGroups = sorted.some((r) => r.groups);
  const groupsCell = (r: OverviewRow) => (r.groups ? `${r.groups.groups.length}${spreadGroups(r.groups).length ? ` (${spreadGroups(r.groups).length} spread)` : ''}` : '');
  const table = new Table({
    head: ['type', 'size', 'members', 'holes', 'sum holes', 'padding', 'cachelines', 'savings', ...(withGroups ? ['groups'] : [])],
    // a rule under the header only (compact), numbers right-aligned
    colAligns: ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right', ...(withGroups ? ['right' as const] : [])],
    style: { head: [], border: [], compact: true },
  });
  for (const r of sorted) {
    const s = r.summary;
    table.push([`${r.kind} ${r.name}`, s.size, s.members, s.holes, s.sumHoles, s.padding, s.cachelines, r.savings, ...(withGroups ? [groupsCell(r)] : [])]);
  }
  return table.toString();
}
