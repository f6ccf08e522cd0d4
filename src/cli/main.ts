#!/usr/bin/env node
import { availableParallelism } from 'node:os';
import yargs, { type Argv } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { SORT_FIELDS, type SortField } from '../report/sort-fields.js';
import { processOutput } from './output.js';
import { cacheDirectory } from '../load/index-cache.js';
import { FAIL_ON_KINDS, type FailOnKind } from '../diff/regressions.js';
import { ABIS } from '../layout/abi/targets.js';
import { DEFAULT_LIMITS, LIMIT_ENV, parseSize } from '../util/limits.js';
import { regexProblem } from '../util/regex-check.js';
import { splitPatterns } from '../report/select.js';
import { RUNNING_KERNEL_BTF, type DebugFormat } from '../load/btf.js';
import { DEFAULT_PAHOLE_DIALECT, PAHOLE_DIALECTS, type PaholeDialect } from '../layout/types.js';

import { EXIT, EXIT_CODES_HELP } from './exit-codes.js';
import { closestOption } from './suggest.js';

const EPILOG = `pahole's spellings work too: -s, -H N, -c N, --class_name, -y, -E, -V, -a, -R, -S, -i, -f, -d, -z, -B, --hex, --packed, --padding_ge, --with_flexible_array, --skip_missing (README: "pahole's command line").\n\n${EXIT_CODES_HELP}`;

/** The options show and check share: which files, which types, how to report problems. */
function withSelection<T>(y: Argv<T>, filesRequired = true) {
  return withSource(y)
    .positional('files', { type: 'string', array: true, demandOption: filesRequired, describe: filesRequired ? 'ELF files: vmlinux, .ko, .o, executables, .debug files; raw BTF files' : `ELF files: vmlinux, .ko, .o, executables, .debug files; raw BTF files (default: ${RUNNING_KERNEL_BTF})` })
    .option('class', { alias: ['C', 'class_name'], type: 'string', describe: 'only these types: NAME[,NAME...] or /REGEX/ (repeatable)' })
    .option('structs', { type: 'boolean', default: false, describe: 'only structs and classes' })
    .option('unions', { type: 'boolean', default: false, describe: 'only unions' })
    .option('exclude', { alias: 'x', type: 'string', describe: 'leave out types whose name starts with PREFIX (repeatable)' })
    .option('prefix-filter', { alias: ['y', 'prefix_filter'], type: 'string', describe: 'only types whose name starts with PREFIX (repeatable)' })
    .option('skip-missing', { alias: 'skip_missing', type: 'boolean', default: false, describe: 'a -C name that matches nothing is not an error' })
    .option('verbose', { alias: ['v', 'V'], type: 'boolean', default: false, describe: 'list every problem found in the debug info' })
    .option('cache', { type: 'boolean', default: true, describe: 'use and keep type indexes in $STRUCTSCOPE_CACHE_DIR or ~/.cache/structscope (--no-cache: neither read nor write them)' })
    .option('debug-dir', { type: 'string', describe: 'also look for separate debug files under DIR, like /usr/lib/debug (DIR/.build-id/NN/REST.debug, DIR/<dir>/NAME); repeatable' });
}

/*
 * No option takes `array: true`: an array option swallows the file names after it (`-C NAME FILE`,
 * pahole's order). A list option is repeated instead, and each value may hold commas.
 */

/** An option given once is a string, given several times an array. */
function repeated(v: unknown): string[] | undefined {
  return v === undefined ? undefined : ([] as unknown[]).concat(v).map(String);
}

/** `-C a,b -C c` → ['a,b', 'c'] (the selection splits on commas itself). */
const debugDirs = repeated;

