/**
 * Files that a binary names (DW_AT_decl_file, the line table, debuglink, dwo names, …) are
 * untrusted input: whoever built the binary chose those strings. This module is the one place
 * that turns such a name into a path we open, and it never lets the name choose where that is:
 * a `..` component is refused, symlinks are resolved and the result re-checked against the root,
 * and only regular files of bounded size are read.
 */
import { closeSync, constants, fstatSync, openSync, readSync, realpathSync, statSync } from 'node:fs';
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
