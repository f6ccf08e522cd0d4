/**
 * Files that a binary names (DW_AT_decl_file, the line table, debuglink, dwo names, …) are
 * untrusted input: whoever built the binary chose those strings. This module is the one place
 * that turns such a name into a path we open, and it never lets the name choose where that is:
 * a `..` component is refused, symlinks are resolved and the result re-checked against the root,
 * and only regular files of bounded size are read. The rules, per kind of name (README, Security):
 *
 *  - build-id   <root>/.build-id/NN/REST.debug; its real path stays inside <root>
 *  - debuglink  the name in the binary's directory, its `.debug/`, and <root>/<dir>/; the name may
 *               not climb out of the directory it is joined to, the real path stays inside it
 *  - dwz        .gnu_debugaltlink / .debug_sup: absolute, or relative to the naming file's
 *               directory, or <root>/.dwz/<basename>, or by build-id; the real path stays inside the
 *               naming file's directory or a debug root, and a GNU link's build-id must match
 *  - .dwo       comp_dir/dwo_name (absolute comp_dir), an absolute dwo_name, or beside the binary;
 *               the name must end in `.dwo` and may not climb out of the directory it is joined to
 *  - .dwp       `<binary>.dwp` only (the user's path, no name from the binary)
 *  - decl_file  (reorg --patch) a suffix of the name without `..`, inside SRC_DIR after symlinks
 *
 * Every one must be a regular file (stat follows symlinks; FIFOs, devices, directories refused by
 * type) outside the kernel's pseudo file systems (/proc, /sys, …), checked before a byte is read.
 */
import { closeSync, constants, fstatSync, openSync, readSync, realpathSync, statSync, statfsSync } from 'node:fs';
import { isAbsolute, join, posix, relative, sep } from 'node:path';

/** A file found inside a root: the path to open and its name relative to the root (`/`-separated). */
export interface ContainedFile {
  path: string;
  rel: string;
}

/** Source files larger than this are not read for `--patch` (no C header is anywhere near it). */
export const MAX_SOURCE_BYTES = 16 << 20;

