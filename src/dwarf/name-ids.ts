/**
 * Names as numbers for type signatures (identity.ts): one id per distinct string content, whatever
 * form or section offset reached it, without a JavaScript string per name read. A string section
 * offset is looked up once (a typed array over the section); inline strings are short and packed.
 */
import { StrKind } from './dies.js';
import type { ScannedUnit } from './scanned.js';

/**
 * Ids of names: below every marker and every value a signature holds next to them. Short strings
 * are SHORT_BASE - packed (packed < 2^25), longer ones LONG_BASE - index (index >= 1).
 */
const SHORT_BASE = -(2 ** 50);
const LONG_BASE = -(2 ** 51);
export const NO_NAME = -1e15 - 16;
export const BAD_NAME = -1e15 - 17;

export class NameIds {
  /** Longer strings (as their bytes in a string) → index. */
  private readonly long = new Map<string, number>();
  /** Per string section: offset → id cache (0: not looked up yet; see cached()). */
  private readonly bySection = new WeakMap<Uint8Array, Int32Array>();
  /** The .debug_str of the last unit asked about and its cache (one WeakMap lookup per unit, not per name). */
  private strBytes: Uint8Array | undefined;
  private strCacheOf: Int32Array = new Int32Array(0);

  /** The cache of unit u's .debug_str: offset → NameIds.decode() argument, 0 when not looked up yet. */
  strCache(u: ScannedUnit): Int32Array {
    const str = u.src.sec.str?.bytes;
    if (str !== this.strBytes) {
      this.strBytes = str;
      this.strCacheOf = str ? this.cacheOf(str) : new Int32Array(0);
    }
    return this.strCacheOf;
  }

  /** The id of a cache entry (not 0). */
  static decode(c: number): number {
    return c > 0 ? LONG_BASE - c : SHORT_BASE + c;
  }

  /** The id of a name attribute (kind, value) of a DIE of unit u. */
  of(u: ScannedUnit, kind: StrKind, value: number): number {
    if (kind === StrKind.None) return NO_NAME;
    const loc = u.src.strings.locate(kind, value, u.section.bytes, u.root.strOffsetsBase ?? 8, u.header.offsetSize);
    if (!loc) return BAD_NAME;
    if (kind === StrKind.Inline) return this.idOf(loc.bytes, loc.offset);
    const cache = this.cacheOf(loc.bytes);
    const c = cache[loc.offset]!;
    return c !== 0 ? NameIds.decode(c) : this.cached(cache, loc.bytes, loc.offset);
  }

  private cacheOf(bytes: Uint8Array): Int32Array {
    let cache = this.bySection.get(bytes);
    if (!cache) {
      cache = new Int32Array(bytes.length);
      this.bySection.set(bytes, cache);
    }
    return cache;
  }

  /** Look the string at bytes[offset] up and cache it: a long string's index + 1, or minus a short one's packed bytes. */
  private cached(cache: Int32Array, bytes: Uint8Array, offset: number): number {
    const id = this.idOf(bytes, offset);
    cache[offset] = id <= LONG_BASE ? LONG_BASE - id : id - SHORT_BASE;
    return id;
  }

  /**
   * The id of the NUL-terminated string at bytes[offset] (to the section's end when unterminated):
   * strings of up to 3 bytes are their bytes packed under a leading 1 (no lookup); longer ones an
   * index in order of first sight.
   */
  idOf(bytes: Uint8Array, offset: number): number {
    let end = offset;
    while (end < bytes.length && bytes[end] !== 0) end++;
    if (end - offset <= 3) {
      let packed = 1;
      for (let p = offset; p < end; p++) packed = packed * 256 + bytes[p]!;
      return SHORT_BASE - packed;
    }
    let s = '';
    for (let p = offset; p < end; p += 4096) s += String.fromCharCode(...bytes.subarray(p, Math.min(end, p + 4096)));
    let index = this.long.get(s);
    if (index === undefined) this.long.set(s, (index = this.long.size + 1));
    return LONG_BASE - index;
  }
}
