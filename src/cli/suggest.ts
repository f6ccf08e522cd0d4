/** "did you mean …?" for an unknown option: the known spelling nearest by edit distance. */

/** Levenshtein distance (insertions, deletions, substitutions), case-sensitive. */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]!;
}

/**
 * The option (as typed: `--name` or `-x`) nearest to `arg` (an unknown argument as yargs names it,
 * without dashes), when it is near enough to be a typo: at most a third of its length away.
 * `-` and `_` count as the same character, as pahole spells with `_` and structscope with `-`.
 */
export function closestOption(arg: string, known: readonly string[]): string | undefined {
  const norm = (s: string) => s.replace(/^-+/, '').replace(/_/g, '-');
  const want = norm(arg);
  let best: { name: string; d: number; sameStyle: boolean } | undefined;
  for (const k of known) {
    if (k.length < 2 || k.startsWith('$') || /[A-Z].*[a-z]|[a-z].*[A-Z]/.test(k)) continue; // skip yargs' camelCase copies
    const d = editDistance(want, norm(k));
    // on a tie, the spelling in the user's style (pahole's `_` or structscope's `-`)
    const sameStyle = arg.includes('_') === k.includes('_');
    if (!best || d < best.d || (d === best.d && sameStyle && !best.sameStyle)) best = { name: k, d, sameStyle };
  }
  if (!best || best.d > Math.max(1, Math.floor(want.length / 3))) return undefined;
  return `--${best.name}`;
}
