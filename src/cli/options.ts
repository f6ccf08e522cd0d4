/**
 * The command line's shared parts: the option groups several commands take (the files and types to
 * select, the debug info to read), pahole's alias table for the epilog, and the conversions from
 * parsed arguments to the run functions' options. main.ts dispatches the commands.
 */
import { availableParallelism } from 'node:os';
import type { Argv } from 'yargs';
import { LIMIT_ENV, parseSize } from '../util/limits.js';
import { regexProblem } from '../util/regex-check.js';
import { splitPatterns } from '../report/select.js';
import { isRegexPattern } from '../model/selection.js';
import { RUNNING_KERNEL_BTF, type DebugFormat } from '../load/btf.js';
import { EXIT_CODES_HELP } from './exit-codes.js';

/** pahole's spellings accepted as aliases of ours (each defined with its option), then the exit codes. */
export const EPILOG = `pahole's spellings work too: -s, -H N, -c N, --class_name, -y, -E, -V, -a, -A, -I, --compile, -R, -S, -i, -f, -d, -z, -B, --hex, --packed, --padding_ge, --with_flexible_array, --skip_missing (README: "pahole's command line").\n\n${EXIT_CODES_HELP}`;

/** The options show and check share: which files, which types, how to report problems. */
export function withSelection<T>(y: Argv<T>, filesRequired = true) {
  return withTypeFilters(
    withSource(y).positional('files', { type: 'string', array: true, demandOption: filesRequired, describe: filesRequired ? 'ELF files: vmlinux, .ko, .o, executables, .debug files; raw BTF files' : `ELF files: vmlinux, .ko, .o, executables, .debug files; raw BTF files (default: ${RUNNING_KERNEL_BTF})` }),
  )
    .option('verbose', { alias: ['v', 'V'], type: 'boolean', default: false, describe: 'list every problem found in the debug info' })
    .option('cache', { type: 'boolean', default: true, describe: 'use and keep type indexes in $STRUCTSCOPE_CACHE_DIR or ~/.cache/structscope (--no-cache: neither read nor write them)' })
    .option('debug-dir', { type: 'string', describe: 'also look for separate debug files under DIR, like /usr/lib/debug (DIR/.build-id/NN/REST.debug, DIR/<dir>/NAME); repeatable' });
}

/** Which types (show, check, reorg and diff): -C, --structs, --unions, -x, -y, --skip_missing. */
export function withTypeFilters<T>(y: Argv<T>) {
  return y
    .option('class', { alias: ['C', 'class_name'], type: 'string', describe: 'only these types: NAME[,NAME...] or /REGEX/ (repeatable)' })
    .option('structs', { type: 'boolean', default: false, describe: 'only structs and classes' })
    .option('unions', { type: 'boolean', default: false, describe: 'only unions' })
    .option('exclude', { alias: 'x', type: 'string', describe: 'leave out types whose name starts with PREFIX (repeatable)' })
    .option('prefix-filter', { alias: ['y', 'prefix_filter'], type: 'string', describe: 'only types whose name starts with PREFIX (repeatable)' })
    .option('skip-missing', { alias: 'skip_missing', type: 'boolean', default: false, describe: 'a -C name that matches nothing is not an error' });
}

/*
 * No option takes `array: true`: an array option swallows the file names after it (`-C NAME FILE`,
 * pahole's order). A list option is repeated instead, and each value may hold commas.
 */

/** An option given once is a string, given several times an array. */
export function repeated(v: unknown): string[] | undefined {
  return v === undefined ? undefined : ([] as unknown[]).concat(v).map(String);
}

/** `-C a,b -C c` → ['a,b', 'c'] (the selection splits on commas itself). */
export const debugDirs = repeated;

