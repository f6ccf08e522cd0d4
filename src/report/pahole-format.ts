/**
 * The printf pieces of pahole's text (dwarves_fprintf.c): tab runs, `%*s` padding, the
 * `/* offset size *\/` comment, cacheline markers, plurals. Precomputed where a dump calls them
 * once per member line (a kernel dump prints ~140 K lines).
 */
import type { CachelineMarker } from '../layout/types.js';

const TAB_RUNS: string[] = Array.from({ length: 16 }, (_, n) => '\t'.repeat(n));

/** n tabs, 0 to 15 (pahole's tabs[] table). */
export function tabs(n: number): string {
  return TAB_RUNS[n < 0 ? 0 : n > 15 ? 15 : n]!;
}

const SPACE_RUNS: string[] = Array.from({ length: 128 }, (_, n) => ' '.repeat(n));

/** n spaces. */
export function spaces(n: number): string {
  return n < SPACE_RUNS.length ? SPACE_RUNS[n < 0 ? 0 : n]! : ' '.repeat(n);
}

/** C printf `%*s` with a one-character argument: width may be negative (left-justify). */
export function padSpaces(width: number): string {
  const w = width < 0 ? -width : width;
  return spaces(w > 1 ? w : 1);
}

/** C printf `%-*s`: left-justify to |width|. */
export function leftJustify(s: string, width: number): string {
  const w = width < 0 ? -width : width;
  return s.length >= w ? s : s + spaces(w - s.length);
}

/** Decimal right-justified to 5 and 2 columns, memoised for the small numbers offsets and sizes are. */
const DEC5: string[] = [];
const DEC2: string[] = [];
const MEMO_LIMIT = 1 << 16;

function dec(n: number, width: number): string {
  if (n >= 0 && n < MEMO_LIMIT && Number.isInteger(n)) {
    const memo = width === 5 ? DEC5 : width === 2 ? DEC2 : undefined;
    if (memo) return (memo[n] ??= String(n).padStart(width));
  }
  return String(n).padStart(width);
}

/** C printf `%#Nx`: no 0x prefix for zero. */
function hexAlt(n: number, width: number): string {
  const s = n === 0 ? '0' : '0x' + (n >>> 0).toString(16);
  return s.padStart(width);
}

/** `/* offset size *\/`, or `/* offset:bit size *\/` for a bit-field. */
export function offsetComment(hex: boolean, offset: number, size: number, bitfieldPos: number | undefined): string {
  if (hex) {
    if (bitfieldPos === undefined) return '/* ' + hexAlt(offset, 5) + ' ' + hexAlt(size, 5) + ' */';
    return '/* ' + hexAlt(offset, 5) + ':' + hexAlt(bitfieldPos, 2) + ' ' + hexAlt(size, 2) + ' */';
  }
  if (bitfieldPos === undefined) return '/* ' + dec(offset, 5) + ' ' + dec(size, 5) + ' */';
  return '/* ' + dec(offset, 5) + ':' + dec(bitfieldPos, 2) + ' ' + dec(size, 2) + ' */';
}

export function cachelineText(m: CachelineMarker): string {
  if (m.ago === 0) return `/* --- cacheline ${m.line} boundary (${m.boundary} bytes) --- */\n`;
  return `/* --- cacheline ${m.line} boundary (${m.boundary} bytes) was ${m.ago} byte${m.ago > 1 ? 's' : ''} ago --- */\n`;
}

export function plural(n: number): string {
  return n !== 1 ? 's' : '';
}

/** DW_ACCESS_* as C++ spells it. */
export function accessName(a: number | undefined): string | undefined {
  switch (a) {
    case 1:
      return 'public';
    case 2:
      return 'protected';
    case 3:
      return 'private';
  }
  return undefined;
}
