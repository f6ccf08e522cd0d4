/**
 * Where type indexes live and how they are read and written. One file per (build-id or path,
 * size, mtime) under the user's cache directory. Writes go to a unique temporary file that is
 * renamed into place, so concurrent runs never see a torn index (the last writer wins, and
 * both wrote the same thing). A missing, stale or corrupt index is simply not used.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
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
  const id = key.buildId || createHash('sha256').update(resolve(path)).digest('hex').slice(0, 32);
  return join(dir, 'index-v1', `${id}-${key.size}-${key.mtimeMs}.idx`);
}

export function readIndex(file: string, key: IndexKey): TypeIndex | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const index = decodeTypeIndex(text, key);
  if (index) {
    try {
      utimesSync(file, new Date(), new Date()); // its age counts from its last use (pruneIndexes)
    } catch {
      // a read-only cache still serves
    }
  }
  return index;
}

/** Write atomically; failures (read-only cache, full disk) are not errors: the index is an optimisation. */
export function writeIndex(file: string, index: TypeIndex): boolean {
  const tmp = `${file}.${process.pid}.${randomBytes(8).toString('hex')}.tmp`;
  try {
    mkdirSync(join(file, '..'), { recursive: true });
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
