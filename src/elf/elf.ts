/**
 * ELF container reading: header, section table, section contents (raw and decompressed),
 * symbols, notes, build-id and debug links.
 *
 * Only the ELF header and the section header table are read when a file is opened; every
 * other read is a positioned `fs.readSync` of exactly the bytes asked for, so files of any
 * size (vmlinux > 2 GB) can be used. Offsets and sizes are numbers, exact up to 2^53.
 */
import * as fs from 'node:fs';
import { StructscopeError, type ErrorCode } from '../util/errors.js';
import { currentLimits } from '../util/limits.js';
import { Reader, cstringAt, decodeUtf8 } from '../util/reader.js';
import { MAX_BUFFER, decompressZstd, inflateZlib } from './compress.js';
import {
  ELFCLASS32,
  ELFCLASS64,
  ELFCOMPRESS_ZLIB,
  ELFCOMPRESS_ZSTD,
  ELFDATA2LSB,
  ELFDATA2MSB,
  NT_GNU_BUILD_ID,
  SHF,
  SHN,
  SHT,
  machineName,
} from './constants.js';

export interface ElfHeader {
  /** ELF class: 32 or 64 (EI_CLASS). */
  class: 32 | 64;
  littleEndian: boolean;
  /** EI_OSABI */
  osabi: number;
  /** EI_ABIVERSION */
  abiVersion: number;
  /** e_type: ET_REL=1, ET_EXEC=2, ET_DYN=3, ET_CORE=4 */
  type: number;
  /** e_machine */
  machine: number;
  /** e_version */
  version: number;
  /** e_entry (an address: may exceed 2^53) */
  entry: bigint;
  phoff: number;
  shoff: number;
  /** e_flags */
  flags: number;
  ehsize: number;
  phentsize: number;
  phnum: number;
  shentsize: number;
  /** Number of sections, resolved through section 0's sh_size when e_shnum is 0. */
  shnum: number;
  /** Index of the section name string table, resolved through section 0's sh_link for SHN_XINDEX. */
  shstrndx: number;
}

export interface Section {
  index: number;
  name: string;
  /** sh_name: offset of the name in the section name string table. */
  nameOffset: number;
  /** sh_type */
  type: number;
  /** sh_flags */
  flags: number;
  /** sh_addr (an address: may exceed 2^53) */
  addr: bigint;
  /** sh_offset */
  fileOffset: number;
  /** sh_size: bytes in the file (compressed size for SHF_COMPRESSED). */
  size: number;
  link: number;
  info: number;
  addralign: number;
  entsize: number;
}

export interface ElfSymbol {
  /** Index in its symbol table. */
  index: number;
  name: string;
  /** st_value as a number (exact below 2^53; always exact in ET_REL files). */
  value: number;
  /** st_value, exact. */
  valueBig: bigint;
  size: number;
  /** st_info */
  info: number;
  /** st_other */
  other: number;
  /** Section index, resolved through SHT_SYMTAB_SHNDX for SHN_XINDEX. */
  shndx: number;
  /** st_info >> 4 (STB_*) */
  bind: number;
  /** st_info & 0xf (STT_*) */
  type: number;
}

export interface ElfNote {
  name: string;
  type: number;
  desc: Uint8Array;
}

/** Most sections a file may declare; real files stay far below (65 K is already unusual). */
export const MAX_SECTIONS = 1 << 24;

const EHDR32_SIZE = 52;
const EHDR64_SIZE = 64;
const SHDR32_SIZE = 40;
const SHDR64_SIZE = 64;
/** Largest single read(2): Node refuses lengths above 2^31 - 1. */
const READ_CHUNK = 1 << 30;

function hex(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += b[i]!.toString(16).padStart(2, '0');
  return s;
}

/** How `openElf` treats the file's type. */
export interface OpenOptions {
  /**
   * Read a pipe or FIFO (`<(cat x.o)`) whole into memory, at most `maxPipeBytes`; otherwise only
   * regular files are opened (the default: files a binary names must be regular files).
   */
  allowPipe?: boolean;
  maxPipeBytes?: number;
}

/**
 * Open an ELF file and read its header and section table. Only a regular file (or, with
 * `allowPipe`, a pipe read into memory) is read: a FIFO without a writer, a device, a directory is
 * refused by its type before a byte is read (O_NONBLOCK, so opening a FIFO never waits).
 * Throws StructscopeError: IO (cannot open/read, not a regular file), BAD_MAGIC, BAD_HEADER, EOF, LIMIT.
 */
