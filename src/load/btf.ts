/**
 * Loading BTF: a raw BTF file (/sys/kernel/btf/vmlinux, /sys/kernel/btf/<module>) or the `.BTF`
 * section of an ELF file, split BTF over its base, and which source (DWARF or BTF) a file is read
 * from (pahole's -F order).
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { arch } from 'node:process';
import { btfRoots, btfToModel, isBtf, parseBtf, type BtfAlignmentInference, type BtfBlob } from '../btf/index.js';
import { EM } from '../elf/constants.js';
import { openElf, type ElfFile } from '../elf/index.js';
import type { FileInfo } from '../model/source.js';
import type { LoadedFile } from './loaded.js';
import { StructscopeError } from '../util/errors.js';

export type DebugFormat = 'dwarf' | 'btf';

/** What the CLI's -F and --btf-base ask for. */
export interface SourceOptions {
  format?: DebugFormat[];
  btfBase?: string;
}

/** The running kernel's BTF: what structscope (like pahole) reads when given no file. */
export const RUNNING_KERNEL_BTF = '/sys/kernel/btf/vmlinux';

/**
 * pahole's order when -F is not given (dwarves.c debug_fmt_table: dwarf, btf, ctf): DWARF first,
 * BTF when the file has no DWARF.
 */
export const DEFAULT_FORMAT_ORDER: readonly DebugFormat[] = ['dwarf', 'btf'];

/** A raw BTF file is read whole; anything larger is not BTF anyone produced. */
const MAX_RAW_BTF = 1 << 30;

export interface BtfFileOptions {
  /** The base of a split BTF file (pahole --btf_base). */
  btfBase?: string;
  /**
   * Infer forced alignment from offsets as pahole does (what `pahole -F btf` prints); false: BTF's
   * facts only (no alignment at all). Default: pahole 1.24's rule, 64-byte cachelines.
   */
  btfAlignment?: BtfAlignmentInference | false;
  /** Only these struct/union names (and what they reach) are wanted: `-C` (the result is partial). */
  onlyNames?: readonly string[];
  /** A whole text dump: only the structs and unions and what they reach are wanted (partial). */
  onlyAggregates?: boolean;
  /** Exported names (`diff --abi`): their BTF_KIND_FUNC / BTF_KIND_VAR become LoadedFile.roots. */
  roots?: ReadonlySet<string>;
}

/**
 * The base pahole finds by itself: a file under /sys/kernel/btf/ other than vmlinux is a module's
 * split BTF over the running kernel's.
 */
export function implicitBtfBase(path: string): string | undefined {
  return path.startsWith('/sys/kernel/btf/') && !path.includes('/vmlinux') ? RUNNING_KERNEL_BTF : undefined;
}

