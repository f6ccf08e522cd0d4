/**
 * ELF container reading: header, section table, section contents (raw and decompressed),
 * symbols, notes, build-id and debug links. This is the I/O; the bytes are parsed by the pure
 * functions of headers.ts, symbols.ts and notes.ts.
 *
 * Only the ELF header and the section header table are read when a file is opened; every
 * other read is a positioned `fs.readSync` of exactly the bytes asked for, so files of any
 * size (vmlinux > 2 GB) can be used. Offsets and sizes are numbers, exact up to 2^53.
 */
import * as fs from 'node:fs';
import { StructscopeError, type ErrorCode } from '../util/errors.js';
import { currentLimits } from '../util/limits.js';
import { Reader, cstringAt } from '../util/reader.js';
import { MAX_BUFFER, decompressZstd, inflateZlib } from './compress.js';
import { EHDR64_SIZE, SHDR32_SIZE, SHDR64_SIZE, parseElfHeader, parseSectionHeader } from './headers.js';
import { hex, parseDebugAltLink, parseDebugLink, parseNotes } from './notes.js';
import { elfError, namingFile } from './parse-errors.js';
import { parseSymbolTable, symbolStride } from './symbols.js';
import type { ElfHeader, ElfNote, ElfSymbol, Section } from './types.js';
import { ELFCOMPRESS_ZLIB, ELFCOMPRESS_ZSTD, NT_GNU_BUILD_ID, SHF, SHN, SHT, machineName } from './constants.js';

/** Most sections a file may declare; real files stay far below (65 K is already unusual). */
export const MAX_SECTIONS = 1 << 24;

/** Largest single read(2): Node refuses lengths above 2^31 - 1. */
const READ_CHUNK = 1 << 30;


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
    this.header = parseElfHeader(this.readAt(0, Math.min(this.fileSize, EHDR64_SIZE), 'ELF header'), path);
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
    return this.named(() => parseNotes(this.readSection(section), this.header.littleEndian, section));
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
    const s = this.section('.gnu_debuglink');
    if (!s || s.type === SHT.NOBITS) return undefined;
    return this.named(() => parseDebugLink(this.readSection(s), this.header.littleEndian, s));
  }

  /** Contents of .gnu_debugaltlink: path of the dwz supplementary file and its build-id (hex). */
  debugAltLink(): { name: string; buildId: string } | undefined {
    const s = this.section('.gnu_debugaltlink');
    if (!s || s.type === SHT.NOBITS) return undefined;
    return this.named(() => parseDebugAltLink(this.readSection(s), this.header.littleEndian, s));
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
    return elfError(this.path, code, detail, fileOffset, section);
  }

  /** Run `fn`, naming this file in any StructscopeError it throws. */
  private named<T>(fn: () => T): T {
    return namingFile(this.path, fn);
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
      const s0 = this.sectionHeader(this.readAt(h.shoff, entSize, 'section headers'), 0, h.shoff);
      if (count === 0) count = s0.size;
      if (shstrndx === SHN.XINDEX) shstrndx = s0.link;
    }
    if (count > MAX_SECTIONS) throw this.err('LIMIT', `${count} sections is more than ${MAX_SECTIONS}`, h.shoff);
    const tableSize = count * h.shentsize;
    const table = this.readAt(h.shoff, tableSize, 'section headers');
    const sections: Section[] = new Array(count);
    for (let i = 0; i < count; i++) {
      sections[i] = this.sectionHeader(table, i, h.shoff + i * h.shentsize);
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

  private sectionHeader(table: Uint8Array, index: number, fileOffset: number): Section {
    return parseSectionHeader(table, index, this.header, fileOffset, this.path);
  }

  private parseSymbols(tab: Section): ElfSymbol[] {
    const is64 = this.header.class === 64;
    symbolStride(this.path, tab, is64);
    if (tab.type === SHT.NOBITS) return [];
    const data = this.readSection(tab);
    const strSec = this.sections[tab.link];
    if (tab.link === 0 || !strSec) {
      throw this.err('BAD_HEADER', `symbol table's string table index ${tab.link} is invalid`, tab.fileOffset, tab.name);
    }
    const strings = this.readSection(strSec);
    const shndxSec = this.sections.find((sec) => sec.type === SHT.SYMTAB_SHNDX && sec.link === tab.index);
    const shndx = shndxSec && { section: shndxSec, read: () => this.readSection(shndxSec) };
    return parseSymbolTable({ file: this.path, is64, littleEndian: this.header.littleEndian, tab, data, strings, shndx });
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
}

function isZdebugHeader(raw: Uint8Array): boolean {
  return raw.length >= 12 && raw[0] === 0x5a && raw[1] === 0x4c && raw[2] === 0x49 && raw[3] === 0x42;
}
