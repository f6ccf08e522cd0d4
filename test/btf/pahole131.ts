/**
 * Until structscope prints pahole 1.31's text dialect (`--pahole 1.31`, another change), its
 * output is compared with pahole 1.31's after dropping what only 1.31 prints. Lossy on purpose and
 * small: when the dialect lands, compare exactly and delete this file.
 *  - empty lines (1.31 adds one after every type and around the summary lines below);
 *  - `/* member types with holes|bit holes|bit paddings: … *\/`, `/* flexible array members: … *\/`;
 *  - `/* XXX last struct has …` is cut back to 1.24's `N bytes of padding` or dropped when it
 *    names no padding (holes and flexible arrays are 1.31-only).
 */
export function normalize131(text: string): string {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    if (/^\s*\/\* (member types with (holes|bit holes|bit paddings)|flexible array members): .* \*\/$/.test(line)) continue;
    const last = /^(\s*)\/\* XXX last struct has (.*) \*\/$/.exec(line);
    if (last) {
      const pad = /(\d+) bytes? of padding/.exec(last[2]!);
      if (pad) out.push(`${last[1]}/* XXX last struct has ${pad[1]} byte${pad[1] === '1' ? '' : 's'} of padding */`);
      continue;
    }
    out.push(line);
  }
  return out.join('\n');
}

/** The same for structscope's (1.24) text: only the empty lines go. */
export function normalize124(text: string): string {
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .join('\n');
}
