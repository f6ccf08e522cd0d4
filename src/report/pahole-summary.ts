/**
 * The comment block that closes a struct in pahole's output (dwarves_fprintf.c
 * __class__fprintf's statistics, class__fprintf_member_type_holes in 1.31): size, holes,
 * paddings, forced alignments, cachelines, the accounting check, cacheline groups.
 */
import type { Layout, LayoutSummary, MemberTypeFacts } from '../layout/types.js';
import type { Dialect } from './pahole-conf.js';
import { plural } from './pahole-format.js';
import { groupsComment } from './groups.js';

/** pahole 1.31 class__fprintf_member_type_holes(): "a flexible array, 4 bytes of padding, 1 hole". */
export function memberTypeFactsText(f: MemberTypeFacts): string {
  const parts: string[] = [];
  if (f.flexibleArray) parts.push('a flexible array');
  if (f.embeddedFlexibleArray) parts.push('embedded flexible array(s)');
  if (f.padding) parts.push(`${f.padding} byte${plural(f.padding)} of padding`);
  if (f.bitPadding) parts.push(`${f.bitPadding} bit${plural(f.bitPadding)} of padding`);
  if (f.holes) parts.push(`${f.holes} hole${plural(f.holes)}`);
  if (f.bitHoles) parts.push(`${f.bitHoles} bit hole${plural(f.bitHoles)}`);
  return parts.join(', ');
}

/** pahole 1.31's `/* member types with holes: N, total: N, bit holes: …, bit paddings: … *\/`. */
function memberTypesLine(s: LayoutSummary, ind: string): string {
  const parts: string[] = [];
  if (s.memberTypesWithHoles > 0) parts.push(`holes: ${s.memberTypesWithHoles}, total: ${s.memberTypesTotalHoles}`);
  if (s.memberTypesWithBitHoles > 0) parts.push(`bit holes: ${s.memberTypesWithBitHoles}, total: ${s.memberTypesTotalBitHoles}`);
  if (s.memberTypesWithBitPaddings > 0) {
    const n = s.memberTypesSumBitPaddings;
    parts.push(`bit paddings: ${s.memberTypesWithBitPaddings}, total: ${n} bit${n > 1 ? 's' : ''}`);
  }
  return parts.length ? `${ind}/* member types with ${parts.join(', ')} */\n` : '';
}

/** pahole 1.31's `/* flexible array members: end: N, middle: M *\/`. */
function flexibleArraysLine(s: LayoutSummary, ind: string): string {
  const parts: string[] = [];
  if (s.flexibleArrayMembersEnd > 0) parts.push(`end: ${s.flexibleArrayMembersEnd}`);
  if (s.flexibleArrayMembersMiddle > 0) parts.push(`middle: ${s.flexibleArrayMembersMiddle}`);
  return parts.length ? `${ind}/* flexible array members: ${parts.join(', ')} */\n` : '';
}

/** The statistics comments after a struct's members, each line indented by `ind`. */
export function statsComment(layout: Layout, ind: string, dialect: Dialect): string {
  const s = layout.summary;
  let out = `\n${ind}/* size: ${s.size}, cachelines: ${s.cachelines}, members: ${s.members}`;
  out += s.staticMembers !== 0 ? `, static members: ${s.staticMembers} */\n` : ' */\n';
  if (s.sumHoles > 0 || s.sumBitHoles > 0) {
    if (s.sumMembers > 0) {
      out += `${ind}/* sum members: ${s.sumMembers}`;
      if (s.sumHoles > 0) out += `, holes: ${s.holes}, sum holes: ${s.sumHoles}`;
      out += ' */\n';
    }
    if (s.sumBitfieldMembers > 0) {
      out += `${ind}/* sum bitfield members: ${s.sumBitfieldMembers} bits`;
      if (s.sumBitHoles > 0) out += `, bit holes: ${s.bitHoles}, sum bit holes: ${s.sumBitHoles} bits`;
      else out += ` (${Math.floor(s.sumBitfieldMembers / 8)} bytes)`;
      out += ' */\n';
    }
  }
  if (s.padding > 0) out += `${ind}/* padding: ${s.padding} */\n`;
  if (dialect.memberTypeSummary) out += memberTypesLine(s, ind);
  if (s.paddings > 0) out += `${ind}/* paddings: ${s.paddings}, sum paddings: ${s.sumPaddings} */\n`;
  if (s.bitPadding > 0) out += `${ind}/* bit_padding: ${s.bitPadding} bits */\n`;
  if (s.forcedAlignments !== 0) {
    out += `${ind}/* forced alignments: ${s.forcedAlignments}`;
    if (s.forcedHoles !== 0) out += `, forced holes: ${s.forcedHoles}, sum forced holes: ${s.sumForcedHoles}`;
    out += ' */\n';
  }
  if (dialect.memberTypeSummary) out += flexibleArraysLine(s, ind);
  if (s.lastCacheline !== 0) out += `${ind}/* last cacheline: ${s.lastCacheline} bytes */\n`;
  if (s.accountingDiff !== 0 && s.members !== 0) {
    out +=
      `\n${ind}/* BRAIN FART ALERT! ${s.size} bytes != ${s.sumMembers} (member bytes) + ${s.sumBitfieldMembers} (member bits) ` +
      `+ ${s.sumHoles} (byte holes) + ${s.sumBitHoles} (bit holes), diff = ${s.accountingDiff} bits */\n`;
  }
  return out + groupsComment(layout.groups, ind);
}
