/** SHT_NOTE records and the debug-link sections, parsed from their bytes. Pure. */
import { Reader, decodeUtf8 } from '../util/reader.js';
import type { ElfNote, Section } from './types.js';

/** Lower-case hex of bytes (build-ids). */
export function hex(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += b[i]!.toString(16).padStart(2, '0');
  return s;
}

/** The notes of one SHT_NOTE section's contents. */
export function parseNotes(data: Uint8Array, littleEndian: boolean, section: Section): ElfNote[] {
  const r = new Reader(data, littleEndian, section.name, section.fileOffset);
  const align = section.addralign === 8 ? 8 : 4;
  const pad = (n: number): number => Math.ceil(n / align) * align;
  const notes: ElfNote[] = [];
  while (r.remaining >= 12) {
    const namesz = r.u32();
    const descsz = r.u32();
    const type = r.u32();
    const nameStart = r.pos;
    if (namesz > r.remaining) r.fail(nameStart, `note name of ${namesz} bytes runs past the section`);
    let nameEnd = nameStart + namesz;
    while (nameEnd > nameStart && data[nameEnd - 1] === 0) nameEnd--;
    const name = decodeUtf8(data, nameStart, nameEnd);
    // padding aligns offsets in the section (8-aligned notes: 12-byte header + 4-byte name, no pad)
    r.seek(Math.min(pad(nameStart + namesz), r.length));
    const descStart = r.pos;
    if (descsz > r.remaining) r.fail(descStart, `note descriptor of ${descsz} bytes runs past the section`);
    notes.push({ name, type, desc: data.subarray(descStart, descStart + descsz) });
    r.seek(Math.min(descStart + pad(descsz), r.length));
  }
  return notes;
}

/** .gnu_debuglink: the separate debug file's name and its CRC32. */
export function parseDebugLink(data: Uint8Array, littleEndian: boolean, section: Section): { name: string; crc: number } {
  const r = new Reader(data, littleEndian, section.name, section.fileOffset);
  const name = r.cstring();
  r.seek(Math.min(Math.ceil(r.pos / 4) * 4, r.length));
  const crc = r.u32();
  return { name, crc };
}

/** .gnu_debugaltlink: the dwz supplementary file's path and its build-id (hex). */
export function parseDebugAltLink(data: Uint8Array, littleEndian: boolean, section: Section): { name: string; buildId: string } {
  const r = new Reader(data, littleEndian, section.name, section.fileOffset);
  const name = r.cstring();
  return { name, buildId: hex(data.subarray(r.pos)) };
}
