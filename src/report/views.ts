/** Text of a BTF-against-DWARF comparison (diff/views.ts). Pure. */
import { reasonCounts, VIEW_REASONS, type ViewDifference } from '../diff/views.js';

export function renderViews(v: readonly ViewDifference[], btf: 'old' | 'new'): string {
  const only = (r: 'only-btf' | 'only-dwarf') => v.filter((x) => x.reasons.includes(r)).length;
  const differ = v.length - only('only-btf') - only('only-dwarf');
  let out = `BTF (${btf}) against DWARF (${btf === 'old' ? 'new' : 'old'}) of one build: ${differ} type(s) differ, ${only('only-dwarf')} only in DWARF, ${only('only-btf')} only in BTF\n`;
  for (const x of v) {
    out += `${x.kind} ${x.name}: ${x.reasons.join(', ')}\n`;
    for (const d of x.details) out += `    ${d}\n`;
  }
  const counts = reasonCounts(v);
  if (counts.size) {
    out += 'reasons:\n';
    for (const [r, n] of [...counts].sort((a, b) => b[1] - a[1])) out += `  ${String(n).padStart(6)}  ${r}: ${VIEW_REASONS[r]}\n`;
  }
  return out;
}
