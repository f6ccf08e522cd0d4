/**
 * Where type indexes live and how they are read and written. One file per (build-id or path,
 * size, mtime) under the user's cache directory. Writes go to a unique temporary file that is
 * renamed into place, so concurrent runs never see a torn index (the last writer wins, and
 * both wrote the same thing). A missing, stale or corrupt index is simply not used.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
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
  return decodeTypeIndex(text, key);
}

/** Write atomically; failures (read-only cache, full disk) are not errors: the index is an optimisation. */
export function writeIndex(file: string, index: TypeIndex): boolean {
  const tmp = `${file}.${process.pid}.${randomBytes(8).toString('hex')}.tmp`;
  try {
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(tmp, encodeTypeIndex(index), { flag: 'wx', mode: 0o600 }); // never through a planted symlink
    renameSync(tmp, file);
    return true;
  } catch {
    rmSync(tmp, { force: true });
    return false;
  }
}
