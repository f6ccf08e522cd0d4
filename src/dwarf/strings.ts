import { cstringAt } from '../util/reader.js';
import { StrKind } from './dies.js';
import type { SectionBytes } from './sections.js';

/** Resolves string attributes to JavaScript strings, interning by section and offset. */
export class StringResolver {
  /** One cache per string section (.debug_str, .debug_line_str, a unit's own section for inline strings). */
  private readonly caches = new WeakMap<Uint8Array, Map<number, string>>();

  constructor(
    private readonly str: SectionBytes | undefined,
    private readonly lineStr: SectionBytes | undefined,
    private readonly strOffsets: SectionBytes | undefined,
    private readonly littleEndian: boolean,
    /** .debug_str of the supplementary (dwz) file, when one was loaded. */
    private readonly altStr?: SectionBytes,
  ) {}

  /**
   * The string named by (kind, value); `inline` is the unit's own section (for DW_FORM_string),
   * `strOffsetsBase` the unit's DW_AT_str_offsets_base, `offsetSize` its DWARF offset size.
   * Undefined when the reference is out of range.
   */
  get(kind: StrKind, value: number, inline: Uint8Array, strOffsetsBase: number, offsetSize: number): string | undefined {
    const loc = this.locate(kind, value, inline, strOffsetsBase, offsetSize);
    if (!loc) return undefined;
    let cache = this.caches.get(loc.bytes);
    if (!cache) {
      cache = new Map();
      this.caches.set(loc.bytes, cache);
    }
    let s = cache.get(loc.offset);
    if (s === undefined) {
      s = cstringAt(loc.bytes, loc.offset);
      if (s === undefined) return undefined;
      cache.set(loc.offset, s);
    }
    return s;
  }

  /** Where the bytes of a string live, without decoding it (for hashing). */
  locate(kind: StrKind, value: number, inline: Uint8Array, strOffsetsBase: number, offsetSize: number): { bytes: Uint8Array; offset: number } | undefined {
    let bytes: Uint8Array | undefined;
    let offset = value;
    switch (kind) {
      case StrKind.Strp:
        bytes = this.str?.bytes;
        break;
      case StrKind.LineStrp:
        bytes = this.lineStr?.bytes;
        break;
      case StrKind.StrpAlt:
        bytes = this.altStr?.bytes;
        break;
      case StrKind.Inline:
        bytes = inline;
        break;
      case StrKind.Strx: {
        const so = this.strOffsets?.bytes;
        if (!so) return undefined;
        const at = strOffsetsBase + value * offsetSize;
        if (at + offsetSize > so.length) return undefined;
        offset = 0;
        if (this.littleEndian) for (let k = offsetSize - 1; k >= 0; k--) offset = offset * 256 + so[at + k]!;
        else for (let k = 0; k < offsetSize; k++) offset = offset * 256 + so[at + k]!;
        bytes = this.str?.bytes;
        break;
      }
      default:
        return undefined;
    }
    if (!bytes || offset >= bytes.length) return undefined;
    return { bytes, offset };
  }
}
