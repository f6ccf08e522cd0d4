#!/usr/bin/env node
/**
 * Background builder of a file's type index: `node build-index.js CACHE_DIR FILE`. Started
 * detached by a `-C NAME` run that found no index, so the next such run reads only the units it
 * needs. Silent; any failure just leaves no index.
 */
import { loadFile } from '../load/index.js';

const [cacheDir, path] = process.argv.slice(2);
if (cacheDir && path) {
  try {
    loadFile(path, { cacheDir });
  } catch {
    process.exitCode = 1;
  }
}
