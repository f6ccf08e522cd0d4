/** `pahole --packable`: pahole.c print_packable_info() lines for rows the layout step computed. Pure. */
import type { PackableRow } from '../layout/computed.js';

/** One `name\tsize\tnew_size\tsavings` line per row (layout/computed.ts packableRows). */
export function renderPackable(rows: readonly PackableRow[]): string {
  return rows.map((r) => `${r.name}\t${r.size}\t${r.newSize}\t${r.size - r.newSize}\n`).join('');
}