/** Usage errors in the shared options (thrown for yargs .check()). */
export function checkSelection(a: { structs: boolean; unions: boolean; class?: unknown }): void {
  if (a.structs && a.unions) throw new Error('--structs and --unions exclude each other');
  for (const c of repeated(a.class) ?? []) {
    const items = splitPatterns(String(c));
    if (items.length === 0) throw new Error(`-C ${JSON.stringify(String(c))}: no type name or /REGEX/ given`);
    for (const item of items) {
      if (isRegexPattern(item)) {
        try {
          new RegExp(item.slice(1, -1));
        } catch {
          throw new Error(`-C ${item}: not a valid regular expression`);
        }
        const problem = regexProblem(item.slice(1, -1));
        if (problem) throw new Error(`-C ${item}: refused: ${problem}`);
      }
    }
  }
}

/** --max-section-size / --max-compression-ratio: checked, then set for this process and its children. */
export function applyLimits(size: unknown, ratio: unknown): void {
  if (size !== undefined) {
    if (parseSize(String(size)) === undefined) throw new Error(`--max-section-size ${String(size)}: not a size (bytes, or a number with K, M, G)`);
    process.env[LIMIT_ENV.maxSectionSize] = String(size);
  }
  if (ratio !== undefined) {
    if (typeof ratio !== 'number' || !(ratio > 0)) throw new Error('--max-compression-ratio takes a positive number');
    process.env[LIMIT_ENV.maxCompressionRatio] = String(ratio);
  }
}

/** BTF input: which debug info to read (pahole's -F, --btf_base). */
export function withSource<T>(y: Argv<T>) {
  return y
    .option('format_path', { alias: 'F', type: 'string', describe: 'read this debug info: dwarf, btf, or both in order (dwarf,btf: the default, as pahole)' })
    .option('btf-base', { alias: 'btf_base', type: 'string', describe: 'the base BTF (vmlinux) of a split BTF file; found by itself under /sys/kernel/btf/' })
    .check((a) => {
      for (const f of String(a.format_path ?? 'dwarf').split(',')) if (f !== 'dwarf' && f !== 'btf') throw new Error(`-F ${f}: not dwarf or btf`);
      return true;
    });
}

/** The loading options of -F and --btf-base. */
export function sourceOf(a: { format_path?: unknown; 'btf-base'?: unknown }): { format?: DebugFormat[]; btfBase?: string } {
  const s: { format?: DebugFormat[]; btfBase?: string } = {};
  if (a.format_path !== undefined) s.format = String(a.format_path).split(',') as DebugFormat[];
  if (a['btf-base'] !== undefined) s.btfBase = String(a['btf-base']);
  return s;
}

/** `-y a,b -y c` → ['a', 'b', 'c']; undefined when not given. */
export function splitList(v: unknown): string[] | undefined {
  const items = repeated(v)?.flatMap((x) => x.split(',')).filter((x) => x !== '');
  return items?.length ? items : undefined;
}

/** What every command selects: the debug info to read (-F, --btf-base) and the types (-C, --structs, --unions, -x, -y). */
export function selectionOf(a: { format_path?: unknown; 'btf-base'?: unknown; class?: unknown; structs: boolean; unions: boolean; exclude?: unknown; 'prefix-filter'?: unknown }) {
  return {
    source: sourceOf(a),
    classes: repeated(a.class),
    structs: a.structs,
    unions: a.unions,
    exclude: repeated(a.exclude),
    prefix: splitList(a['prefix-filter']),
  };
}

/** One worker per core, up to 4 (more buys little: the merge and the output are serial). */
export function defaultJobs(): number {
  return Math.max(1, Math.min(4, availableParallelism()));
}

/** `--fail-on size,holes --fail-on removed` → ['size', 'holes', 'removed']. */
export function failOnKinds(v: unknown): string[] {
  return (repeated(v) ?? []).flatMap((x) => String(x).split(',')).filter((x) => x !== '');
}

/** Colour for --format map: on a terminal unless NO_COLOR is set; FORCE_COLOR (not 0) forces it. */
export function useColor(): boolean {
  if (process.env.NO_COLOR) return false;
  const force = process.env.FORCE_COLOR;
  if (force !== undefined && force !== '') return force !== '0' && force !== 'false';
  return process.stdout.isTTY === true;
}

