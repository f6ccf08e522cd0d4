/** The ELF header and section headers, parsed from their bytes. Pure. */
import { Reader } from '../util/reader.js';
import { ELFCLASS32, ELFCLASS64, ELFDATA2LSB, ELFDATA2MSB } from './constants.js';
import { elfError, namingFile } from './parse-errors.js';
import type { ElfHeader, Section } from './types.js';

export const EHDR32_SIZE = 52;
export const EHDR64_SIZE = 64;
export const SHDR32_SIZE = 40;
export const SHDR64_SIZE = 64;

/** The ELF header from the file's first bytes (up to EHDR64_SIZE of them). */
export function parseElfHeader(head: Uint8Array, file: string): ElfHeader {
    if (head.length < 4 || head[0] !== 0x7f || head[1] !== 0x45 || head[2] !== 0x4c || head[3] !== 0x46) {
      throw elfError(file, 'BAD_MAGIC', 'not an ELF file (no \\x7fELF magic)', 0);
    }
    if (head.length < 16) throw elfError(file, 'EOF', 'file ends inside e_ident', head.length);
    const cls = head[4]!;
    const data = head[5]!;
    if (cls !== ELFCLASS32 && cls !== ELFCLASS64) throw elfError(file, 'BAD_HEADER', `unknown ELF class ${cls}`, 4);
    if (data !== ELFDATA2LSB && data !== ELFDATA2MSB) throw elfError(file, 'BAD_HEADER', `unknown ELF data encoding ${data}`, 5);
    const is64 = cls === ELFCLASS64;
    const ehsize = is64 ? EHDR64_SIZE : EHDR32_SIZE;
    if (head.length < ehsize) throw elfError(file, 'EOF', `file ends inside the ELF header (${head.length} of ${ehsize} bytes)`, head.length);
    return namingFile(file, () => {
      const r = new Reader(head, data === ELFDATA2LSB, 'ELF header', 0, 16);
      const type = r.u16();
      const machine = r.u16();
      const version = r.u32();
      const entry = is64 ? r.u64big() : BigInt(r.u32());
      const phoff = is64 ? r.u64() : r.u32();
      const shoff = is64 ? r.u64() : r.u32();
      const flags = r.u32();
      const h: ElfHeader = {
        class: is64 ? 64 : 32,
        littleEndian: data === ELFDATA2LSB,
        osabi: head[7]!,
        abiVersion: head[8]!,
        type,
        machine,
        version,
        entry,
        phoff,
        shoff,
        flags,
        ehsize: r.u16(),
        phentsize: r.u16(),
        phnum: r.u16(),
        shentsize: r.u16(),
        shnum: r.u16(),
        shstrndx: r.u16(),
      };
      return h;
    });
  }


/** Section header `index` of the section header table `table` (read at `fileOffset` for that entry). */
export function parseSectionHeader(table: Uint8Array, index: number, header: ElfHeader, fileOffset: number, file: string): Section {
    const is64 = header.class === 64;
    const base = index * header.shentsize;
    return namingFile(file, () => {
      const r = new Reader(table, header.littleEndian, 'section headers', fileOffset - base, base);
      const nameOffset = r.u32();
      const type = r.u32();
      if (is64) {
        return {
          index,
          name: '',
          nameOffset,
          type,
          flags: r.u64(),
          addr: r.u64big(),
          fileOffset: r.u64(),
          size: r.u64(),
          link: r.u32(),
          info: r.u32(),
          addralign: r.u64(),
          entsize: r.u64(),
        };
      }
      return {
        index,
        name: '',
        nameOffset,
        type,
        flags: r.u32(),
        addr: BigInt(r.u32()),
        fileOffset: r.u32(),
        size: r.u32(),
        link: r.u32(),
        info: r.u32(),
        addralign: r.u32(),
        entsize: r.u32(),
      };
    });
  }

