/**
 * Type identity for deduplication as units are read: what makes two struct/union/class/enum
 * definitions the same type, computed from the DIE subtree alone (no member type conversion, so an
 * already-seen definition costs one signature and one comparison). The signature is a list of
 * numbers, compared exactly on a hash hit (no hash-only identity): kind, name, size, alignment,
 * declaration, top level or nested, and per member its name, location, bit-field position and
 * width, alignment, flags and a shallow spelling of its type (names stop the walk; anonymous
 * aggregates are spelled by their contents). Names enter as content ids (name-ids.ts), so the same
 * name reached through different string forms or offsets is the same number.
 */
import { DW_TAG } from './constants.js';
import { DieFlag, RefKind, StrKind } from './dies.js';
import { NameIds } from './name-ids.js';
import { HashChains } from '../util/hash-chains.js';
import { isNamedTypeTag, subrangeCount, type ScannedUnit } from './scanned.js';

/** Most anonymous aggregates spelled inside one definition: depth 8 alone allows members^8. */
const MAX_NESTED = 1024;

/** Markers in a signature (never a DWARF tag or a size). */
const NO_TYPE = -1e15 - 1;
const OTHER_UNIT = -1e15 - 2;
const NO_DIE = -1e15 - 3;
const ABSENT = -1e15 - 4; // NaN (an absent attribute)
/** Ends an aggregate's children and an array's dimensions (the signature parses one way only). */
const END = -1e15 - 5;
/** DW_LANG_Rust (its units name types by namespace path). */
const DW_LANG_RUST = 0x1c;

/** Candidates a lookup compares in place before building the whole signature. */
const MAX_TRIES = 3;
/** sigRaw/raw entry of a value that is not a name read from .debug_str. */
const NO_RAW = -1;
/** Room for a .debug_str offset below a section's number in a raw entry. */
const RAW_SECTION = 2 ** 40;
/** String sections numbered at most (raw entries stay exact below 2^53); later ones take no shortcut. */
const MAX_RAW_SECTIONS = 2 ** 12;

export class AggregateIdentity {
  private readonly names = new NameIds();
  /** The signature being built (lookup), kept for remember(). */
  private sig = new Float64Array(256);
  private len = 0;
  private h = 0;
  private nested = 0;
  /** names.strCache() of the unit being looked at. */
  private strCache: Int32Array = new Int32Array(0);
  /**
   * Compare mode (compareWith): push() and name() check each value against the pool from
   * `cmpAt` instead of recording it; `cmpEnd` ends the candidate; `mismatch` stops the walk.
   */
  private comparing = false;
  private cmpAt = 0;
  private cmpEnd = 0;
  private mismatch = false;
  /** Distinct signatures: whole hash → entries, and header hash (kind, name, size…) → the same entries. */
  private readonly chains = new HashChains();
  private readonly headerChains = new HashChains();
  /** Header hash of the last lookup (for remember()). */
  private headerHash = 0;
  private pool = new Float64Array(1 << 16);
  /**
   * Beside each name id in sig and pool: where a .debug_str name was read (strKey + offset), else
   * NO_RAW. A candidate's name read at the same place of the same section is the same name
   * (linked files merge their strings), so compareName skips the lookup.
   */
  private sigRaw = new Float64Array(256);
  private raw = new Float64Array(1 << 16);
  /** strKey of the unit being looked at: its .debug_str's number × 2^40. */
  private strKey = 0;
  private readonly strSections = new WeakMap<Uint8Array, number>();
  private strSectionCount = 0;
  private poolLen = 0;
  private readonly start: number[] = [];
  private readonly length: number[] = [];
  private readonly ids: number[] = [];

  /**
   * The TypeId remembered for a definition identical to DIE i, or undefined (then remember() may
   * store it). Most definitions repeat one already seen (every unit includes the same headers), so
   * the newest few entries with the same header are first compared in place, value by value
   * (names by their bytes: a first sight of a string costs no hashing); the whole signature, hashed,
   * is built only when none of them is identical.
   */
  lookup(u: ScannedUnit, i: number): number | undefined {
    this.strCache = this.names.strCache(u);
    this.strKey = this.strSectionKey(u);
    this.len = 0;
    this.h = 0x811c9dc5;
    this.header(u, i);
    const hh = this.h | 0;
    const hl = this.len;
    this.headerHash = hh;
    const hc = this.headerChains;
    let tries = 0;
    for (let e = hc.first(hh); e >= 0 && tries < MAX_TRIES; e = hc.next(e)) {
      if (hc.hash(e) !== hh || !this.sameHeader(e, hl)) continue;
      tries++;
      if (this.compareWith(u, i, e)) return this.ids[e];
    }
    this.len = 0;
    this.h = 0x811c9dc5;
    this.nested = MAX_NESTED;
    this.aggregate(u, i, 0);
    const sig = this.sig;
    const n = this.len;
    const chains = this.chains;
    const h = this.h | 0;
    for (let e = chains.first(h); e >= 0; e = chains.next(e)) {
      if (chains.hash(e) !== h || this.length[e] !== n) continue;
      const s = this.start[e]!;
      const pool = this.pool;
      let k = 0;
      while (k < n && pool[s + k] === sig[k]) k++;
      if (k === n) return this.ids[e];
    }
    return undefined;
  }

