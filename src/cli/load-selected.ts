import { formatOrder, isRawBtfFile, loadBtfFile, type SourceOptions } from '../load/btf.js';
import { closeSync, constants, lstatSync, openSync, rmSync } from 'node:fs';
import { childProcess } from '../util/lazy-builtins.js';
import { makeDirectory } from '../load/index-cache.js';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FileLoadOptions } from '../load/index.js';
import type { Diagnostic } from '../util/diagnostic.js';
import type { LoadedFile } from '../load/loaded.js';
import type { TypeId } from '../model/types.js';
import { selectTypes, type Selection } from '../report/select.js';
import { skippedLanguagesNotice } from '../report/languages.js';
import { printableTypes } from '../report/pahole.js';
import { isStructscopeError } from '../util/errors.js';
import type { Output } from './output.js';

export interface SelectedFile {
  file: LoadedFile;
  ids: TypeId[];
  /** 0, or 1 when a -C name matched nothing (and --skip-missing was not given). */
  exit: 0 | 1;
}

/** How a file is loaded: load/index.ts's loadFile, or for a raw BTF file its BTF loader alone. */
export type FileLoader = (path: string, opts: FileLoadOptions) => LoadedFile;

/**
 * The loader for `path`: a raw BTF file read as BTF (what loadFile would do with it) needs
 * neither the DWARF reader nor its modules, which are then not loaded (`-C` on
 * /sys/kernel/btf/vmlinux starts faster); anything else gets loadFile.
 */
export async function loaderFor(path: string, source: SourceOptions = {}): Promise<FileLoader> {
  if (isRawBtfFile(path) && formatOrder(path, source.format, source.btfBase).includes('btf')) return loadBtfFile;
  return (await import('../load/index.js')).loadFile;
}

/**
 * What show and check do first for each file: load it (reporting an unreadable file as one line),
 * report skipped problems, and select the types. Undefined when the file could not be read (exit 2).
 */
export function loadSelected(
  path: string,
  sel: Selection & { skipMissing: boolean; verbose: boolean; debugDir?: string[]; source?: SourceOptions },
  out: Output,
  opts: FileLoadOptions,
  loadFile: FileLoader,
): SelectedFile | undefined {
  let file: LoadedFile;
  try {
    file = loadFile(path, { ...opts, ...sel.source, onUnit: out.progress, ...(sel.debugDir ? { debugDirs: sel.debugDir } : {}) });
  } catch (e) {
    if (!isStructscopeError(e)) throw e;
    out.error(e.message);
    return undefined;
  } finally {
    out.progressDone();
  }
  if (file.index) {
    if (sel.verbose) out.info(`${path}: type index ${file.index.state}: ${file.index.path}${file.index.state === 'missing' ? ` (\`structscope index ${path}\` builds it)` : ''}`);
    else if (file.index.state === 'unwritable') out.warn(`${path}: the type index cache ${file.index.path} cannot be written; continuing without it (--no-cache, or set STRUCTSCOPE_CACHE_DIR)`);
    if (file.index.state === 'missing' && opts.cacheDir !== undefined) buildIndexInBackground(opts.cacheDir, path, file.index.path);
  }
  if (sel.verbose) for (const f of file.info.debugFiles ?? []) out.info(`${path}: debug info read from ${f.path} (${f.role})`);
  reportDiagnostics(out, path, file.diagnostics, sel.verbose);
  const skipped = skippedLanguagesNotice(file.table, () => new Set(printableTypes(file.table)), file.info.unitLanguages);
  if (skipped) out.warn(`${path}: ${skipped}`);
  const { ids, missing } = selectTypes(file.table, sel);
  if (missing.length && !sel.skipMissing) {
    out.error(`${path}: no type matches ${missing.map((m) => `'${m}'`).join(', ')}`);
    return { file, ids, exit: 1 };
  }
  return { file, ids, exit: 0 };
}

/**
 * Problems met in a file's debug info: every one with --verbose; otherwise a missing .dwo,
 * supplementary file or rejected debug file on a line each, and a count of the rest.
 */
export function reportDiagnostics(out: Output, path: string, diagnostics: readonly Diagnostic[], verbose: boolean): void {
  if (verbose) {
    for (const d of diagnostics) out.warn(`${path}: ${d.message}`);
    return;
  }
  const missingFiles = diagnostics.filter((d) => d.missingFile);
  for (const d of missingFiles) out.warn(`${path}: ${d.message}`);
  if (diagnostics.length > missingFiles.length) out.warn(`${path}: ${diagnostics.length} problem(s) in the debug info were skipped (--verbose lists them)`);
}

/** A builder that started this long ago and left its lock behind is taken to have died. */
const STALE_BUILD_MS = 10 * 60_000;

/**
 * Take the lock `path` by creating it exclusively (O_EXCL, which never follows a symlink, and
 * O_NOFOLLOW). A stale lock is unlinked (the name only: whatever a symlink there points at is never
 * opened, truncated or written) and creation is tried once more. False: someone else holds it.
 */
export function takeLock(path: string, staleMs = STALE_BUILD_MS): boolean {
  const flags = constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY | constants.O_NOFOLLOW;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      closeSync(openSync(path, flags, 0o600));
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) return false;
      const st = lstatSync(path, { throwIfNoEntry: false });
      if (st && Date.now() - st.mtimeMs < staleMs) return false; // another run is building it
      rmSync(path, { force: true });
    }
  }
  return false;
}

/**
 * With STRUCTSCOPE_INDEX_BACKGROUND=1: start a detached process that reads the whole file and writes
 * its type index (build-index.ts), unless one is already at it: `<index>.building` is the lock
 * (takeLock). Otherwise nothing: `structscope index FILE` builds it, as does any complete read.
 */
function buildIndexInBackground(cacheDir: string, path: string, indexFile: string): void {
  if (process.env.STRUCTSCOPE_INDEX_BACKGROUND !== '1') return; // only when asked: it reads the whole file after we exit
  const lock = `${indexFile}.building`;
  try {
    if (!makeDirectory(dirname(lock)) || !takeLock(lock)) return;
    const script = fileURLToPath(new URL('./build-index.js', import.meta.url));
    childProcess().spawn(process.execPath, [script, cacheDir, path, lock], { detached: true, stdio: 'ignore' }).unref();
  } catch {
    // the index is an optimisation: no index, no harm
  }
}
