/** What `--fail-on` gates on: kinds of regression found in a DiffResult. Pure. */
import type { DiffResult } from './compare.js';

/** symbol-removed and signature come from `diff --abi` only (diff/abi.ts). */
export const FAIL_ON_KINDS = ['size', 'holes', 'cachelines', 'removed', 'any', 'symbol-removed', 'signature'] as const;
export type FailOnKind = (typeof FAIL_ON_KINDS)[number];

/**
 * The regressions present, each with the types causing it:
 * size: a type grew; holes: a type has more holes or more bytes in holes; cachelines: a type spans
 * more cachelines; removed: a type or a member was removed; any: any added, removed or changed type.
 */
export function regressions(d: DiffResult): Map<FailOnKind, string[]> {
  const out = new Map<FailOnKind, string[]>();
  const add = (k: FailOnKind, name: string) => {
    const list = out.get(k) ?? [];
    if (!list.includes(name)) list.push(name);
    out.set(k, list);
  };
  for (const t of d.types) {
    const name = `${t.kind} ${t.name}`;
    add('any', name);
    if (t.change === 'removed') add('removed', name);
    if (t.change !== 'changed' || !t.old || !t.new) continue;
    if (t.new.size > t.old.size) add('size', name);
    if (t.new.holes > t.old.holes || t.new.sumHoles > t.old.sumHoles) add('holes', name);
    if (t.new.cachelines > t.old.cachelines) add('cachelines', name);
    if (t.members.some((m) => m.change === 'removed')) add('removed', name);
  }
  return out;
}
