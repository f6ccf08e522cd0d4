/**
 * Names as numbers for type signatures (identity.ts): one id per distinct string content, whatever
 * form or section offset reached it, without a JavaScript string per name read. A string section
 * offset is looked up once (a typed array over the section); inline strings are short and packed.
 */
import { StrKind } from './dies.js';
import type { ScannedUnit } from './scanned.js';
import { HashChains } from '../util/hash-chains.js';

/**
 * Ids of names: below every marker and every value a signature holds next to them. Short strings
 * are SHORT_BASE - packed (packed < 2^25), longer ones LONG_BASE - index (index >= 1).
 */
const SHORT_BASE = -(2 ** 50);
const LONG_BASE = -(2 ** 51);
export const NO_NAME = -1e15 - 16;
export const BAD_NAME = -1e15 - 17;

export class NameIds {
  /**
   * Longer strings, by content, without a JavaScript string each (inline names are not cached by
   * offset, so this is looked up per name read): a hash table of byte runs kept in `pool`. Entry e
   * is index e + 1, in order of first sight.
   */
  private readonly chains = new HashChains();
  private start = new Int32Array(1 << 10);
  private length = new Int32Array(1 << 10);
  private pool = new Uint8Array(1 << 16);
  private poolLen = 0;
  /** Per string section: offset → id cache (0: not looked up yet; see cached()). */
  private readonly bySection = new WeakMap<Uint8Array, Int32Array>();
  /** The .debug_str of the last unit asked about and its cache (one WeakMap lookup per unit, not per name). */
  private strBytes: Uint8Array | undefined;
  private strCacheOf: Int32Array = new Int32Array(0);

  /** The cache of unit u's .debug_str: offset → NameIds.decode() argument, 0 when not looked up yet. */
  strCache(u: ScannedUnit): Int32Array {
    const str = this.strBytesOf(u);
    if (str !== this.strBytes) {
      this.strBytes = str;
      this.strCacheOf = str ? this.cacheOf(str) : new Int32Array(0);
    }
    return this.strCacheOf;
  }

  /** The .debug_str bytes strCache() last answered for (that unit's Strp names). */
  strBytesOf(u: ScannedUnit): Uint8Array | undefined {
    return u.src.sec.str?.bytes;
  }

  /** The cache entry of an id (the inverse of decode()). */
  static encode(id: number): number {
    return id <= LONG_BASE ? LONG_BASE - id : id - SHORT_BASE;
  }

  /**
   * Whether the string at bytes[offset] has id `id`, without hashing it: a short id is compared
   * with the string's packed bytes, a long one with the bytes kept for it.
   */
  isAt(bytes: Uint8Array, offset: number, id: number): boolean {
    if (id <= LONG_BASE) {
      const e = LONG_BASE - id - 1;
      if (e < 0 || e >= this.chains.size) return false;
      const n = this.length[e]!;
      const s = this.start[e]!;
      if (offset + n > bytes.length) return false;
      const pool = this.pool;
      for (let k = 0; k < n; k++) if (bytes[offset + k] !== pool[s + k]) return false;
      return offset + n === bytes.length || bytes[offset + n] === 0;
    }
    if (id > SHORT_BASE || id < LONG_BASE) return false; // a marker (NO_NAME, BAD_NAME): never a string's id
    let packed = 1;
    for (let p = offset; p < bytes.length; p++) {
      const c = bytes[p]!;
      if (c === 0) break;
      if (p - offset === 3) return false; // longer than a short id holds
      packed = packed * 256 + c;
    }
    return SHORT_BASE - packed === id;
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
    cache[offset] = NameIds.encode(id);
    return id;
  }

  /**
   * The id of the NUL-terminated string at bytes[offset] (to the section's end when unterminated):
   * strings of up to 3 bytes are their bytes packed under a leading 1 (no lookup); longer ones an
   * index in order of first sight.
   */
  idOf(bytes: Uint8Array, offset: number): number {
    let end = offset;
    let h = 0x811c9dc5;
    for (; end < bytes.length; end++) {
      const c = bytes[end]!;
      if (c === 0) break;
      h = Math.imul(h ^ c, 0x01000193);
    }
    const n = end - offset;
    if (n <= 3) {
      let packed = 1;
      for (let p = offset; p < end; p++) packed = packed * 256 + bytes[p]!;
      return SHORT_BASE - packed;
    }
    const pool = this.pool;
    const chains = this.chains;
    h |= 0;
    for (let e = chains.first(h); e >= 0; e = chains.next(e)) {
      if (chains.hash(e) !== h || this.length[e] !== n) continue;
      const s = this.start[e]!;
      let k = 0;
      while (k < n && pool[s + k] === bytes[offset + k]) k++;
      if (k === n) return LONG_BASE - (e + 1);
    }
    return LONG_BASE - (this.add(bytes, offset, n, h) + 1);
  }

  /** Keep a new long string's bytes; returns its entry. */
  private add(bytes: Uint8Array, offset: number, n: number, h: number): number {
    if (this.poolLen + n > this.pool.length) {
      const grown = new Uint8Array(Math.max(this.pool.length * 2, this.poolLen + n));
      grown.set(this.pool.subarray(0, this.poolLen));
      this.pool = grown;
    }
    this.pool.set(bytes.subarray(offset, offset + n), this.poolLen);
    const e = this.chains.add(h);
    if (e === this.start.length) {
      this.start = growInt32(this.start);
      this.length = growInt32(this.length);
    }
    this.start[e] = this.poolLen;
    this.length[e] = n;
    this.poolLen += n;
    return e;
  }
}

function growInt32(a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const g = new Int32Array(a.length * 2);
  g.set(a);
  return g;
}
