/** The fields `--format table` can be sorted by (apart from table.ts so the CLI can name them without loading cli-table3). */
export const SORT_FIELDS = ['name', 'size', 'members', 'holes', 'sumHoles', 'padding', 'cachelines', 'savings'] as const;
export type SortField = (typeof SORT_FIELDS)[number];
