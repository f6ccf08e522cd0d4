/** The CLI's type selection applied to facts (a JSON baseline has no TypeTable). Pure. */
import { parseClassPatterns, type Selection } from '../model/selection.js';
import type { TypeFacts } from './facts.js';

export interface FactsSelection {
  types: TypeFacts[];
  /** The -C patterns each matched (to report patterns that matched in neither input). */
  hit: Set<string>;
}

export function selectFacts(types: TypeFacts[], sel: Selection): FactsSelection {
  const matchers = sel.classes?.length ? parseClassPatterns(sel.classes) : undefined;
  const hit = new Set<string>();
  const out: TypeFacts[] = [];
  for (const t of types) {
    if (sel.structs && t.kind === 'union') continue;
    if (sel.unions && t.kind !== 'union') continue;
    if (sel.exclude?.some((p) => t.name.startsWith(p))) continue;
    if (matchers) {
      const m = matchers.filter((x) => x.test(t.name));
      if (m.length === 0) continue;
      for (const x of m) hit.add(x.pattern);
    }
    out.push(t);
  }
  return { types: out, hit };
}
