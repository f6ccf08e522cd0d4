/**
 * structscope's cacheline-group comment block (only structs with kernel group markers have it;
 * test/cli/groups.test.ts checks it), removed to compare the rest with pahole, which has none.
 */
export const withoutGroups = (text: string): string => text.replace(/\n\t\/\* cacheline groups: [^\n]*\*\/\n(?:\t\/\*[^\n]*\*\/\n)*/g, '');
