/**
 * Where separate debug info lives: the standard places gdb, elfutils and distributions use.
 *
 *  - build-id:  <root>/.build-id/NN/REST.debug for each root (/usr/lib/debug, then every --debug-dir)
 *  - debuglink: the .gnu_debuglink name in the file's own directory, in `.debug/` beside it,
 *               under /usr/lib/debug/<dir>/ and under each --debug-dir/<dir>/; the CRC32 must match
 *  - dwz:       the .gnu_debugaltlink path (relative to the file), /usr/lib/debug/.dwz/…, or by build-id
 *  - .dwo:      DW_AT_comp_dir/DW_AT_dwo_name, else the dwo's name beside the binary; `<binary>.dwp`
 */
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import path from 'node:path';

/** How a file other than the one named on the command line came to be read. */
export type DebugFileRole = 'build-id' | 'debuglink' | 'dwo' | 'dwp' | 'supplementary';

export interface DebugFileUse {
  path: string;
  role: DebugFileRole;
}

export const SYSTEM_DEBUG_ROOT = '/usr/lib/debug';

/** Debug roots in search order: the system one, then those given with --debug-dir. */
export function debugRoots(extra: readonly string[] = []): string[] {
  return [SYSTEM_DEBUG_ROOT, ...extra];
}

/** `<root>/.build-id/NN/REST.debug` for each root. */
export function buildIdCandidates(buildId: string, roots: readonly string[]): string[] {
  if (buildId.length < 3) return [];
  return roots.map((r) => path.join(r, '.build-id', buildId.slice(0, 2), `${buildId.slice(2)}.debug`));
}

/** Where a .gnu_debuglink name is looked for, in order. */
export function debugLinkCandidates(file: string, name: string, roots: readonly string[]): string[] {
  const dir = path.dirname(path.resolve(file));
  const out = [path.join(dir, name), path.join(dir, '.debug', name)];
  for (const r of roots) out.push(path.join(r, dir, name));
  return dedupe(out);
}

/** Where the dwz supplementary file named by .gnu_debugaltlink is looked for, in order. */
export function altLinkCandidates(file: string, name: string, buildId: string, roots: readonly string[]): string[] {
  const dir = path.dirname(path.resolve(file));
  const out = [path.isAbsolute(name) ? name : path.join(dir, name)];
  // a debug file found under a debug root names its .dwz file relative to the original binary
  for (const r of roots) {
    if (path.isAbsolute(name)) out.push(path.join(r, name));
    out.push(path.join(r, '.dwz', path.basename(name)));
  }
  out.push(...buildIdCandidates(buildId, roots));
  return dedupe(out);
}

/** Where the .dwo named by a skeleton unit is looked for, in order. */
export function dwoCandidates(binary: string, dwoName: string, compDir: string | undefined): string[] {
  const dir = path.dirname(path.resolve(binary));
  const out: string[] = [];
  if (path.isAbsolute(dwoName)) out.push(dwoName);
  else if (compDir && path.isAbsolute(compDir)) out.push(path.join(compDir, dwoName));
  // fallback: relative to the binary (build trees are moved; comp_dir is often "." after prefix maps)
  out.push(path.join(dir, dwoName), path.join(dir, path.basename(dwoName)));
  return dedupe(out);
}

export function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

/** CRC32 (the .gnu_debuglink one: IEEE 802.3, reflected, init and xorout 0xffffffff) of a whole file. */
export function fileCrc32(p: string): number {
  const fd = openSync(p, 'r');
  try {
    const buf = new Uint8Array(1 << 20);
    let crc = 0xffffffff;
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n <= 0) break;
      crc = crc32Update(crc, buf, n);
    }
    return (crc ^ 0xffffffff) >>> 0;
  } finally {
    closeSync(fd);
  }
}

let table: Uint32Array | undefined;

function crc32Update(crc: number, b: Uint8Array, n: number): number {
  if (!table) {
    table = new Uint32Array(256);
    for (let i = 0; i < 256; i++) {
      let c = i;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[i] = c >>> 0;
    }
  }
  for (let i = 0; i < n; i++) crc = table[(crc ^ b[i]!) & 0xff]! ^ (crc >>> 8);
  return crc;
}

export interface SeparateDebugLookup {
  /** The debug file found, or undefined. */
  found?: DebugFileUse;
  /** Every path tried, in order (for the error when nothing is found). */
  tried: string[];
  /** Candidates that exist but were rejected (wrong CRC), one message each. */
  rejected: string[];
}

/**
 * Find the separate debug file of a stripped binary: by build-id first, then by .gnu_debuglink
 * (the candidate's CRC32 must equal the one recorded in the link).
 */
export function findSeparateDebugFile(
  file: string,
  buildId: string | undefined,
  debugLink: { name: string; crc: number } | undefined,
  roots: readonly string[],
): SeparateDebugLookup {
  const tried: string[] = [];
  const rejected: string[] = [];
  const self = path.resolve(file);
  if (buildId) {
    for (const c of buildIdCandidates(buildId, roots)) {
      tried.push(c);
      if (path.resolve(c) !== self && isFile(c)) return { found: { path: c, role: 'build-id' }, tried, rejected };
    }
  }
  if (debugLink) {
    for (const c of debugLinkCandidates(file, debugLink.name, roots)) {
      tried.push(c);
      if (path.resolve(c) === self || !isFile(c)) continue;
      const crc = fileCrc32(c);
      if (crc === debugLink.crc) return { found: { path: c, role: 'debuglink' }, tried, rejected };
      rejected.push(`${c}: CRC32 0x${hex32(crc)} does not match the .gnu_debuglink CRC 0x${hex32(debugLink.crc)}`);
    }
  }
  return { tried, rejected };
}

/** The first existing candidate. */
export function firstExisting(candidates: readonly string[]): string | undefined {
  return candidates.find((c) => existsSync(c) && isFile(c));
}

function hex32(v: number): string {
  return v.toString(16).padStart(8, '0');
}

function dedupe(list: string[]): string[] {
  return [...new Set(list)];
}
