/**
 * A complexity check for user regular expressions (`-C /REGEX/`): JavaScript's engine backtracks,
 * and a nested quantifier like `(a+)+$` takes exponential time on a long type name. Patterns that
 * can backtrack that way are refused up front: a quantified group holding a quantifier or an
 * alternation, and backreferences. Everything a type-name filter needs (`^foo_`, `_ops$`,
 * `^(task|mm)_struct$`, `[a-z]+_t`) passes.
 */

/** Why `source` is refused, or undefined when it is accepted. */
export function regexProblem(source: string): string | undefined {
  // per open group: does it hold a quantifier or an alternation?
  const groups: { risky: boolean }[] = [{ risky: false }];
  let i = 0;
  const quantifierAt = (k: number): number => {
    // length of a quantifier starting at k, 0 when none
    const c = source[k];
    if (c === '*' || c === '+' || c === '?') return 1;
    if (c === '{') {
      const m = /^\{\d+(,\d*)?\}/.exec(source.slice(k));
      if (m) return m[0].length;
    }
    return 0;
  };
  while (i < source.length) {
    const c = source[i]!;
    if (c === '\\') {
      const next = source[i + 1] ?? '';
      if (/[1-9]/.test(next) || next === 'k') return 'backreferences are not allowed';
      i += 2;
    } else if (c === '[') {
      // character class: skip to its closing bracket
      i++;
      if (source[i] === '^') i++;
      if (source[i] === ']') i++;
      while (i < source.length && source[i] !== ']') i += source[i] === '\\' ? 2 : 1;
      i++;
    } else if (c === '(') {
      groups.push({ risky: false });
      i++;
      if (source[i] === '?') {
        // (?:, (?=, (?!, (?<=, (?<!, (?<name>
        i++;
        if (source[i] === '<' && source[i + 1] !== '=' && source[i + 1] !== '!') while (i < source.length && source[i] !== '>') i++;
        i++;
      }
    } else if (c === ')') {
      const g = groups.pop();
      if (!g || groups.length === 0) return 'unbalanced parentheses';
      i++;
      const q = quantifierAt(i);
      if (q) {
        // any repetition but `?` of a group that can match in several ways backtracks exponentially
        if (g.risky && source[i] !== '?') return 'a repeated group that holds a quantifier or an alternation (like (a+)+) can take exponential time';
        groups[groups.length - 1]!.risky = true;
        i += q;
        if (source[i] === '?') i++;
      } else if (g.risky) groups[groups.length - 1]!.risky = true;
    } else if (c === '|') {
      groups[groups.length - 1]!.risky = true;
      i++;
    } else {
      const q = quantifierAt(i);
      if (q) {
        groups[groups.length - 1]!.risky = true;
        i += q;
        if (source[i] === '?') i++;
      } else i++;
    }
  }
  return undefined;
}
