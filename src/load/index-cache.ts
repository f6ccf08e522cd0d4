/**
 * Where type indexes live and how they are read and written. One file per (build-id or path,
 * size, mtime) under the user's cache directory. Writes go to a unique temporary file that is
 * renamed into place, so concurrent runs never see a torn index (the last writer wins, and
 * both wrote the same thing). A missing, stale or corrupt index is simply not used.
 *
 * The cache directory may be shared (a CI farm's), so what is in it is untrusted input: an index
 * is opened without following a symlink, only as a regular file (a FIFO never blocks: O_NONBLOCK),
 * at most MAX_INDEX_BYTES, and its checksum only proves it is not torn. That it tells the truth
 * about the binary is checked by the loader (load/index.ts) against the units it reads.
 */
import { closeSync, constants, fstatSync, lutimesSync, mkdirSync, openSync, readdirSync, readSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, parse, resolve } from 'node:path';
import { crypto } from '../util/lazy-builtins.js';
import { decodeTypeIndex, encodeTypeIndex, type IndexKey, type TypeIndex } from './type-index.js';

/** $STRUCTSCOPE_CACHE_DIR, else $XDG_CACHE_HOME/structscope, else ~/.cache/structscope. */
export function cacheDirectory(env: NodeJS.ProcessEnv = process.env): string {
  if (env.STRUCTSCOPE_CACHE_DIR) return resolve(env.STRUCTSCOPE_CACHE_DIR);
  const base = env.XDG_CACHE_HOME && env.XDG_CACHE_HOME.startsWith('/') ? env.XDG_CACHE_HOME : join(homedir(), '.cache');
  return join(base, 'structscope');
}

/** The key of the file at `path` as it is now (build-id read by the caller). */
export function indexKeyOf(path: string, buildId: string | undefined): IndexKey {
  const st = statSync(path);
  return { buildId: buildId ?? '', size: st.size, mtimeMs: Math.trunc(st.mtimeMs) };
}

/** Index file path: files with a build-id share one entry wherever they are; others are keyed by path too. */
export function indexPath(dir: string, path: string, key: IndexKey): string {
  const id = key.buildId || crypto().createHash('sha256').update(resolve(path)).digest('hex').slice(0, 32);
  return join(dir, 'index-v1', `${id}-${key.size}-${key.mtimeMs}.idx`);
}

/** Largest index file read: a vmlinux index is a few MB. */
export const MAX_INDEX_BYTES = 256 << 20;

export function readIndex(file: string, key: IndexKey): TypeIndex | undefined {
  const text = readCacheFile(file);
  const index = text === undefined ? undefined : decodeTypeIndex(text, key);
  if (index) {
    try {
      lutimesSync(file, new Date(), new Date()); // its age counts from its last use (pruneIndexes); never through a symlink
    } catch {
      // a read-only cache still serves
    }
  }
  return index;
}

