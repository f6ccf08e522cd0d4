/**
 * Where separate debug info lives: the standard places gdb, elfutils and distributions use.
 *
 *  - build-id:  <root>/.build-id/NN/REST.debug for each root (/usr/lib/debug, then every --debug-dir)
 *  - debuglink: the .gnu_debuglink name in the file's own directory, in `.debug/` beside it,
 *               under /usr/lib/debug/<dir>/ and under each --debug-dir/<dir>/; the CRC32 must match
 *  - dwz:       the .gnu_debugaltlink path (relative to the file), /usr/lib/debug/.dwz/…, or by build-id
 *  - .dwo:      DW_AT_comp_dir/DW_AT_dwo_name, else the dwo's name beside the binary; `<binary>.dwp`
 *
 * Which of these a name from the binary may reach, and what may be read there: named-files.ts.
 */
import path from 'node:path';
import { isNamedRegularFile, joinInside, namedFileCrc32, resolvesInside } from './named-files.js';

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

/** A place to look: the path, and the directories its real path must stay inside (named-files.ts). */
export interface Candidate {
  path: string;
  inside: string[];
}

/** `<root>/.build-id/NN/REST.debug` for each root. */
export function buildIdCandidates(buildId: string, roots: readonly string[]): string[] {
  return buildIdPlaces(buildId, roots).map((c) => c.path);
}

function buildIdPlaces(buildId: string, roots: readonly string[]): Candidate[] {
  if (buildId.length < 3 || !/^[0-9a-f]+$/.test(buildId)) return [];
  return roots.map((r) => ({ path: path.join(r, '.build-id', buildId.slice(0, 2), `${buildId.slice(2)}.debug`), inside: [r] }));
}

/** Where a .gnu_debuglink name is looked for, in order (names that climb out of a directory are not looked for there). */
export function debugLinkCandidates(file: string, name: string, roots: readonly string[]): string[] {
  return debugLinkPlaces(file, name, roots).map((c) => c.path);
}

function debugLinkPlaces(file: string, name: string, roots: readonly string[]): Candidate[] {
  const dir = path.dirname(path.resolve(file));
  const out: Candidate[] = [];
  const add = (base: string, inside: string): void => {
    const p = joinInside(base, name);
    if (p && !out.some((c) => c.path === p)) out.push({ path: p, inside: [inside] });
  };
  add(dir, dir);
  add(path.join(dir, '.debug'), dir);
  for (const r of roots) add(path.join(r, dir), r);
  return out;
}

/** Where the dwz supplementary file named by .gnu_debugaltlink is looked for, in order. */
export function altLinkCandidates(file: string, name: string, buildId: string, roots: readonly string[]): string[] {
  return altLinkPlaces(file, name, buildId, roots).map((c) => c.path);
}

/** The dwz file's real path must stay inside the naming file's directory or a debug root. */
export function altLinkPlaces(file: string, name: string, buildId: string, roots: readonly string[]): Candidate[] {
  const dir = path.dirname(path.resolve(file));
  const inside = [dir, ...roots];
  const out = [path.isAbsolute(name) ? path.normalize(name) : path.join(dir, name)];
  // a debug file found under a debug root names its .dwz file relative to the original binary
  for (const r of roots) {
    if (path.isAbsolute(name)) out.push(path.join(r, name));
    out.push(path.join(r, '.dwz', path.basename(name)));
  }
  out.push(...buildIdCandidates(buildId, roots));
  return dedupe(out).map((p) => ({ path: p, inside }));
}

/**
 * Where the .dwo named by a skeleton unit is looked for, in order: only names ending in `.dwo`,
 * under comp_dir (absolute) or beside the binary, never climbing out of either with `..`.
 */
export function dwoCandidates(binary: string, dwoName: string, compDir: string | undefined): string[] {
  if (!dwoName.endsWith('.dwo')) return [];
  const dir = path.dirname(path.resolve(binary));
  const out: (string | undefined)[] = [];
  if (path.isAbsolute(dwoName)) out.push(path.normalize(dwoName));
  else if (compDir && path.isAbsolute(compDir)) out.push(joinInside(compDir, dwoName));
  // fallback: relative to the binary (build trees are moved; comp_dir is often "." after prefix maps)
  if (!path.isAbsolute(dwoName)) out.push(joinInside(dir, dwoName));
  out.push(joinInside(dir, path.basename(dwoName)));
  return dedupe(out.filter((p): p is string => p !== undefined));
}

/** A file a binary named that may be read: a regular file outside /proc, /sys … (named-files.ts). */
export function isFile(p: string): boolean {
  return isNamedRegularFile(p);
}

/** Whether `c` may be read: a regular file whose real path is inside its directories. */
function allowed(c: Candidate): boolean {
  return isNamedRegularFile(c.path) && resolvesInside(c.path, c.inside);
}

/** CRC32 (the .gnu_debuglink one: IEEE 802.3, reflected, init and xorout 0xffffffff) of a whole file; undefined when unreadable. */
export function fileCrc32(p: string): number | undefined {
  return namedFileCrc32(p, crc32Update);
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
    for (const c of buildIdPlaces(buildId, roots)) {
      tried.push(c.path);
      if (path.resolve(c.path) !== self && allowed(c)) return { found: { path: c.path, role: 'build-id' }, tried, rejected };
    }
  }
  if (debugLink) {
    for (const c of debugLinkPlaces(file, debugLink.name, roots)) {
      tried.push(c.path);
      if (path.resolve(c.path) === self || !allowed(c)) continue;
      // compared, never shown: the CRC of a file the user did not name is not theirs to learn
      if (fileCrc32(c.path) === debugLink.crc) return { found: { path: c.path, role: 'debuglink' }, tried, rejected };
      rejected.push(`${c.path}: its CRC32 does not match the .gnu_debuglink CRC 0x${hex32(debugLink.crc)}`);
    }
  }
  return { tried, rejected };
}

/** The first candidate that may be read. */
export function firstExisting(candidates: readonly string[]): string | undefined {
  return candidates.find(isFile);
}

function hex32(v: number): string {
  return v.toString(16).padStart(8, '0');
}

function dedupe(list: string[]): string[] {
  return [...new Set(list)];
}