  /** Remember the signature of the last lookup() as type `id`. */
  remember(id: number): void {
    const n = this.len;
    if (this.poolLen + n > this.pool.length) {
      const size = Math.max(this.pool.length * 2, this.poolLen + n);
      this.pool = grownTo(this.pool, size, this.poolLen);
      this.raw = grownTo(this.raw, size, this.poolLen);
    }
    this.pool.set(this.sig.subarray(0, n), this.poolLen);
    this.raw.set(this.sigRaw.subarray(0, n), this.poolLen);
    this.chains.add(this.h);
    this.headerChains.add(this.headerHash);
    this.start.push(this.poolLen);
    this.length.push(n);
    this.ids.push(id);
    this.poolLen += n;
  }

  /**
   * The raw-entry base of unit u's .debug_str: its number (in order of first sight) × 2^40; NaN
   * (equal to nothing, so no shortcut) without one or beyond MAX_RAW_SECTIONS (split DWARF gives
   * each .dwo its own).
   */
  private strSectionKey(u: ScannedUnit): number {
    const str = this.names.strBytesOf(u);
    if (!str) return NaN;
    let k = this.strSections.get(str);
    if (k === undefined) {
      k = this.strSectionCount < MAX_RAW_SECTIONS ? ++this.strSectionCount * RAW_SECTION : NaN;
      this.strSections.set(str, k);
    }
    return k;
  }

  /** Entry e begins with the header just built in sig[0, n). */
  private sameHeader(e: number, n: number): boolean {
    const s = this.start[e]!;
    if (this.length[e]! < n) return false;
    for (let k = 0; k < n; k++) if (this.pool[s + k] !== this.sig[k]) return false;
    return true;
  }

  /** Walk DIE i in compare mode against entry e: true when every value, and the length, are equal. */
  private compareWith(u: ScannedUnit, i: number, e: number): boolean {
    this.comparing = true;
    this.mismatch = false;
    this.cmpAt = this.start[e]!;
    this.cmpEnd = this.cmpAt + this.length[e]!;
    this.nested = MAX_NESTED;
    this.aggregate(u, i, 0);
    const same = !this.mismatch && this.cmpAt === this.cmpEnd;
    this.comparing = false;
    this.mismatch = false;
    return same;
  }

  private push(v: number): void {
    if (v !== v) v = ABSENT;
    if (this.comparing) {
      if (this.cmpAt >= this.cmpEnd || this.pool[this.cmpAt++] !== v) this.mismatch = true;
      return;
    }
    if (this.len === this.sig.length) {
      this.sig = grownTo(this.sig, this.len * 2, this.len);
      this.sigRaw = grownTo(this.sigRaw, this.len * 2, this.len);
    }
    this.sigRaw[this.len] = NO_RAW;
    this.sig[this.len++] = v;
    // the low 32 bits are hash enough: hits are compared whole
    this.h = Math.imul(this.h ^ (v | 0), 0x01000193);
  }

  /** DIE i's name id: .debug_str names through the cache array, inline ones from their bytes, others through names.of(). */
  private name(u: ScannedUnit, i: number): void {
    const kind = u.dies.nameKind[i] as StrKind;
    const v = u.dies.name[i]!;
    if (this.comparing) {
      this.compareName(u, kind, v);
      return;
    }
    if (kind === StrKind.Strp && v < this.strCache.length) {
      const c = this.strCache[v]!;
      this.push(c !== 0 ? NameIds.decode(c) : this.names.of(u, kind, v));
      this.sigRaw[this.len - 1] = this.strKey + v;
      return;
    } else if (kind === StrKind.Inline && v < u.section.bytes.length) {
      this.push(this.names.idOf(u.section.bytes, v));
      return;
    }
    this.push(this.names.of(u, kind, v));
  }

  /** Compare mode: the name (kind, value) against the id the candidate holds, by its bytes when not looked up yet. */
  private compareName(u: ScannedUnit, kind: StrKind, v: number): void {
    if (this.cmpAt >= this.cmpEnd) {
      this.mismatch = true;
      return;
    }
    if (kind === StrKind.Strp && this.raw[this.cmpAt] === this.strKey + v) {
      this.cmpAt++; // the very string the candidate was built with
      return;
    }
    const expected = this.pool[this.cmpAt++]!;
    let same: boolean;
    if (kind === StrKind.Strp && v < this.strCache.length) {
      const c = this.strCache[v]!;
      if (c !== 0) same = NameIds.decode(c) === expected;
      else if ((same = this.names.isAt(this.names.strBytesOf(u)!, v, expected))) this.strCache[v] = NameIds.encode(expected);
    } else if (kind === StrKind.Inline && v < u.section.bytes.length) same = this.names.isAt(u.section.bytes, v, expected);
    else same = this.names.of(u, kind, v) === expected;
    if (!same) this.mismatch = true;
  }

