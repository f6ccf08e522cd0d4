#!/usr/bin/env node
/**
 * Background builder of a file's type index: `node build-index.js CACHE_DIR FILE [LOCK]`. Started
 * detached by a `-C NAME` run that found no index, so the next such run reads only the units it
 * needs. Silent; any failure just leaves no index.
 */
import { rmSync } from 'node:fs';
import { loadFile } from '../load/index.js';

/** argv: CACHE_DIR FILE [LOCK]; the lock (load-selected.ts) is removed when done, whatever happened. */
const [cacheDir, path, lock] = process.argv.slice(2);
if (cacheDir && path) {
  try {
    loadFile(path, { cacheDir });
  } catch {
    process.exitCode = 1;
  } finally {
    if (lock) rmSync(lock, { force: true });
  }
}