/** True when the file starts with the BTF magic (either byte order). */
export function isRawBtfFile(path: string): boolean {
  let fd: number | undefined;
  try {
    // never block on a FIFO or device: only a regular file is sniffed (openElf reports the others)
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    if (!fstatSync(fd).isFile()) return false;
    const head = new Uint8Array(2);
    return readSync(fd, head, 0, 2, 0) === 2 && isBtf(head);
  } catch {
    return false; // the loader that follows reports why the file cannot be read
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Read a raw BTF file whole (sysfs files report their size; read until EOF anyway). */
function readRaw(path: string): Uint8Array {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    throw new StructscopeError('IO', `cannot open: ${(e as Error).message}`, { file: path });
  }
  try {
    if (!fstatSync(fd).isFile()) throw new StructscopeError('IO', 'not a regular file', { file: path });
    let buf = new Uint8Array(Math.max(4096, Math.min(MAX_RAW_BTF, fstatSync(fd).size + 1)));
    let n = 0;
    for (;;) {
      if (n === buf.length) {
        if (buf.length >= MAX_RAW_BTF) throw new StructscopeError('LIMIT', `raw BTF larger than ${MAX_RAW_BTF} bytes`, { file: path });
        const bigger = new Uint8Array(Math.min(MAX_RAW_BTF, buf.length * 2));
        bigger.set(buf);
        buf = bigger;
      }
      const got = readSync(fd, buf, n, buf.length - n, n);
      if (got === 0) break;
      n += got;
    }
    return buf.subarray(0, n);
  } catch (e) {
    if (e instanceof StructscopeError) throw e;
    throw new StructscopeError('IO', `cannot read: ${(e as Error).message}`, { file: path });
  } finally {
    closeSync(fd);
  }
}

interface BlobSource {
  blob: BtfBlob;
  elf?: { machine: number; machineName: string; elfClass: 32 | 64; littleEndian: boolean; flags: number; buildId?: string };
}

/** A BTF blob from a raw file or an ELF file's .BTF section, over `base` when split. */
function readBlob(path: string, base?: BtfBlob): BlobSource {
  try {
    if (isRawBtfFile(path)) return { blob: parseBtf(readRaw(path), { fileOffset: 0 }, base) };
    let elf: ElfFile | undefined;
    try {
      elf = openElf(path);
      const sec = elf.section('.BTF');
      if (!sec) throw new StructscopeError('NO_DEBUG_INFO', 'no BTF type information (no .BTF section)', { file: path });
      const bytes = elf.readSection(sec);
      const blob = parseBtf(bytes, { section: '.BTF', fileOffset: sec.fileOffset }, base);
      const h = elf.header;
      const facts: BlobSource['elf'] = { machine: h.machine, machineName: elf.machineName, elfClass: h.class, littleEndian: h.littleEndian, flags: h.flags };
      const id = elf.buildId();
      if (id) facts.buildId = id;
      return { blob, elf: facts };
    } finally {
      elf?.close();
    }
  } catch (e) {
    if (e instanceof StructscopeError) throw e.withFile(path);
    throw e;
  }
}

/** The machine a raw BTF file of the running kernel describes: this host's. */
function hostMachine(): { machine: number; machineName: string; elfClass: 32 | 64 } | undefined {
  switch (arch) {
    case 'x64':
      return { machine: EM.X86_64, machineName: 'x86_64', elfClass: 64 };
    case 'arm64':
      return { machine: EM.AARCH64, machineName: 'aarch64', elfClass: 64 };
    default:
      return undefined;
  }
}

/** Load a file's BTF (with its base, explicit or implicit) into the model. */
export function loadBtfFile(path: string, opts: BtfFileOptions = {}): LoadedFile {
  const basePath = opts.btfBase ?? implicitBtfBase(path);
  const base = basePath !== undefined ? readBlob(basePath).blob : undefined;
  const src = readBlob(path, base);
  const infer = opts.btfAlignment ?? { cachelineSize: 64, pahole: '1.24' };
  const btf = btfToModel(src.blob, { pahole: infer === false ? '1.31' : (infer.pahole ?? '1.24'), ...(infer !== false ? { inferAlignment: infer } : {}), ...(src.elf ? { addressSize: src.elf.elfClass / 8 } : {}), ...(opts.onlyNames ? { onlyNames: opts.onlyNames } : {}), ...(opts.onlyAggregates ? { onlyAggregates: true } : {}) });
  const host = !src.elf && path.startsWith('/sys/kernel/btf/') ? hostMachine() : undefined;
  const info: FileInfo = {
    path,
    machine: src.elf?.machine ?? host?.machine ?? 0,
    machineName: src.elf?.machineName ?? host?.machineName ?? 'unknown (raw BTF)',
    elfClass: src.elf?.elfClass ?? host?.elfClass ?? (btf.addressSize === 4 ? 32 : 64),
    littleEndian: btf.littleEndian,
    flags: src.elf?.flags ?? 0,
    addressSize: btf.addressSize,
    dwarfVersions: [],
    debugFormat: 'btf',
    filesRead: basePath !== undefined ? [path, basePath] : [path],
  };
  if (src.elf?.buildId) info.buildId = src.elf.buildId;
  const loaded: LoadedFile = { info, table: btf.table, diagnostics: btf.diagnostics, partial: btf.partial };
  if (opts.roots) loaded.roots = btfRoots(src.blob, btf.table, opts.roots);
  return loaded;
}

/**
 * Which sources to try, in order: -F as given; BTF alone with a base (pahole forces it);
 * otherwise DWARF then BTF.
 */
export function formatOrder(path: string, format: readonly DebugFormat[] | undefined, btfBase: string | undefined): readonly DebugFormat[] {
  if (format && format.length) return format;
  if (btfBase !== undefined || implicitBtfBase(path) !== undefined) return ['btf'];
  return DEFAULT_FORMAT_ORDER;
}

/** True when `path` will be read from BTF (-F btf first, a BTF base, or a raw BTF file). */
export function readsBtf(path: string, source: SourceOptions = {}): boolean {
  return formatOrder(path, source.format, source.btfBase)[0] === 'btf' || isRawBtfFile(path);
}
