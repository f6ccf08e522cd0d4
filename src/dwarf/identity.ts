/**
 * Type identity for deduplication as units are read: a hash of an aggregate's DIE subtree that
 * does not convert anything (converter in to-model.ts, which checks name and size again on a hit).
 */
import { DW_TAG } from './constants.js';
import { DieFlag, RefKind, StrKind } from './dies.js';
import { isNamedTypeTag, subrangeCount, type ScannedUnit } from './scanned.js';

/** Most anonymous aggregates hashed inside one definition: depth 8 alone allows members^8. */
const MAX_NESTED_HASHED = 1024;

export class AggregateIdentity {
  /**
   * What makes two struct/union/class/enum definitions the same type, computed from the DIE
   * subtree alone (no member type conversion, so an already-seen definition costs one hash):
   * kind, name, size, alignment, and per member its name, location, bit-field position and width,
   * alignment, flags and a shallow spelling of its type (names stop the walk). Two independent
   * 32-bit hashes are combined into a 53-bit Map key; the name, size and member count are checked
   * again on a hit, so a collision would need all of them to agree too.
   */
  key(u: ScannedUnit, i: number): number {
    this.h1 = 0x811c9dc5;
    this.h2 = 0x9747b28c;
    this.nested = MAX_NESTED_HASHED;
    this.hashAggregate(u, i, 0);
    return (this.h1 >>> 0) * 0x200000 + (this.h2 & 0x1fffff);
  }

  private h1 = 0;
  /** Anonymous nested aggregates still to hash into this one (hostile input nests them in a loop, several times per level). */
  private nested = 0;
  private h2 = 0;

  private mix(v: number): void {
    // NaN (absent) and fractional values never occur except NaN; map it to a fixed word
    const lo = v === v ? v >>> 0 : 0xdeadbeef;
    const hi = v === v && v > 0xffffffff ? Math.floor(v / 0x100000000) : 0;
    let a = this.h1 ^ lo;
    a = Math.imul(a, 0x01000193);
    a ^= hi;
    this.h1 = Math.imul(a, 0x01000193);
    let b = this.h2 ^ Math.imul(lo, 0xcc9e2d51);
    b = (b << 13) | (b >>> 19);
    b = Math.imul(b, 5) + 0xe6546b64 + hi;
    this.h2 = b | 0;
  }

  /** Mix the bytes of DIE i's name (without turning it into a string). */
  private mixName(u: ScannedUnit, i: number): void {
    const kind = u.dies.nameKind[i] as StrKind;
    if (kind === StrKind.None) {
      this.mix(0x7fff0001);
      return;
    }
    const loc = u.src.strings.locate(kind, u.dies.name[i]!, u.section.bytes, u.root.strOffsetsBase ?? 8, u.header.offsetSize);
    if (!loc) {
      this.mix(0x7fff0002);
      return;
    }
    const { bytes, offset } = loc;
    let h1 = this.h1;
    let h2 = this.h2;
    for (let p = offset; p < bytes.length; p++) {
      const c = bytes[p]!;
      if (c === 0) break;
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x5bd1e995) ^ (h2 >>> 15);
    }
    this.h1 = h1;
    this.h2 = h2;
    this.mix(0x7fff0003);
  }

  private hashAggregate(u: ScannedUnit, i: number, depth: number): void {
    const { dies } = u;
    this.mix(dies.tag[i]!);
    this.mixName(u, i);
    this.mix(dies.byteSize[i]!);
    this.mix(dies.alignment[i]!);
    const declaration = dies.has(DieFlag.Declaration, i);
    this.mix(declaration ? 1 : 0);
    this.mix(dies.parent[i] === 0 ? 1 : 2); // top level or nested (printed differently)
    if (declaration && dies.nameKind[i] !== StrKind.None) return;
    if (depth > 8 || (depth > 0 && this.nested-- <= 0)) return;
    for (let c = dies.firstChild[i]!; c >= 0; c = dies.nextSibling[c]!) {
      const ct = dies.tag[c]!;
      if (ct === DW_TAG.enumerator) {
        this.mixName(u, c);
        this.mix(dies.constValue[c]!);
      } else if (ct === DW_TAG.member || ct === DW_TAG.inheritance) {
        this.mix(ct);
        this.mixName(u, c);
        this.mix(dies.memberLocation[c]!);
        this.mix(dies.dataBitOffset[c]!);
        this.mix(dies.bitOffset[c]!);
        this.mix(dies.bitSize[c]!);
        this.mix(dies.byteSize[c]!);
        this.mix(dies.alignment[c]!);
        this.mix(dies.flags[c]!);
        this.mixShallowType(u, dies.typeKind[c] as RefKind, dies.type[c]!, depth);
      }
    }
  }

  /** Mix a short spelling of a referenced type that stops at names. */
  private mixShallowType(u: ScannedUnit, kind: RefKind, value: number, depth: number): void {
    for (let steps = 0; steps < 16; steps++) {
      if (kind === RefKind.None) {
        this.mix(0x7fff0010);
        return;
      }
      if (kind !== RefKind.Section || value < u.header.offset || value >= u.header.end) {
        this.mix(0x7fff0011);
        this.mix(kind);
        this.mix(value);
        return;
      }
      const { dies } = u;
      const j = dies.indexOf(value);
      if (j < 0) {
        this.mix(0x7fff0012);
        return;
      }
      const tag = dies.tag[j]!;
      this.mix(tag);
      if (dies.nameKind[j] !== StrKind.None && tag !== DW_TAG.subroutine_type) {
        this.mixName(u, j);
        return;
      }
      if (isNamedTypeTag(tag)) {
        this.hashAggregate(u, j, depth + 1); // anonymous: identified by its contents
        return;
      }
      if (tag === DW_TAG.array_type) for (let c = dies.firstChild[j]!; c >= 0; c = dies.nextSibling[c]!) this.mix(subrangeCount(dies, c) ?? -1);
      else if (tag === DW_TAG.base_type || tag === DW_TAG.pointer_type) this.mix(dies.byteSize[j]!);
      kind = dies.typeKind[j] as RefKind;
      value = dies.type[j]!;
    }
  }
}