/** Usage errors in the shared options (thrown for yargs .check()). */
function checkSelection(a: { structs: boolean; unions: boolean; class?: unknown }): void {
  if (a.structs && a.unions) throw new Error('--structs and --unions exclude each other');
  for (const c of repeated(a.class) ?? []) {
    const items = splitPatterns(String(c));
    if (items.length === 0) throw new Error(`-C ${JSON.stringify(String(c))}: no type name or /REGEX/ given`);
    for (const item of items) {
      if (item.length > 2 && item.startsWith('/') && item.endsWith('/')) {
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
function applyLimits(size: unknown, ratio: unknown): void {
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
function withSource<T>(y: Argv<T>) {
  return y
    .option('format_path', { alias: 'F', type: 'string', describe: 'read this debug info: dwarf, btf, or both in order (dwarf,btf: the default, as pahole)' })
    .option('btf-base', { alias: 'btf_base', type: 'string', describe: 'the base BTF (vmlinux) of a split BTF file; found by itself under /sys/kernel/btf/' })
    .check((a) => {
      for (const f of String(a.format_path ?? 'dwarf').split(',')) if (f !== 'dwarf' && f !== 'btf') throw new Error(`-F ${f}: not dwarf or btf`);
      return true;
    });
}

/** The loading options of -F and --btf-base. */
function sourceOf(a: { format_path?: unknown; 'btf-base'?: unknown }): { format?: DebugFormat[]; btfBase?: string } {
  const s: { format?: DebugFormat[]; btfBase?: string } = {};
  if (a.format_path !== undefined) s.format = String(a.format_path).split(',') as DebugFormat[];
  if (a['btf-base'] !== undefined) s.btfBase = String(a['btf-base']);
  return s;
}

/** `-y a,b -y c` → ['a', 'b', 'c']; undefined when not given. */
function splitList(v: unknown): string[] | undefined {
  const items = repeated(v)?.flatMap((x) => x.split(',')).filter((x) => x !== '');
  return items?.length ? items : undefined;
}

/** show's options that only make sense together (thrown for yargs .check(): a usage error, exit 64). */
function checkShowCombinations(a: {
  format: string;
  sort?: string;
  sizes: boolean;
  packable: boolean;
  hex: boolean;
  expand: boolean;
  'rel-offset': boolean;
  'show-only-data-members': boolean;
  'anon-include': boolean;
  contains?: string;
  'find-pointers-to'?: string;
  recursive: boolean;
  reorganize: boolean;
  'show-reorg-steps': boolean;
  target?: string;
  class?: unknown;
}): void {
  const query = a.contains !== undefined ? '--contains' : a['find-pointers-to'] !== undefined ? '--find_pointers_to' : undefined;
  // -P filters every format (text: pahole's lines; JSON and table: the packable types)
  const textOnly = a.sizes ? '--sizes' : query ?? (a.reorganize ? '--reorganize' : undefined);
  if (a.contains !== undefined && a['find-pointers-to'] !== undefined) throw new Error('--contains and --find_pointers_to exclude each other');
  if (query && a.class !== undefined) throw new Error(`${query} takes the type name itself; it cannot be combined with -C`);
  if (query && (a.sizes || a.packable || a.reorganize)) throw new Error(`${query} prints a list of names; it cannot be combined with --sizes, --packable or --reorganize`);
  if (a.sizes && a.packable) throw new Error('--sizes and --packable exclude each other');
  if (a.reorganize && (a.sizes || a.packable)) throw new Error('--reorganize cannot be combined with --sizes or --packable');
  if (a.reorganize && a.target !== undefined) throw new Error('--reorganize cannot be combined with --target (reorg uses the file\'s own ABI)');
  if (textOnly && a.format !== 'text') throw new Error(`${textOnly} has text output only; drop --format ${a.format}`);
  if (a.recursive && a.contains === undefined) throw new Error('--recursive (-d) only applies to --contains (-i)');
  if (a['show-reorg-steps'] && !a.reorganize) throw new Error('--show_reorg_steps (-S) only applies to --reorganize (-R)');
  if (a.hex && (a.format !== 'text' || a.sizes || a.packable || query || a.reorganize)) throw new Error('--hex only applies to the layouts printed as text');
  if (a.expand && ((a.format !== 'text' && a.format !== 'json') || a.sizes || a.packable || query || a.reorganize)) throw new Error('--expand only applies to the layouts printed as text or JSON');
  for (const [on, name] of [[a['rel-offset'], '--rel_offset'], [a['show-only-data-members'], '--show_only_data_members'], [a['anon-include'], '--anon_include']] as const) {
    if (on && (a.format !== 'text' || a.sizes || a.packable || query || a.reorganize)) throw new Error(`${name} only applies to the layouts printed as text`);
  }
  if (a.sort !== undefined) {
    const field = a.sort || 'name';
    if (a.format === 'json') throw new Error('--sort applies to --format table and to the text layouts, not to JSON');
    if (a.format === 'table') {
      if (!(SORT_FIELDS as readonly string[]).includes(field)) throw new Error(`--sort ${field}: not one of ${SORT_FIELDS.join(', ')}`);
    } else {
      if (field !== 'name') throw new Error(`--sort ${field}: the text layouts sort by name only (other fields: --format table)`);
      if (textOnly) throw new Error(`--sort cannot be combined with ${textOnly}`);
    }
  }
}

/** What every command selects: the debug info to read (-F, --btf-base) and the types (-C, --structs, --unions, -x, -y). */
function selectionOf(a: { format_path?: unknown; 'btf-base'?: unknown; class?: unknown; structs: boolean; unions: boolean; exclude?: unknown; 'prefix-filter'?: unknown }) {
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
function defaultJobs(): number {
  return Math.max(1, Math.min(4, availableParallelism()));
}

/** `--fail-on size,holes --fail-on removed` → ['size', 'holes', 'removed']. */
function failOnKinds(v: unknown): string[] {
  return (repeated(v) ?? []).flatMap((x) => String(x).split(',')).filter((x) => x !== '');
}

/** Colour for --format map: on a terminal unless NO_COLOR is set; FORCE_COLOR (not 0) forces it. */
function useColor(): boolean {
  if (process.env.NO_COLOR) return false;
  const force = process.env.FORCE_COLOR;
  if (force !== undefined && force !== '') return force !== '0' && force !== 'false';
  return process.stdout.isTTY === true;
}

/** Parse arguments and run; returns the exit code. The only module that touches process. */
export async function main(argv: string[]): Promise<number> {
  const out = processOutput();
  let code = 0;
  let usageError: string | undefined;
  const parser = yargs(argv);
  await parser
    .scriptName('structscope')
    .usage('$0 [show] FILE... [options]\n\nShow how the compiler laid out the structs, unions and classes of ELF files with DWARF debug info, exactly as pahole prints them.')
    .command(
      ['show [files..]', '$0 [files..]'],
      'print struct layouts (the default command)',
      (y) =>
        withSelection(y, false)
          .option('sizes', { alias: 's', type: 'boolean', default: false, describe: 'print name, size and number of holes per type (pahole --sizes)' })
          .option('packable', { alias: 'P', type: 'boolean', default: false, describe: 'types that reordering can shrink: name, size, packed size, savings (pahole --packable)' })
          .option('holes', { alias: 'H', type: 'number', describe: 'only structs with at least N holes' })
          .option('bit-holes', { alias: ['B', 'bit_holes'], type: 'number', describe: 'only structs with at least N bit holes' })
          .option('hole-size-ge', { alias: ['z', 'hole_size_ge'], type: 'number', describe: 'only structs with a hole of at least N bytes' })
          .option('padding-ge', { alias: 'padding_ge', type: 'number', describe: 'only structs with at least N bytes of tail padding' })
          .option('packed', { type: 'boolean', default: false, describe: 'only structs pahole infers __attribute__((__packed__)) for' })
          .option('with-flexible-array', { alias: 'with_flexible_array', type: 'boolean', default: false, describe: 'only structs ending in a flexible array' })
          .option('with-embedded-flexible-array', { alias: 'with_embedded_flexible_array', type: 'boolean', default: false, describe: 'only structs with a struct member that ends in a flexible array' })
          .option('decl-exclude', { alias: ['D', 'decl_exclude'], type: 'string', describe: 'leave out types declared in files whose name starts with PREFIX' })
          .option('contains', { alias: ['i'], type: 'string', describe: 'list the types with a member of type NAME (pahole -i)' })
          .option('find-pointers-to', { alias: ['f', 'find_pointers_to'], type: 'string', describe: 'list TYPE: MEMBER for every member that points to NAME (pahole -f)' })
          .option('recursive', { alias: 'd', type: 'boolean', default: false, describe: 'with --contains: also the member types that contain NAME, indented' })
          .option('reorganize', { alias: 'R', type: 'boolean', default: false, describe: 'the smaller member order of each -C struct: runs `structscope reorg` (validated by the layout engine; not pahole\'s own --reorganize output)' })
          .option('show-reorg-steps', { alias: ['S', 'show_reorg_steps'], type: 'boolean', default: false, describe: 'with -R: the layout after each move (reorg --steps)' })
          .option('expand', { alias: ['E', 'expand_types'], type: 'boolean', default: false, describe: 'expand nested types inline' })
          .option('anon-include', { alias: ['a', 'anon_include'], type: 'boolean', default: false, describe: 'also anonymous structs/unions a typedef names, as `typedef struct {...} NAME;` (pahole -a)' })
          .option('hex', { type: 'boolean', default: false, describe: 'offsets and sizes in hexadecimal' })
          .option('show-only-data-members', { alias: ['M', 'show_only_data_members'], type: 'boolean', default: false, describe: 'C++: only the data members, no methods, nested types or vtable (pahole -M)' })
          .option('rel-offset', { alias: ['r', 'rel_offset'], type: 'boolean', default: false, describe: 'offsets inside nested structs/unions relative to them (pahole -r)' })
          .option('cacheline-size', { alias: ['c', 'cacheline_size'], type: 'number', describe: 'cacheline size in bytes (default 64, or the target\'s with --target)' })
          .option('target', { choices: Object.keys(ABIS), describe: 'predict the layouts for this ABI from the file\'s types' })
          .option('source-dir', { type: 'string', describe: 'with --target: read the C definitions under this directory, so that only attributes they declare are flagged' })
          .option('strict', { type: 'boolean', default: false, hidden: true, describe: 'with --target: no effect (flagging what DWARF cannot show is the default)' })
          .option('format', { choices: ['text', 'json', 'table', 'map', 'html'] as const, default: 'text' as const, describe: 'output format (map: cacheline map for the terminal; html: a self-contained report page)' })
          .option('width', { type: 'number', describe: '--format map: columns to fit (default: the terminal\'s, or 80)' })
          .option('sort', { type: 'string', describe: `sort by this field: --format table: ${SORT_FIELDS.join(', ')}; text: name (pahole --sort, the default value)` })
          .option('all-definitions', { type: 'boolean', default: false, describe: 'print every distinct definition of a name, not only the first' })
          .option('pahole', { type: 'string', choices: PAHOLE_DIALECTS, default: DEFAULT_PAHOLE_DIALECT, describe: 'print the text as this pahole version does' })
          .option('jobs', { alias: 'j', type: 'number', default: defaultJobs(), describe: 'worker threads for whole-file dumps of large files (1: none)' })
          .example('$0 vmlinux -C task_struct', 'one struct, as pahole -C task_struct prints it')
          .example('$0 -C sk_buff,net_device -E vmlinux', 'pahole order works too; -E expands nested types')
          .example('$0 foo.ko -H 2 --format table --sort holes', 'structs with two holes or more, the most holes first')
          .example('$0 vmlinux -i list_head -d', 'which types contain a struct list_head (pahole -i)')
          .check((a) => {
            if (!Number.isInteger(a.jobs) || a.jobs < 1) throw new Error('--jobs takes a positive whole number');
            if (a['cacheline-size'] !== undefined && (!Number.isInteger(a['cacheline-size']) || a['cacheline-size'] < 1)) throw new Error('--cacheline-size takes a positive whole number');
            if (a.width !== undefined && (!Number.isInteger(a.width) || a.width < 20)) throw new Error('--width takes a whole number of at least 20');
            for (const k of ['holes', 'bit-holes', 'hole-size-ge', 'padding-ge'] as const) {
              const v = a[k];
              if (v !== undefined && (!Number.isInteger(v) || v < 0)) throw new Error(`--${k} takes a whole number`);
            }
            checkShowCombinations(a);
            checkSelection(a);
            return true;
          }),
      async (a) => {
        if (usageError !== undefined) return; // yargs still calls the handler after .fail()
        if (a.reorganize) {
          // pahole -R [-S] -C NAME: our reorganizer, whose sizes the layout engine validates
          const { runReorg } = await import('./reorg.js');
          code = runReorg(
            {
              files: a.files as string[],
              ...selectionOf(a),
              format: 'text',
              cachelineSize: a['cacheline-size'] ?? 64,
              pin: [],
              hot: [],
              keepCachelines: false,
              steps: a['show-reorg-steps'],
              skipMissing: a['skip-missing'],
              verbose: a.verbose,
            },
            out,
          );
          return;
        }
        const { runShow } = await import('./show.js');
        code = await runShow(
          {
            files: (a.files as string[] | undefined)?.length ? (a.files as string[]) : [RUNNING_KERNEL_BTF],
            source: sourceOf(a),
            classes: repeated(a.class),
            sizes: a.sizes,
            packable: a.packable,
            structs: a.structs || a['with-embedded-flexible-array'], // pahole: it implies --structs
            unions: a.unions,
            exclude: repeated(a.exclude),
            prefix: splitList(a['prefix-filter']),
            holes: a.holes,
            filter: { holes: a.holes, bitHoles: a['bit-holes'], holeSizeGe: a['hole-size-ge'], paddingGe: a['padding-ge'], packed: a.packed, withFlexibleArray: a['with-flexible-array'], withEmbeddedFlexibleArray: a['with-embedded-flexible-array'], declExclude: a['decl-exclude'] },
            contains: a.contains,
            findPointersTo: a['find-pointers-to'],
            recursive: a.recursive,
            anonInclude: a['anon-include'],
            expand: a.expand,
            relOffset: a['rel-offset'],
            onlyDataMembers: a['show-only-data-members'],
            hex: a.hex,
            cachelineSize: a['cacheline-size'],
            target: a.target,
            sourceDir: a['source-dir'],
            format: a.format,
            width: a.width ?? (process.stdout.isTTY ? process.stdout.columns : undefined) ?? 80,
            color: useColor(),
            sort: a.sort === undefined ? undefined : ((a.sort || 'name') as SortField),
            allDefinitions: a['all-definitions'],
            skipMissing: a['skip-missing'],
            verbose: a.verbose,
            cacheDir: a.cache ? cacheDirectory() : undefined,
            jobs: a.jobs,
            pahole: a.pahole as PaholeDialect,
            debugDir: debugDirs(a['debug-dir']),
          },
          out,
        );
      },
    )
    .command(
      'check <files..>',
      "compare each layout with the ABI's rules: natural, explained by attributes, unexplained or unpredictable",
      (y) =>
        withSelection(y)
          .option('format', { choices: ['text', 'json'] as const, default: 'text' as const, describe: 'output format' })
          .option('all-definitions', { type: 'boolean', default: false, describe: 'check every distinct definition of a name, not only the first' })
          .example('$0 check vmlinux -C task_struct', 'is task_struct laid out as the plain ABI rules say, or by attributes?')
          .example('$0 check drivers/net/virtio_net.ko --structs', 'every struct of a module; exit 1 if one is unexplained')
          .example('$0 check prog.o --format json > check.json', 'the verdicts as data (schema/check.schema.json)')
          .epilog('Exit codes: 0 every layout natural or explained; 1 a layout is unexplained, or a -C name matched nothing (unless --skip-missing); 2 a file could not be read or its machine has no ABI rules; 3 internal error; 64 usage error.')
          .check((a) => {
            checkSelection(a);
            return true;
          }),
      async (a) => {
        if (usageError !== undefined) return;
        const { runCheck } = await import('./check.js');
        code = runCheck(
          {
            files: a.files as string[],
            ...selectionOf(a),
            allDefinitions: a['all-definitions'],
            format: a.format,
            skipMissing: a['skip-missing'],
            verbose: a.verbose,
            debugDir: debugDirs(a['debug-dir']),
          },
          out,
        );
      },
    )
    .command(
      'diff <old> <new>',
      'compare the layouts of two builds (ELF files or saved show --format json reports); --fail-on gates CI',
      (y) =>
        withSource(y)
          .positional('old', { type: 'string', demandOption: true, describe: 'the old build: ELF file or show --format json report' })
          .positional('new', { type: 'string', demandOption: true, describe: 'the new build: ELF file or show --format json report' })
          .option('class', { alias: ['C', 'class_name'], type: 'string', describe: 'only these types: NAME[,NAME...] or /REGEX/ (repeatable)' })
          .option('structs', { type: 'boolean', default: false, describe: 'only structs and classes' })
          .option('unions', { type: 'boolean', default: false, describe: 'only unions' })
          .option('exclude', { alias: 'x', type: 'string', describe: 'leave out types whose name starts with PREFIX (repeatable)' })
          .option('prefix-filter', { alias: ['y', 'prefix_filter'], type: 'string', describe: 'only types whose name starts with PREFIX (repeatable)' })
          .option('skip-missing', { alias: 'skip_missing', type: 'boolean', default: false, describe: 'a -C name that matches nothing is not an error' })
          .option('verbose', { alias: ['v', 'V'], type: 'boolean', default: false, describe: 'print the layouts before and after, and every problem found in the debug info' })
          .option('format', { choices: ['text', 'json', 'table', 'html'] as const, default: 'text' as const, describe: 'output format (html: old and new side by side, a self-contained page)' })
          .option('fail-on', { type: 'string', describe: `exit 1 when one of these regressions is present: ${FAIL_ON_KINDS.join(',')}` })
          .option('cacheline-size', { alias: ['c', 'cacheline_size'], type: 'number', default: 64, describe: 'cacheline size in bytes (a JSON report keeps its own)' })
          .example('$0 diff old/vmlinux new/vmlinux -C sk_buff', 'what changed in sk_buff between two builds')
          .example('$0 diff baseline.json build/foo.ko --fail-on size,holes', 'CI gate: exit 1 when a type grew or gained holes')
          .example('$0 show foo.ko --format json > baseline.json', 'save a baseline to diff against later')
          .example('$0 diff a.o b.o --format table --structs', 'the changed structs as a table')
          .epilog('Exit codes: 0 no --fail-on regression; 1 a --fail-on regression, or a -C name matched in neither input (unless --skip-missing); 2 an input could not be read; 3 internal error; 64 usage error (a --fail-on kind that does not exist included).')
          .check((a) => {
            if (!Number.isInteger(a['cacheline-size']) || a['cacheline-size'] < 1) throw new Error('--cacheline-size takes a positive whole number');
            for (const v of repeated(a['fail-on']) ?? []) if (v.split(',').some((k) => k.trim() === '')) throw new Error(`--fail-on '${v}': empty kind; one or more of ${FAIL_ON_KINDS.join(', ')}`);
            for (const k of failOnKinds(a['fail-on'])) if (!(FAIL_ON_KINDS as readonly string[]).includes(k)) throw new Error(`--fail-on ${k}: not one of ${FAIL_ON_KINDS.join(', ')}`);
            checkSelection(a);
            return true;
          }),
      async (a) => {
        if (usageError !== undefined) return;
        const { runDiff } = await import('./diff.js');
        code = await runDiff(
          {
            old: a.old as string,
            new: a.new as string,
            ...selectionOf(a),
            format: a.format,
            failOn: failOnKinds(a['fail-on']) as FailOnKind[],
            cachelineSize: a['cacheline-size'],
            skipMissing: a['skip-missing'],
            verbose: a.verbose,
          },
          out,
        );
      },
    )
    .command(
      'reorg <files..>',
      'propose a smaller member order per struct (validated by the layout engine), or the source patch that applies it',
      (y) =>
        withSelection(y)
          .option('format', { choices: ['text', 'json', 'html'] as const, default: 'text' as const, describe: 'output format (html: current and proposed layouts side by side)' })
          .option('cacheline-size', { alias: ['c', 'cacheline_size'], type: 'number', default: 64, describe: 'cacheline size in bytes' })
          .option('pin', { type: 'string', describe: 'keep these members in place (NAME[,NAME...]; repeatable)' })
          .option('keep-cachelines', { type: 'boolean', default: false, describe: 'keep every member in its current cacheline' })
          .option('steps', { alias: ['S', 'show_reorg_steps'], type: 'boolean', default: false, describe: 'show the layout after each move' })
          .option('patch', { type: 'string', describe: 'print a unified diff of the sources under SRC_DIR (patch -p1 in SRC_DIR applies it)' })
          // issue 16: a bounded patch, and members read together
          .option('max-moves', { type: 'number', describe: 'at most N moved members per struct (default 8; with --hot, no limit unless given)' })
          .option('hot', { type: 'string', describe: 'members read together (NAME[,NAME...]; repeatable): packed first, into the fewest cachelines' })
          .option('hot-file', { type: 'string', describe: 'the hot members, one name per line' })
          .example('$0 reorg virtio_net.ko -C virtnet_info', 'a smaller member order and the moves that reach it')
          .example('$0 reorg vmlinux -C task_struct --keep-cachelines --pin state', 'shrink without moving members between cachelines')
          .example('$0 reorg foo.o -C conn --patch ~/src/foo | patch -p1 -d ~/src/foo', 'apply the new order to the source')
          .example('$0 reorg virtio_net.ko -C virtnet_info --hot vdev,sq,rq,dev', 'the named members first, in the fewest cachelines')
          .epilog('Exit codes: 0 success; 1 a -C name matched nothing, or no patch could be made; 2 a file could not be read or its machine has no ABI rules; 3 internal error; 64 usage error.')
          .check((a) => {
            if (!Number.isInteger(a['cacheline-size']) || a['cacheline-size'] < 1) throw new Error('--cacheline-size takes a positive whole number');
            if (a['max-moves'] !== undefined && (!Number.isInteger(a['max-moves']) || a['max-moves'] < 0)) throw new Error('--max-moves takes a whole number, 0 or more');
            checkSelection(a);
            return true;
          }),
      async (a) => {
        if (usageError !== undefined) return;
        const { runReorg } = await import('./reorg.js');
        code = runReorg(
          {
            files: a.files as string[],
            ...selectionOf(a),
            format: a.format,
            cachelineSize: a['cacheline-size'],
            pin: (repeated(a.pin) ?? []).flatMap((p) => p.split(',')).filter(Boolean),
            keepCachelines: a['keep-cachelines'],
            maxMoves: a['max-moves'],
            hot: (repeated(a.hot) ?? []).flatMap((p) => p.split(',')).filter(Boolean),
            hotFile: a['hot-file'],
            steps: a.steps,
            patch: a.patch,
            skipMissing: a['skip-missing'],
            verbose: a.verbose,
          },
          out,
        );
      },
    )
    // resource limits (src/util/limits.ts), handed on through the environment to workers and the index builder
    .option('max-section-size', { type: 'string', global: true, describe: `largest decompressed debug section: bytes, or 512M, 4G (default ${DEFAULT_LIMITS.maxSectionSize / 2 ** 30}G)` })
    .option('max-compression-ratio', { type: 'number', global: true, describe: `largest uncompressed:compressed ratio of a debug section (default ${DEFAULT_LIMITS.maxCompressionRatio})` })
    .check((a) => {
      applyLimits(a['max-section-size'], a['max-compression-ratio']);
      return true;
    }, true)
    .command(
      'index <files..>',
      'read each file completely and keep its type index, so that later -C runs read only the units they need',
      (y) =>
        y
          .positional('files', { type: 'string', array: true, demandOption: true, describe: 'ELF files' })
          .option('debug-dir', { type: 'string', describe: 'also look for separate debug files under DIR (repeatable)' })
          .example('$0 index vmlinux', 'build the index once; `$0 vmlinux -C task_struct` is then fast')
          .example('STRUCTSCOPE_INDEX_BACKGROUND=1 $0 vmlinux -C sk_buff', 'or let the first -C run start a background build')
          .example('STRUCTSCOPE_CACHE_DIR=/tmp/idx $0 index *.ko', 'index modules into another cache directory')
          .epilog('Indexes live in $STRUCTSCOPE_CACHE_DIR, else $XDG_CACHE_HOME/structscope, else ~/.cache/structscope; unused for 30 days, or beyond 256 MB in all (least recently used first), they are deleted when another is written.\n\nExit codes: 0 every file indexed (or not indexable, with a warning); 2 a file could not be read; 3 internal error; 64 usage error.'),
      async (a) => {
        if (usageError !== undefined) return;
        const { runIndex } = await import('./index-command.js');
        code = runIndex({ files: a.files as string[], cacheDir: cacheDirectory(), debugDir: debugDirs(a['debug-dir']) }, out);
      },
    )
    .command(
      'exports <files..>',
      'list the exported symbols: EXPORT_SYMBOL/EXPORT_SYMBOL_GPL of vmlinux, .ko and .o (__ksymtab*), else the defined global symbols of .dynsym',
      (y) =>
        y
          .positional('files', { type: 'string', array: true, demandOption: true, describe: 'ELF files: vmlinux, .ko, .o, shared libraries, executables' })
          .option('format', { choices: ['text', 'json'] as const, default: 'text' as const, describe: 'output format' })
          .epilog('Exit codes: 0 success; 2 a file could not be read; 3 internal error; 64 usage error.'),
      async (a) => {
        if (usageError !== undefined) return;
        const { runExports } = await import('./exports.js');
        code = runExports({ files: a.files as string[], format: a.format }, out);
      },
    )
    .strict()
    .epilog(EPILOG)
    .help()
    .alias('h', 'help')
    .version()
    .wrap(Math.min(100, process.stdout.columns || 100))
    .fail((msg, err) => {
      usageError = msg || err?.message || 'invalid arguments';
      const unknown = /^Unknown arguments?: (.*)$/.exec(usageError);
      if (unknown) {
        const known = Object.keys((parser as unknown as { getOptions(): { key: Record<string, unknown> } }).getOptions().key);
        const hints = unknown[1]!.split(', ').map((arg) => ({ arg, near: closestOption(arg, known) }));
        const hint = hints.find((h) => h.near !== undefined);
        if (hint) usageError += `; did you mean ${hint.near}?`;
      }
    })
    .parseAsync();
  if (usageError !== undefined) {
    out.error(`${usageError} (try --help)`);
    return EXIT.usage;
  }
  (out as unknown as { flush?: () => void }).flush?.();
  return code;
}

main(hideBin(process.argv)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    // a bug, not bad input: still one line, no stack trace unless asked for
    process.stderr.write(`structscope: internal error: ${(e as Error)?.message ?? String(e)}\n`);
    if (process.env.STRUCTSCOPE_DEBUG) process.stderr.write(`${(e as Error)?.stack}\n`);
    process.exitCode = 3;
  },
);
