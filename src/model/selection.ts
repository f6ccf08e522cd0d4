/**
 * Which types a query asks for (the CLI's filters, as plain data) and the -C name matchers.
 * Here, not in report, because both report (selecting from a TypeTable) and diff (selecting from a
 * saved JSON baseline's facts) apply it.
 */

/** Which types to show. */
export interface Selection {
  /** -C: exact names and `/REGEX/` patterns. Empty or undefined: every printable type. */
  classes?: string[];
  /** Only structs (and classes) / only unions. */
  structs?: boolean;
  unions?: boolean;
  /** Leave out names starting with any of these prefixes. */
  exclude?: string[];
  /** Only names starting with one of these prefixes (pahole -y/--prefix_filter). */
  prefix?: string[];
  /** Every distinct definition of a name, not only the first (pahole prints the first). */
  allDefinitions?: boolean;
  /**
   * A -C name that names a typedef selects the typedef itself, as pahole -C prints it (`typedef
   * struct foo foo_t;`). Otherwise the struct or union the typedef names is selected.
   */
  typedefs?: boolean;
}

export type Matcher = { pattern: string; test: (name: string) => boolean };

/** Split `-C a,b,/re/` arguments into matchers; a `/.../` item is a regular expression. */
export function parseClassPatterns(args: string[]): Matcher[] {
  const out: Matcher[] = [];
  for (const arg of args) {
    for (const item of splitPatterns(arg)) {
      if (isRegexPattern(item)) {
        const re = new RegExp(item.slice(1, -1));
        out.push({ pattern: item, test: (n) => re.test(n) });
      } else out.push({ pattern: item, test: (n) => n === item });
    }
  }
  return out;
}

/** Commas separate names, except inside a /regex/ and inside `<...>` or `(...)` (Rust and C++ type arguments, tuples). */
export function splitPatterns(arg: string): string[] {
  const items: string[] = [];
  let cur = '';
  let inRegex = false;
  let nest = 0;
  for (const ch of arg) {
    if (!inRegex) {
      if (ch === '<' || ch === '(') nest++;
      else if ((ch === '>' && !cur.endsWith('-')) || ch === ')') nest = Math.max(0, nest - 1);
    }
    if (ch === ',' && !inRegex && nest === 0) {
      if (cur) items.push(cur);
      cur = '';
      continue;
    }
    if (ch === '/') inRegex = cur === '' ? true : inRegex ? false : inRegex;
    cur += ch;
  }
  if (cur) items.push(cur);
  return items;
}

/** The -C items when every one is an exact name (no /REGEX/, no `::` path); undefined otherwise. */
/** A -C item written as /REGEX/ (not a name). */
export function isRegexPattern(item: string): boolean {
  return item.length > 2 && item.startsWith('/') && item.endsWith('/');
}

export function exactClassNames(sel: Selection): string[] | undefined {
  if (!sel.classes?.length) return undefined;
  const names = parseClassPatterns(sel.classes).map((m) => m.pattern);
  // a path (`rust_types::Shape`) is no single DW_AT_name a unit could be searched for
  return names.some((n) => isRegexPattern(n) || n.includes('::')) ? undefined : names;
}