  /** The first values of a signature: kind, name, size, alignment, declaration, top level or nested. */
  private header(u: ScannedUnit, i: number): void {
    const { dies } = u;
    this.push(dies.tag[i]!);
    this.name(u, i);
    this.push(dies.byteSize[i]!);
    this.push(dies.alignment[i]!);
    this.push(dies.has(DieFlag.Declaration, i) ? 1 : 0);
    this.push(dies.parent[i] === 0 ? 1 : 2); // top level or nested (printed differently)
  }

  private aggregate(u: ScannedUnit, i: number, depth: number): void {
    const { dies } = u;
    this.header(u, i);
    const declaration = dies.has(DieFlag.Declaration, i);
    // Rust names a type by its path: `core::option::Option<&u8>::None` and `…Option<&u32>::None` are
    // two types with the same DW_AT_name and the same (empty) body
    if (u.root.language === DW_LANG_RUST) {
      for (let p = dies.parent[i]!; p > 0; p = dies.parent[p]!) {
        const pt = dies.tag[p]!;
        if (pt !== DW_TAG.namespace && !isNamedTypeTag(pt)) break;
        this.push(pt);
        this.name(u, p);
      }
    }
    if ((declaration && dies.nameKind[i] !== StrKind.None) || depth > 8 || (depth > 0 && this.nested-- <= 0)) {
      this.push(END);
      return;
    }
    for (let c = dies.firstChild[i]!; c >= 0 && !this.mismatch; c = dies.nextSibling[c]!) {
      const ct = dies.tag[c]!;
      if (ct === DW_TAG.enumerator) {
        this.push(ct);
        this.name(u, c);
        this.push(dies.constValue[c]!);
      } else if (ct === DW_TAG.member || ct === DW_TAG.inheritance) {
        // tag and flags in one value (both below 2^16), then which placement attributes are
        // present and only those: most members have a location and nothing else
        this.push(ct * 0x10000 + dies.flags[c]!);
        this.name(u, c);
        const loc = dies.memberLocation[c]!;
        const dbo = dies.dataBitOffset[c]!;
        const bo = dies.bitOffset[c]!;
        const bs = dies.bitSize[c]!;
        const bys = dies.byteSize[c]!;
        const al = dies.alignment[c]!;
        const present = (loc === loc ? 1 : 0) | (dbo === dbo ? 2 : 0) | (bo === bo ? 4 : 0) | (bs === bs ? 8 : 0) | (bys === bys ? 16 : 0) | (al === al ? 32 : 0);
        this.push(present);
        if (present & 1) this.push(loc);
        if (present & 2) this.push(dbo);
        if (present & 4) this.push(bo);
        if (present & 8) this.push(bs);
        if (present & 16) this.push(bys);
        if (present & 32) this.push(al);
        this.shallowType(u, dies.typeKind[c] as RefKind, dies.type[c]!, depth);
      }
    }
    this.push(END);
  }

  /** A short spelling of a referenced type that stops at names. */
  private shallowType(u: ScannedUnit, kind: RefKind, value: number, depth: number): void {
    const { dies } = u;
    for (let steps = 0; steps < 16; steps++) {
      if (kind === RefKind.None) {
        this.push(NO_TYPE);
        return;
      }
      if (kind !== RefKind.Section || value < u.header.offset || value >= u.header.end) {
        this.push(OTHER_UNIT);
        this.push(kind);
        this.push(value);
        return;
      }
      const j = dies.indexOf(value);
      if (j < 0) {
        this.push(NO_DIE);
        return;
      }
      const tag = dies.tag[j]!;
      this.push(tag);
      if (dies.nameKind[j] !== StrKind.None && tag !== DW_TAG.subroutine_type) {
        this.name(u, j);
        return;
      }
      if (isNamedTypeTag(tag)) {
        this.aggregate(u, j, depth + 1); // anonymous: identified by its contents
        return;
      }
      if (tag === DW_TAG.array_type) {
        for (let c = dies.firstChild[j]!; c >= 0; c = dies.nextSibling[c]!) this.push(subrangeCount(dies, c) ?? -1);
        this.push(END);
      } else if (tag === DW_TAG.base_type || tag === DW_TAG.pointer_type) this.push(dies.byteSize[j]!);
      kind = dies.typeKind[j] as RefKind;
      value = dies.type[j]!;
    }
  }
}

/** A copy of a[0, used) in a new array of `size` entries. */
function grownTo(a: Float64Array<ArrayBuffer>, size: number, used: number): Float64Array<ArrayBuffer> {
  const g = new Float64Array(size);
  g.set(a.subarray(0, used));
  return g;
}