export function openElf(path: string, opts: OpenOptions = {}): ElfFile {
  let fd: number;
  try {
    fd = fs.openSync(path, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch (e) {
    throw new StructscopeError('IO', `cannot open: ${(e as Error).message}`, { file: path });
  }
  try {
    const st = fs.fstatSync(fd);
    if (st.isFIFO() && opts.allowPipe) {
      const bytes = readPipe(fd, path, opts.maxPipeBytes ?? currentLimits().maxPipeBytes);
      fs.closeSync(fd);
      fd = -1;
      return new ElfFile(path, -1, bytes);
    }
    if (!st.isFile()) throw new StructscopeError('IO', `not a regular file (${fileKind(st)}); only regular files${opts.allowPipe ? ' and pipes' : ''} are read`, { file: path });
    return new ElfFile(path, fd);
  } catch (e) {
    if (fd >= 0) fs.closeSync(fd);
    throw e;
  }
}

/** What kind of file `st` describes, for messages. */
export function fileKind(st: fs.Stats): string {
  if (st.isFile()) return 'regular file';
  if (st.isDirectory()) return 'directory';
  if (st.isFIFO()) return 'FIFO';
  if (st.isCharacterDevice()) return 'character device';
  if (st.isBlockDevice()) return 'block device';
  if (st.isSocket()) return 'socket';
  return 'special file';
}

/** Longest wait for a pipe's writer to send something: a writer that never writes is an error, not a hang. */
const PIPE_IDLE_MS = 30_000;

/**
 * Everything a non-blocking pipe holds, up to `limit` bytes. A FIFO nobody writes to reads as
 * end-of-file at once; while a writer is still busy, EAGAIN means wait a little.
 */
function readPipe(fd: number, path: string, limit: number): Uint8Array {
  const chunks: Buffer[] = [];
  let total = 0;
  let idleSince = Date.now();
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    const chunk = Buffer.allocUnsafe(1 << 20);
    let n: number;
    try {
      n = fs.readSync(fd, chunk, 0, chunk.length, null);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw new StructscopeError('IO', `read failed: ${(e as Error).message}`, { file: path });
      if (Date.now() - idleSince > PIPE_IDLE_MS) throw new StructscopeError('IO', `nothing written to the pipe for ${PIPE_IDLE_MS / 1000} s`, { file: path });
      Atomics.wait(sleeper, 0, 0, 5);
      continue;
    }
    if (n === 0) break;
    idleSince = Date.now();
    total += n;
    if (total > limit) throw new StructscopeError('LIMIT', `more than ${limit} bytes on the pipe`, { file: path });
    chunks.push(chunk.subarray(0, n));
  }
  if (total === 0) throw new StructscopeError('IO', 'the pipe or FIFO gave no data (nothing wrote to it)', { file: path });
  const all = Buffer.concat(chunks, total);
  return new Uint8Array(all.buffer, all.byteOffset, total);
}

export class ElfFile {
  readonly path: string;
  readonly header: ElfHeader;
  readonly sections: readonly Section[];
  /** Size of the file in bytes when it was opened. */
  readonly fileSize: number;
  private fd: number;
  /** The whole file, when it came from a pipe. */
  private readonly memory: Uint8Array | undefined;
  private symbolCache: Map<number, ElfSymbol[]> = new Map();

  /** Use openElf(); the constructor takes ownership of `fd`. */
  constructor(path: string, fd: number, memory?: Uint8Array) {
    this.path = path;
    this.fd = fd;
    this.memory = memory;
    try {
      this.fileSize = memory ? memory.length : fs.fstatSync(fd).size;
    } catch (e) {
      throw new StructscopeError('IO', `cannot stat: ${(e as Error).message}`, { file: path });
    }
    this.header = this.readHeader();
    this.sections = this.readSectionTable();
  }

  /** True when the file came from a pipe and is held in memory (it cannot be opened again). */
  get fromPipe(): boolean {
    return this.memory !== undefined;
  }

  /** Short target name: x86_64, i386, aarch64, arm, riscv64, ppc64, s390x, mips, … */
  get machineName(): string {
    return machineName(this.header.machine, this.header.class);
  }

  /** First section with this name. */
  section(name: string): Section | undefined {
    for (const s of this.sections) if (s.name === name) return s;
    return undefined;
  }

  /** Exactly the section's bytes in the file (compressed data stays compressed). SHT_NOBITS: empty. */
  readRaw(section: Section): Uint8Array {
    if (section.type === SHT.NOBITS) return new Uint8Array(0);
    return this.readAt(section.fileOffset, section.size, section.name);
  }

  /**
   * The section's contents, decompressed when SHF_COMPRESSED (zlib or zstd) or a legacy
   * `.zdebug_*` section with a "ZLIB" header. Always a fresh buffer the caller owns.
   */
  readSection(section: Section): Uint8Array {
    const raw = this.readRaw(section);
    if (section.type === SHT.NOBITS) return raw;
    if (section.flags & SHF.COMPRESSED) return this.decompress(section, raw);
    if (section.name.startsWith('.zdebug') && isZdebugHeader(raw)) {
      const size = new Reader(raw, false, section.name, section.fileOffset, 4).u64();
      return inflateZlib(raw.subarray(12), size, this.where(section, section.fileOffset + 12));
    }
    return raw;
  }

  /** Uncompressed size of a section's contents, from its compression header when it has one. */
  uncompressedSize(section: Section): number {
    return this.named(() => {
      if (section.type === SHT.NOBITS) return 0;
      const compressed = section.flags & SHF.COMPRESSED;
      const zdebug = !compressed && section.name.startsWith('.zdebug');
      if (!compressed && !zdebug) return section.size;
      const head = this.readAt(section.fileOffset, Math.min(section.size, 24), section.name);
      if (zdebug) return isZdebugHeader(head) ? new Reader(head, false, section.name, section.fileOffset, 4).u64() : section.size;
      return this.compressionHeader(section, head).size;
    });
  }

  /** Symbols of .symtab, or of .dynsym when there is no .symtab; [] when neither exists. */
  symbols(): ElfSymbol[] {
    const tab = this.sections.find((s) => s.type === SHT.SYMTAB) ?? this.sections.find((s) => s.type === SHT.DYNSYM);
    return tab ? this.symbolTable(tab) : [];
  }

  /** Symbols of a given SHT_SYMTAB / SHT_DYNSYM section (cached). */
  symbolTable(tab: Section): ElfSymbol[] {
    const cached = this.symbolCache.get(tab.index);
    if (cached) return cached;
    const syms = this.parseSymbols(tab);
    this.symbolCache.set(tab.index, syms);
    return syms;
  }

  /** Notes of one SHT_NOTE section. */
  notes(section: Section): ElfNote[] {
    return this.named(() => {
      const data = this.readSection(section);
      const r = new Reader(data, this.header.littleEndian, section.name, section.fileOffset);
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
    });
  }

  /** GNU build-id as lower-case hex, from .note.gnu.build-id or any note section holding NT_GNU_BUILD_ID. */
  buildId(): string | undefined {
    const preferred = this.section('.note.gnu.build-id');
    const candidates = this.sections.filter((s) => s.type === SHT.NOTE && s !== preferred);
    if (preferred && preferred.type === SHT.NOTE) candidates.unshift(preferred);
    for (const s of candidates) {
      for (const n of this.notes(s)) {
        if (n.type === NT_GNU_BUILD_ID && n.name === 'GNU' && n.desc.length > 0) return hex(n.desc);
      }
    }
    return undefined;
  }

  /** Contents of .gnu_debuglink: file name and CRC32 of the separate debug file. */
  debugLink(): { name: string; crc: number } | undefined {
    return this.named(() => {
      const s = this.section('.gnu_debuglink');
      if (!s || s.type === SHT.NOBITS) return undefined;
      const data = this.readSection(s);
      const r = new Reader(data, this.header.littleEndian, s.name, s.fileOffset);
      const name = r.cstring();
      r.seek(Math.min(Math.ceil(r.pos / 4) * 4, r.length));
      const crc = r.u32();
      return { name, crc };
    });
  }

  /** Contents of .gnu_debugaltlink: path of the dwz supplementary file and its build-id (hex). */
  debugAltLink(): { name: string; buildId: string } | undefined {
    return this.named(() => {
      const s = this.section('.gnu_debugaltlink');
      if (!s || s.type === SHT.NOBITS) return undefined;
      const data = this.readSection(s);
      const r = new Reader(data, this.header.littleEndian, s.name, s.fileOffset);
      const name = r.cstring();
      return { name, buildId: hex(data.subarray(r.pos)) };
    });
  }

  /** Close the file descriptor. Further reads fail with an IO error. Safe to call twice. */
  close(): void {
    if (this.fd >= 0) {
      const fd = this.fd;
      this.fd = -1;
      fs.closeSync(fd);
    }
  }

  /**
   * Read `length` bytes at file offset `offset` into a fresh buffer.
   * EOF when the range is not inside the file, LIMIT when it cannot be held in one buffer.
   */
  readAt(offset: number, length: number, section?: string): Uint8Array {
    const where = { file: this.path, section, fileOffset: offset };
    if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0) {
      throw new StructscopeError('BAD_HEADER', `impossible file range (${length} bytes at ${offset})`, where);
    }
    if (offset + length > this.fileSize) {
      throw new StructscopeError(
        'EOF',
        `${length} bytes at 0x${offset.toString(16)} run past the end of the file (${this.fileSize} bytes)`,
        where,
      );
    }
    if (length > MAX_BUFFER) {
      throw new StructscopeError('LIMIT', `${length} bytes do not fit in one buffer`, where);
    }
    if (length === 0) return new Uint8Array(0);
    if (this.memory) return this.memory.slice(offset, offset + length);
    if (this.fd < 0) throw new StructscopeError('IO', 'file is closed', where);
    // no zero-fill: every byte is overwritten below or the buffer is dropped
    const buf = Buffer.allocUnsafeSlow(length);
    let done = 0;
    while (done < length) {
      let n: number;
      try {
        n = fs.readSync(this.fd, buf, done, Math.min(length - done, READ_CHUNK), offset + done);
      } catch (e) {
        throw new StructscopeError('IO', `read failed: ${(e as Error).message}`, { ...where, fileOffset: offset + done });
      }
      if (n === 0) {
        throw new StructscopeError('EOF', 'file ended early (was it truncated while open?)', {
          ...where,
          fileOffset: offset + done,
        });
      }
      done += n;
    }
    return new Uint8Array(buf.buffer, buf.byteOffset, length);
  }

  // ---------------------------------------------------------------------------------------------

  private where(section: Section, fileOffset = section.fileOffset): { file: string; section: string; fileOffset: number } {
    return { file: this.path, section: section.name, fileOffset };
  }

  private err(code: ErrorCode, detail: string, fileOffset?: number, section?: string): StructscopeError {
    return new StructscopeError(code, detail, { file: this.path, section, fileOffset });
  }

  /** Run `fn`, naming this file in any StructscopeError it throws. */
  private named<T>(fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      if (e instanceof StructscopeError) throw e.withFile(this.path);
      throw e;
    }
  }

  private readHeader(): ElfHeader {
    const head = this.readAt(0, Math.min(this.fileSize, EHDR64_SIZE), 'ELF header');
    if (head.length < 4 || head[0] !== 0x7f || head[1] !== 0x45 || head[2] !== 0x4c || head[3] !== 0x46) {
      throw this.err('BAD_MAGIC', 'not an ELF file (no \\x7fELF magic)', 0);
    }
    if (head.length < 16) throw this.err('EOF', 'file ends inside e_ident', head.length);
    const cls = head[4]!;
    const data = head[5]!;
    if (cls !== ELFCLASS32 && cls !== ELFCLASS64) throw this.err('BAD_HEADER', `unknown ELF class ${cls}`, 4);
    if (data !== ELFDATA2LSB && data !== ELFDATA2MSB) throw this.err('BAD_HEADER', `unknown ELF data encoding ${data}`, 5);
    const is64 = cls === ELFCLASS64;
    const ehsize = is64 ? EHDR64_SIZE : EHDR32_SIZE;
    if (head.length < ehsize) throw this.err('EOF', `file ends inside the ELF header (${head.length} of ${ehsize} bytes)`, head.length);
    return this.named(() => {
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

  private readSectionTable(): Section[] {
    const h = this.header;
    const is64 = h.class === 64;
    const entSize = is64 ? SHDR64_SIZE : SHDR32_SIZE;
    const shoffField = is64 ? 0x28 : 0x20;
    if (h.shoff === 0) {
      if (h.shnum !== 0) throw this.err('BAD_HEADER', `e_shnum is ${h.shnum} but e_shoff is 0`, shoffField);
      h.shnum = 0;
      h.shstrndx = 0;
      return [];
    }
    if (h.shentsize < entSize) {
      throw this.err('BAD_HEADER', `e_shentsize ${h.shentsize} is smaller than a section header (${entSize})`, is64 ? 0x3a : 0x2e);
    }
    // Section 0 holds the real count (sh_size) and string table index (sh_link) when they do not fit 16 bits.
    let count = h.shnum;
    let shstrndx = h.shstrndx;
    if (count === 0 || shstrndx === SHN.XINDEX) {
      const s0 = this.parseSectionHeader(this.readAt(h.shoff, entSize, 'section headers'), 0, h.shoff);
      if (count === 0) count = s0.size;
      if (shstrndx === SHN.XINDEX) shstrndx = s0.link;
    }
    if (count > MAX_SECTIONS) throw this.err('LIMIT', `${count} sections is more than ${MAX_SECTIONS}`, h.shoff);
    const tableSize = count * h.shentsize;
    const table = this.readAt(h.shoff, tableSize, 'section headers');
    const sections: Section[] = new Array(count);
    for (let i = 0; i < count; i++) {
      sections[i] = this.parseSectionHeader(table, i, h.shoff + i * h.shentsize);
    }
    h.shnum = count;
    h.shstrndx = shstrndx;
    if (shstrndx !== SHN.UNDEF && count > 0) {
      if (shstrndx >= count) {
        throw this.err('BAD_HEADER', `section name table index ${shstrndx} is not below the section count ${count}`, is64 ? 0x3e : 0x32);
      }
      const strtab = sections[shstrndx]!;
      const names = this.readRaw(strtab);
      for (const s of sections) {
        if (s.nameOffset === 0 && names.length === 0) continue;
        const name = cstringAt(names, s.nameOffset);
        if (name === undefined) {
          throw this.err('BAD_HEADER', `section ${s.index} name offset 0x${s.nameOffset.toString(16)} is outside ${strtab.name || 'the name table'}`,
            h.shoff + s.index * h.shentsize, 'section headers');
        }
        s.name = name;
      }
    }
    return sections;
  }

  private parseSectionHeader(table: Uint8Array, index: number, fileOffset: number): Section {
    const is64 = this.header.class === 64;
    const base = index * this.header.shentsize;
    return this.named(() => {
      const r = new Reader(table, this.header.littleEndian, 'section headers', fileOffset - base, base);
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

  private compressionHeader(section: Section, raw: Uint8Array): { type: number; size: number; headerSize: number } {
    return this.named(() => {
      const r = new Reader(raw, this.header.littleEndian, section.name, section.fileOffset);
      if (this.header.class === 64) {
        const type = r.u32();
        r.u32(); // ch_reserved
        const size = r.u64();
        r.u64(); // ch_addralign
        return { type, size, headerSize: 24 };
      }
      const type = r.u32();
      const size = r.u32();
      r.u32(); // ch_addralign
      return { type, size, headerSize: 12 };
    });
  }

  private decompress(section: Section, raw: Uint8Array): Uint8Array {
    const ch = this.compressionHeader(section, raw);
    const payload = raw.subarray(ch.headerSize);
    const where = this.where(section, section.fileOffset + ch.headerSize);
    if (ch.type === ELFCOMPRESS_ZLIB) return inflateZlib(payload, ch.size, where);
    if (ch.type === ELFCOMPRESS_ZSTD) return decompressZstd(payload, ch.size, where);
    throw new StructscopeError('UNSUPPORTED', `unknown compression type ${ch.type}`, this.where(section));
  }

  private parseSymbols(tab: Section): ElfSymbol[] {
    const is64 = this.header.class === 64;
    const le = this.header.littleEndian;
    const symSize = is64 ? 24 : 16;
    const stride = tab.entsize === 0 ? symSize : tab.entsize;
    if (stride < symSize) {
      throw this.err('BAD_HEADER', `symbol entry size ${tab.entsize} is smaller than a symbol (${symSize})`, tab.fileOffset, tab.name);
    }
    if (tab.type === SHT.NOBITS) return [];
    const data = this.readSection(tab);
    const count = Math.floor(data.length / stride);
    const strSec = this.sections[tab.link];
    if (tab.link === 0 || !strSec) {
      throw this.err('BAD_HEADER', `symbol table's string table index ${tab.link} is invalid`, tab.fileOffset, tab.name);
    }
    const strings = this.readSection(strSec);
    const names = Buffer.from(strings.buffer, strings.byteOffset, strings.length);
    const shndxSec = this.sections.find((s) => s.type === SHT.SYMTAB_SHNDX && s.link === tab.index);
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
          if (!shndxSec) {
            throw this.err('BAD_HEADER', `symbol ${i} uses SHN_XINDEX but there is no SHT_SYMTAB_SHNDX section`, tab.fileOffset + p, tab.name);
          }
          const t = this.readSection(shndxSec);
          shndxTable = new DataView(t.buffer, t.byteOffset, t.byteLength);
        }
        if (i * 4 + 4 > shndxTable.byteLength) {
          const s = shndxSec!;
          throw this.err('EOF', `symbol ${i} has no entry in ${s.name} (${shndxTable.byteLength} bytes)`, s.fileOffset + shndxTable.byteLength, s.name);
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
}

function isZdebugHeader(raw: Uint8Array): boolean {
  return raw.length >= 12 && raw[0] === 0x5a && raw[1] === 0x4c && raw[2] === 0x49 && raw[3] === 0x42;
}