/** True when `path` (already resolved) is `root` itself or below it. */
function isWithin(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/**
 * The regular file `parts` names under `root`, with every symlink resolved and still under the
 * (resolved) root; undefined when there is none. `parts` never holds `..` (callers drop those).
 */
function containedRegularFile(root: string, parts: readonly string[]): ContainedFile | undefined {
  let realRoot: string;
  let real: string;
  try {
    realRoot = realpathSync(root);
    real = realpathSync(join(root, ...parts));
  } catch {
    return undefined;
  }
  if (!isWithin(realRoot, real)) return undefined;
  try {
    if (!statSync(real).isFile()) return undefined;
  } catch {
    return undefined;
  }
  return { path: real, rel: parts.join('/') };
}

/**
 * Find the source file a binary records as `declFile` under `srcDir` (reorg --patch): the longest
 * suffix of its path, free of `..`, that exists as a regular file inside `srcDir` after symlinks
 * are resolved. Absolute and `./`-relative kernel paths both work; `../../etc/passwd` finds only
 * `etc/passwd` under `srcDir`. A string is why nothing was found.
 */
export function sourceUnder(srcDir: string, declFile: string | undefined): ContainedFile | string {
  if (!declFile) return 'no DW_AT_decl_file for the struct';
  const parts = posix.normalize(declFile.replaceAll('\\', '/')).split('/').filter((p) => p && p !== '.');
  // suffixes, longest first, that do not climb: after the last `..` only
  const firstSafe = parts.lastIndexOf('..') + 1;
  for (let k = firstSafe; k < parts.length; k++) {
    const found = containedRegularFile(srcDir, parts.slice(k));
    if (found) return found;
  }
  return `source file ${JSON.stringify(declFile)} not found under ${srcDir} (only regular files inside it, without '..', are used)`;
}

/**
 * Read a file found by `sourceUnder` as text: opened without following a symlink swapped in since
 * it was checked, regular files only, at most `limit` bytes. Throws a message when it cannot.
 */
export function readContainedText(file: ContainedFile, limit = MAX_SOURCE_BYTES): string {
  const fd = openSync(file.path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new Error(`${file.path}: not a regular file`);
    if (st.size > limit) throw new Error(`${file.path}: ${st.size} bytes, more than the ${limit} read for a source file`);
    const buf = Buffer.alloc(st.size);
    let at = 0;
    while (at < st.size) {
      const n = readSync(fd, buf, at, st.size - at, at);
      if (n === 0) break;
      at += n;
    }
    return buf.subarray(0, at).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/** Kernel pseudo file systems (statfs f_type): their files report sizes they do not have, and some reads never end. */
const PSEUDO_FILE_SYSTEMS: Record<number, string> = {
  0x9fa0: 'procfs',
  0x62656572: 'sysfs',
  0x64626720: 'debugfs',
  0x74726163: 'tracefs',
  0xcafe4a11: 'bpffs',
  0x27e0eb: 'cgroupfs',
  0x63677270: 'cgroup2fs',
  0x73636673: 'securityfs',
};

/**
 * Why the file a binary names at `path` may not be read, or undefined when it may: it must be a
 * regular file (symlinks followed) outside the kernel's pseudo file systems. Decided from stat
 * alone, before any byte is read; the message never holds anything of the file's contents.
 */
export function namedFileProblem(path: string): string | undefined {
  let st;
  try {
    st = statSync(path);
  } catch {
    return 'not found';
  }
  if (!st.isFile()) return `not a regular file (${st.isDirectory() ? 'directory' : st.isFIFO() ? 'FIFO' : st.isCharacterDevice() ? 'character device' : st.isBlockDevice() ? 'block device' : st.isSocket() ? 'socket' : 'special file'})`;
  try {
    const fsName = PSEUDO_FILE_SYSTEMS[statfsSync(path).type];
    if (fsName) return `on ${fsName}, which holds no debug files`;
  } catch {
    return 'not found';
  }
  return undefined;
}

/** True when `path` is a regular file a binary may name (namedFileProblem finds nothing). */
export function isNamedRegularFile(path: string): boolean {
  return namedFileProblem(path) === undefined;
}

/**
 * `name` joined to `dir` (which is absolute), or undefined when its `..` components climb out
 * of `dir`: `foo.debug` and `sub/../foo.debug` stay, `../../etc/shadow` does not.
 */
export function joinInside(dir: string, name: string): string | undefined {
  const joined = posix.join(dir, name.replaceAll('\\', '/'));
  return isWithin(posix.normalize(dir), joined) ? joined : undefined;
}

/** True when the real path of `path` (symlinks resolved) lies inside the real path of one of `dirs`. */
export function resolvesInside(path: string, dirs: readonly string[]): boolean {
  let real: string;
  try {
    real = realpathSync(path);
  } catch {
    return false;
  }
  for (const d of dirs) {
    try {
      if (isWithin(realpathSync(d), real)) return true;
    } catch {
      // a directory that does not exist holds nothing
    }
  }
  return false;
}

/**
 * CRC-32 of a whole file a binary named (the .gnu_debuglink check), read through one descriptor
 * that is checked to be a regular file (a FIFO swapped in never blocks: O_NONBLOCK) and never past
 * the size it had when opened. Undefined when it cannot be read. The value is compared, never shown.
 */
export function namedFileCrc32(path: string, update: (crc: number, b: Uint8Array, n: number) => number): number | undefined {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch {
    return undefined;
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return undefined;
    const buf = new Uint8Array(1 << 20);
    let crc = 0xffffffff;
    for (let left = st.size; left > 0; ) {
      const n = readSync(fd, buf, 0, Math.min(buf.length, left), null);
      if (n <= 0) break;
      crc = update(crc, buf, n);
      left -= n;
    }
    return (crc ^ 0xffffffff) >>> 0;
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}
