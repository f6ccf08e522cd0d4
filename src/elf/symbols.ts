/** SHT_SYMTAB / SHT_DYNSYM entries, parsed from the table's bytes. Pure. */
import { SHN } from './constants.js';
import { elfError } from './parse-errors.js';
import type { ElfSymbol, Section } from './types.js';

export interface SymbolTableInput {
  file: string;
  is64: boolean;
  littleEndian: boolean;
  /** The symbol table section and its contents. */
  tab: Section;
  data: Uint8Array;
  /** Its string table's contents. */
  strings: Uint8Array;
  /** The SHT_SYMTAB_SHNDX section for `tab`, if any, and a way to read it (only when a symbol needs it). */
  shndx?: { section: Section; read: () => Uint8Array };
}

/** Size of one symbol entry, checked against the table's sh_entsize. */
export function symbolStride(file: string, tab: Section, is64: boolean): number {
  const symSize = is64 ? 24 : 16;
  const stride = tab.entsize === 0 ? symSize : tab.entsize;
  if (stride < symSize) {
    throw elfError(file, 'BAD_HEADER', `symbol entry size ${tab.entsize} is smaller than a symbol (${symSize})`, tab.fileOffset, tab.name);
  }
  return stride;
}

export function parseSymbolTable(input: SymbolTableInput): ElfSymbol[] {
  const { file, is64, littleEndian: le, tab, data } = input;
  const stride = symbolStride(file, tab, is64);
  const count = Math.floor(data.length / stride);
  const names = Buffer.from(input.strings.buffer, input.strings.byteOffset, input.strings.length);
  let shndxTable: DataView | undefined;
  const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const syms: ElfSymbol[] = new Array(count);
  // every field read below lies inside entry i, which lies inside `data`: no per-field bounds checks
  for (let i = 0; i < count; i++) {
    const p = i * stride;
    const nameOff = dv.getUint32(p, le);
    let value: number;
    let valueBig: bigint;
    let size: number;
    let info: number;
    let other: number;
    let shndx: number;
    if (is64) {
      info = data[p + 4]!;
      other = data[p + 5]!;
      shndx = dv.getUint16(p + 6, le);
      const hi = dv.getUint32(p + (le ? 12 : 8), le);
      const lo = dv.getUint32(p + (le ? 8 : 12), le);
      value = hi * 0x1_0000_0000 + lo;
      valueBig = hi < 0x200000 ? BigInt(value) : (BigInt(hi) << 32n) | BigInt(lo);
      size = dv.getUint32(p + (le ? 20 : 16), le) * 0x1_0000_0000 + dv.getUint32(p + (le ? 16 : 20), le);
    } else {
      value = dv.getUint32(p + 4, le);
      valueBig = BigInt(value);
      size = dv.getUint32(p + 8, le);
      info = data[p + 12]!;
      other = data[p + 13]!;
      shndx = dv.getUint16(p + 14, le);
    }
    if (shndx === SHN.XINDEX) {
      if (!shndxTable) {
        if (!input.shndx) {
          throw elfError(file, 'BAD_HEADER', `symbol ${i} uses SHN_XINDEX but there is no SHT_SYMTAB_SHNDX section`, tab.fileOffset + p, tab.name);
        }
        const t = input.shndx.read();
        shndxTable = new DataView(t.buffer, t.byteOffset, t.byteLength);
      }
      if (i * 4 + 4 > shndxTable.byteLength) {
        const s = input.shndx!.section;
        throw elfError(file, 'EOF', `symbol ${i} has no entry in ${s.name} (${shndxTable.byteLength} bytes)`, s.fileOffset + shndxTable.byteLength, s.name);
      }
      shndx = shndxTable.getUint32(i * 4, le);
    }
    let name = '';
    if (nameOff !== 0 && nameOff < names.length) {
      const end = names.indexOf(0, nameOff);
      if (end >= 0) name = names.toString('utf8', nameOff, end);
    }
    syms[i] = { index: i, name, value, valueBig, size, info, other, shndx, bind: info >> 4, type: info & 0xf };
  }
  return syms;
}