/** A cache file's text: never through a symlink, only a regular file of bounded size; undefined otherwise. */
function readCacheFile(file: string): string | undefined {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch {
    return undefined;
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile() || st.size > MAX_INDEX_BYTES) return undefined;
    const buf = Buffer.alloc(st.size);
    let at = 0;
    while (at < st.size) {
      const n = readSync(fd, buf, at, st.size - at, at);
      if (n <= 0) break;
      at += n;
    }
    return buf.subarray(0, at).toString('utf8');
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/** Forget an index found to be wrong about its binary (the name only: never opened again). */
export function discardIndex(file: string): void {
  rmSync(file, { force: true });
}

/**
 * Create `dir` and its missing parents one at a time (mkdir -p). Node's recursive mkdir loops
 * forever under /proc; here every failure ends the attempt. False when the directory cannot be made.
 */
export function makeDirectory(dir: string): boolean {
  const missing: string[] = [];
  const root = parse(resolve(dir)).root;
  for (let d = resolve(dir); d !== root; d = dirname(d)) {
    const st = statSync(d, { throwIfNoEntry: false });
    if (st) {
      if (!st.isDirectory()) return false;
      break;
    }
    missing.unshift(d);
    if (missing.length > 64) return false;
  }
  for (const d of missing) {
    try {
      mkdirSync(d, { mode: 0o700 });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') return false;
    }
    if (!statSync(d, { throwIfNoEntry: false })?.isDirectory()) return false;
  }
  return true;
}

/** Write atomically; failures (read-only cache, full disk) are not errors: the index is an optimisation. */
export function writeIndex(file: string, index: TypeIndex): boolean {
  const tmp = `${file}.${process.pid}.${crypto().randomBytes(8).toString('hex')}.tmp`;
  try {
    if (!makeDirectory(dirname(file))) return false;
    writeFileSync(tmp, encodeTypeIndex(index), { flag: 'wx', mode: 0o600 }); // never through a planted symlink
    renameSync(tmp, file);
    pruneIndexes(join(file, '..'), { keep: file });
    return true;
  } catch {
    rmSync(tmp, { force: true });
    return false;
  }
}

/** Indexes unused for this long are deleted when another is written. */
export const INDEX_MAX_AGE_MS = 30 * 24 * 3600_000;
/** The indexes together stay under this many bytes: the least recently used go first. */
export const INDEX_MAX_TOTAL_BYTES = 256 << 20;
/** A temporary file this old was left by a writer that died. */
const TMP_MAX_AGE_MS = 3600_000;

/**
 * Delete, in the index directory, the indexes unused (read or written) for INDEX_MAX_AGE_MS, then
 * the least recently used until the rest fit in INDEX_MAX_TOTAL_BYTES, and temporary files left by
 * dead writers. `keep` (the index just written) is never deleted. Failures are ignored.
 */
export function pruneIndexes(
  dir: string,
  opts: { keep?: string; now?: number; maxAgeMs?: number; maxTotalBytes?: number } = {},
): string[] {
  const now = opts.now ?? Date.now();
  const maxAge = opts.maxAgeMs ?? INDEX_MAX_AGE_MS;
  const maxTotal = opts.maxTotalBytes ?? INDEX_MAX_TOTAL_BYTES;
  const removed: string[] = [];
  const remove = (f: string) => {
    try {
      rmSync(f, { force: true });
      removed.push(f);
    } catch {
      // someone else's file, or already gone
    }
  };
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return removed;
  }
  const live: { file: string; mtime: number; size: number }[] = [];
  for (const name of names) {
    const file = join(dir, name);
    const st = statSync(file, { throwIfNoEntry: false });
    if (!st?.isFile() || file === opts.keep) continue;
    if (name.endsWith('.tmp')) {
      if (now - st.mtimeMs > TMP_MAX_AGE_MS) remove(file);
    } else if (name.endsWith('.idx')) {
      if (now - st.mtimeMs > maxAge) remove(file);
      else live.push({ file, mtime: st.mtimeMs, size: st.size });
    }
  }
  const keepSize = opts.keep ? (statSync(opts.keep, { throwIfNoEntry: false })?.size ?? 0) : 0;
  let total = keepSize + live.reduce((n, f) => n + f.size, 0);
  for (const f of live.sort((a, b) => a.mtime - b.mtime)) {
    if (total <= maxTotal) break;
    remove(f.file);
    total -= f.size;
  }
  return removed;
}

/**
 * Keep the index of `path` built elsewhere (a parallel dump's workers each index their units):
 * 'present' when one is already there, 'written', or 'unusable' when it cannot be written.
 */
export function keepIndex(dir: string, path: string, built: { units: [number, number][]; names: Record<string, number[]>; buildId?: string }): 'present' | 'written' | 'unusable' {
  let key: IndexKey;
  try {
    key = indexKeyOf(path, built.buildId);
  } catch {
    return 'unusable';
  }
  const file = indexPath(dir, path, key);
  if (readIndex(file, key)) return 'present';
  return writeIndex(file, { ...key, units: built.units, names: built.names }) ? 'written' : 'unusable';
}
