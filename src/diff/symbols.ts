/**
 * The exported symbols of two builds compared (`diff --abi`): added, removed, and changed in
 * signature, kind, GPL-ness (EXPORT_SYMBOL → EXPORT_SYMBOL_GPL breaks non-GPL modules) or
 * namespace. Symbols are keyed by name and version (`vlib_call@VLIB_1.0`), as abidiff keys them.
 * Pure.
 */

/** An exported symbol as the surface keeps it (also the JSON baseline's form). */
export interface SurfaceSymbol {
  name: string;
  version?: string;
  kind: 'function' | 'object' | null;
  gplOnly: boolean;
  namespace?: string;
  /** The prototype or declaration from the debug info (`int api(struct pub *)`); absent without one. */
  signature?: string;
}

export type SymbolChange = 'signature' | 'kind' | 'gpl' | 'namespace';

export interface SymbolDiff {
  /** `name` or `name@version`. */
  symbol: string;
  change: 'added' | 'removed' | 'changed';
  /** For changed symbols: what changed. */
  changes: SymbolChange[];
  old?: SurfaceSymbol;
  new?: SurfaceSymbol;
}

export const symbolKey = (s: SurfaceSymbol): string => (s.version ? `${s.name}@${s.version}` : s.name);

/** Removed and changed in old order, then added in new order. */
export function diffSymbols(olds: readonly SurfaceSymbol[], news: readonly SurfaceSymbol[]): SymbolDiff[] {
  const byKey = (l: readonly SurfaceSymbol[]) => {
    const m = new Map<string, SurfaceSymbol>();
    for (const s of l) if (!m.has(symbolKey(s))) m.set(symbolKey(s), s); // the first entry of a key counts
    return m;
  };
  const o = byKey(olds);
  const n = byKey(news);
  const out: SymbolDiff[] = [];
  for (const [key, a] of o) {
    const b = n.get(key);
    if (!b) {
      out.push({ symbol: key, change: 'removed', changes: [], old: a });
      continue;
    }
    const changes: SymbolChange[] = [];
    if (a.signature !== undefined && b.signature !== undefined && a.signature !== b.signature) changes.push('signature');
    if (a.kind !== null && b.kind !== null && a.kind !== b.kind) changes.push('kind');
    if (a.gplOnly !== b.gplOnly) changes.push('gpl');
    if ((a.namespace ?? '') !== (b.namespace ?? '')) changes.push('namespace');
    if (changes.length) out.push({ symbol: key, change: 'changed', changes, old: a, new: b });
  }
  for (const [key, b] of n) if (!o.has(key)) out.push({ symbol: key, change: 'added', changes: [], new: b });
  return out;
}

/**
 * A kABI / GKI symbol list (`--symbols FILE`): one name a line; `#` starts a comment; blank lines
 * and surrounding white space are ignored. Bracketed section headers of Android's lists
 * (`[abi_symbol_list]`) are ignored too.
 */
export function parseSymbolList(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    if (line === '' || /^\[.*\]$/.test(line)) continue;
    out.push(line);
  }
  return out;
}

/** `--suppress FILE` rules (README: "ABI surface"). */
export interface Suppressions {
  /** `kind name`. */
  types: Set<string>;
  /** `kind name::member`. */
  members: Set<string>;
  symbols: Set<string>;
}

/**
 * One rule a line, `#` comments: `type struct foo` (or `type foo`: every kind of that name),
 * `member struct foo::bar`, `symbol NAME`. Throws an Error naming the line for anything else.
 */
export function parseSuppressions(text: string, kinds: readonly string[] = ['struct', 'union', 'class', 'enum']): Suppressions {
  const out: Suppressions = { types: new Set(), members: new Set(), symbols: new Set() };
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/#.*/, '').trim();
    if (line === '') return;
    const m = /^(type|member|symbol)\s+(.+)$/.exec(line);
    if (!m) throw new Error(`line ${i + 1}: '${line}' is not 'type NAME', 'member TYPE::MEMBER' or 'symbol NAME'`);
    const arg = m[2]!.replace(/\s+/g, ' ');
    if (m[1] === 'symbol') out.symbols.add(arg);
    else if (m[1] === 'type') for (const k of withKind(arg, kinds)) out.types.add(k);
    else {
      const sep = arg.lastIndexOf('::');
      if (sep <= 0 || sep + 2 >= arg.length) throw new Error(`line ${i + 1}: 'member ${arg}' is not 'member TYPE::MEMBER'`);
      for (const k of withKind(arg.slice(0, sep), kinds)) out.members.add(`${k}::${arg.slice(sep + 2)}`);
    }
  });
  return out;
}

/** `struct foo` stays; a bare `foo` means every kind of that name. */
function withKind(name: string, kinds: readonly string[]): string[] {
  const sp = name.indexOf(' ');
  if (sp > 0 && kinds.includes(name.slice(0, sp))) return [name];
  return kinds.map((k) => `${k} ${name}`);
}
