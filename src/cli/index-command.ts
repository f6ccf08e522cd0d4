import { loadFile } from '../load/index.js';
import { isStructscopeError } from '../util/errors.js';
import { EXIT } from './exit-codes.js';
import type { Output } from './output.js';

export interface IndexArgs {
  files: string[];
  cacheDir: string;
  debugDir?: string[];
}

/**
 * `structscope index FILE...`: read each file completely, in the foreground, so that its type index
 * is written (later `-C NAME` runs then read only the units that define NAME). One line per file:
 * `FILE: type index written|present|unusable: INDEX`. Exit 2 when a file could not be read.
 */
export function runIndex(args: IndexArgs, out: Output): number {
  let exit: number = EXIT.ok;
  for (const path of args.files) {
    try {
      const file = loadFile(path, { cacheDir: args.cacheDir, onUnit: out.progress, ...(args.debugDir ? { debugDirs: args.debugDir } : {}) });
      out.progressDone();
      const index = file.index;
      if (!index || index.state === 'unusable') out.warn(`${path}: no type index can be kept for this file (its types refer across units, or live in other files)`);
      else out.write(`${path}: type index ${index.state}: ${index.path}\n`);
    } catch (e) {
      out.progressDone();
      if (!isStructscopeError(e)) throw e;
      out.error(e.message);
      exit = EXIT.unreadable;
    }
  }
  return exit;
}
