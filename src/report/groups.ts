/**
 * Cacheline groups in pahole's comment style, printed after a struct's summary when it has
 * `__cacheline_group_begin/end` markers (src/layout/groups.ts computes them). Pure.
 */
import type { CachelineGroup, GroupReport } from '../layout/groups.js';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The comment lines for one struct's groups (each ending in a newline), '' when there are none. */
export function groupsComment(report: GroupReport | undefined, ind: string): string {
  if (!report || (!report.groups.length && !report.unpaired.length)) return '';
  let out = `\n${ind}/* cacheline groups: ${report.groups.length} (${report.cachelineSize}-byte cachelines) */\n`;
  for (const g of report.groups) {
    out += `${ind}/* ${g.name}: offset: ${g.begin}, size: ${g.size}, members: ${g.members.length}, cachelines: ${g.cachelines} */\n`;
    if (g.cachelines > g.minCachelines) out += `${ind}/* XXX ${g.name} spans ${plural(g.cachelines, 'cacheline')}, its size needs ${g.minCachelines} */\n`;
    for (const [other, names] of sharingByGroup(g)) out += `${ind}/* ${g.name} shares cachelines with ${other}: ${names.join(', ')} */\n`;
  }
  for (const name of report.unpaired) out += `${ind}/* XXX ${name} has no matching marker */\n`;
  return out;
}

/** Members of other groups in a group's cachelines, by group, in offset order. */
export function sharingByGroup(g: CachelineGroup): Map<string, string[]> {
  const by = new Map<string, string[]>();
  for (const s of g.sharing) {
    const list = by.get(s.group);
    if (list) list.push(s.member);
    else by.set(s.group, [s.member]);
  }
  return by;
}

/** The group report as JSON (schema/show.schema.json `groups`). */
export function groupsJson(report: GroupReport): object[] {
  return report.groups.map((g) => ({
    name: g.name,
    offset: g.begin,
    end: g.end,
    size: g.size,
    ...(g.alignment !== undefined ? { alignment: g.alignment } : {}),
    firstMemberOffset: g.firstOffset ?? null,
    lastMemberEnd: g.lastEnd ?? null,
    cachelines: g.cachelines,
    minCachelines: g.minCachelines,
    members: g.members.map((m) => m.name),
    sharedWith: g.sharing.map((s) => ({ group: s.group, member: s.member, offset: s.offset })),
  }));
}
