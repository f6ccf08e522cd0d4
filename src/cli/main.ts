#!/usr/bin/env node
import { availableParallelism } from 'node:os';
import yargs, { type Argv } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { SORT_FIELDS, type SortField } from '../report/sort-fields.js';
import { processOutput } from './output.js';
import { cacheDirectory } from '../load/index-cache.js';
import { FAIL_ON_KINDS, type FailOnKind } from '../diff/regressions.js';
import { ABIS } from '../layout/abi/targets.js';

const EPILOG = `Exit codes: 0 success; 1 usage error, or a -C name that matched nothing (unless --skip-missing); 2 a file could not be read (missing, not ELF, no debug info, malformed).`;

/** The options show and check share: which files, which types, how to report problems. */
function withSelection<T>(y: Argv<T>) {
  return y
    .positional('files', { type: 'string', array: true, demandOption: true, describe: 'ELF files: vmlinux, .ko, .o, executables, .debug files' })
    .option('class', { alias: 'C', type: 'string', describe: 'only these types: NAME[,NAME...] or /REGEX/ (repeatable)' })
    .option('structs', { type: 'boolean', default: false, describe: 'only structs and classes' })
    .option('unions', { type: 'boolean', default: false, describe: 'only unions' })
    .option('exclude', { alias: 'x', type: 'string', describe: 'leave out types whose name starts with PREFIX (repeatable)' })
    .option('skip-missing', { type: 'boolean', default: false, describe: 'a -C name that matches nothing is not an error' })
    .option('verbose', { alias: 'v', type: 'boolean', default: false, describe: 'list every problem found in the debug info' })
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
    for (const item of String(c).split(',')) {
      if (item.length > 2 && item.startsWith('/') && item.endsWith('/')) {
        try {
          new RegExp(item.slice(1, -1));
        } catch {
          throw new Error(`-C ${item}: not a valid regular expression`);
        }
      }
    }
  }
}

/** One worker per core, up to 4 (more buys little: the merge and the output are serial). */
function defaultJobs(): number {
  return Math.max(1, Math.min(4, availableParallelism()));
}

/** `--fail-on size,holes --fail-on removed` → ['size', 'holes', 'removed']. */
function failOnKinds(v: unknown): string[] {
  return (repeated(v) ?? []).flatMap((x) => String(x).split(',')).filter((x) => x !== '');
}

/** Parse arguments and run; returns the exit code. The only module that touches process. */
export async function main(argv: string[]): Promise<number> {
  const out = processOutput();
  let code = 0;
  let usageError: string | undefined;
  await yargs(argv)
    .scriptName('structscope')
    .usage('$0 [show] FILE... [options]\n\nShow how the compiler laid out the structs, unions and classes of ELF files with DWARF debug info, exactly as pahole prints them.')
    .command(
      ['show <files..>', '$0 <files..>'],
      'print struct layouts (the default command)',
      (y) =>
        withSelection(y)
          .option('sizes', { type: 'boolean', default: false, describe: 'print name, size and number of holes per type (pahole --sizes)' })
          .option('packable', { alias: 'P', type: 'boolean', default: false, describe: 'types that reordering can shrink: name, size, packed size, savings (pahole --packable)' })
          .option('holes', { type: 'number', describe: 'only types with at least N holes' })
          .option('expand', { alias: 'E', type: 'boolean', default: false, describe: 'expand nested types inline' })
          .option('hex', { type: 'boolean', default: false, describe: 'offsets and sizes in hexadecimal' })
          .option('cacheline-size', { type: 'number', describe: 'cacheline size in bytes (default 64, or the target\'s with --target)' })
          .option('target', { choices: Object.keys(ABIS), describe: 'predict the layouts for this ABI from the file\'s types' })
          .option('format', { choices: ['text', 'json', 'table'] as const, default: 'text' as const, describe: 'output format' })
          .option('sort', { choices: SORT_FIELDS, describe: 'sort --format table by this field' })
          .option('all-definitions', { type: 'boolean', default: false, describe: 'print every distinct definition of a name, not only the first' })
          .option('jobs', { alias: 'j', type: 'number', default: defaultJobs(), describe: 'worker threads for whole-file dumps of large files (1: none)' })
          .check((a) => {
            if (!Number.isInteger(a.jobs) || a.jobs < 1) throw new Error('--jobs takes a positive whole number');
            if (a['cacheline-size'] !== undefined && (!Number.isInteger(a['cacheline-size']) || a['cacheline-size'] < 1)) throw new Error('--cacheline-size takes a positive whole number');
            if (a.holes !== undefined && (!Number.isInteger(a.holes) || a.holes < 0)) throw new Error('--holes takes a whole number');
            checkSelection(a);
            return true;
          }),
      async (a) => {
        if (usageError !== undefined) return; // yargs still calls the handler after .fail()
        const { runShow } = await import('./show.js');
        code = await runShow(
          {
            files: a.files as string[],
            classes: repeated(a.class),
            sizes: a.sizes,
            packable: a.packable,
            structs: a.structs,
            unions: a.unions,
            exclude: repeated(a.exclude),
            holes: a.holes,
            expand: a.expand,
            hex: a.hex,
            cachelineSize: a['cacheline-size'],
            target: a.target,
            format: a.format,
            sort: a.sort as SortField | undefined,
            allDefinitions: a['all-definitions'],
            skipMissing: a['skip-missing'],
            verbose: a.verbose,
            cacheDir: a.cache ? cacheDirectory() : undefined,
            jobs: a.jobs,
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
          .epilog('Exit codes: 0 every layout natural or explained; 1 a layout is unexplained, a usage error, or a -C name matched nothing (unless --skip-missing); 2 a file could not be read or its machine has no ABI rules.')
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
            classes: repeated(a.class),
            structs: a.structs,
            unions: a.unions,
            exclude: repeated(a.exclude),
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
        y
          .positional('old', { type: 'string', demandOption: true, describe: 'the old build: ELF file or show --format json report' })
          .positional('new', { type: 'string', demandOption: true, describe: 'the new build: ELF file or show --format json report' })
          .option('class', { alias: 'C', type: 'string', describe: 'only these types: NAME[,NAME...] or /REGEX/ (repeatable)' })
          .option('structs', { type: 'boolean', default: false, describe: 'only structs and classes' })
          .option('unions', { type: 'boolean', default: false, describe: 'only unions' })
          .option('exclude', { alias: 'x', type: 'string', describe: 'leave out types whose name starts with PREFIX (repeatable)' })
          .option('skip-missing', { type: 'boolean', default: false, describe: 'a -C name that matches nothing is not an error' })
          .option('verbose', { alias: 'v', type: 'boolean', default: false, describe: 'print the layouts before and after, and every problem found in the debug info' })
          .option('format', { choices: ['text', 'json', 'table'] as const, default: 'text' as const, describe: 'output format' })
          .option('fail-on', { type: 'string', describe: `exit 1 when one of these regressions is present: ${FAIL_ON_KINDS.join(',')}` })
          .option('cacheline-size', { type: 'number', default: 64, describe: 'cacheline size in bytes (a JSON report keeps its own)' })
          .epilog('Exit codes: 0 no --fail-on regression; 1 a --fail-on regression, a usage error, or a -C name matched in neither input (unless --skip-missing); 2 an input could not be read.')
          .check((a) => {
            if (!Number.isInteger(a['cacheline-size']) || a['cacheline-size'] < 1) throw new Error('--cacheline-size takes a positive whole number');
            for (const k of failOnKinds(a['fail-on'])) if (!(FAIL_ON_KINDS as readonly string[]).includes(k)) throw new Error(`--fail-on ${k}: not one of ${FAIL_ON_KINDS.join(', ')}`);
            checkSelection(a);
            return true;
          }),
      async (a) => {
        if (usageError !== undefined) return;
        const { runDiff } = await import('./diff.js');
        code = runDiff(
          {
            old: a.old as string,
            new: a.new as string,
            classes: repeated(a.class),
            structs: a.structs,
            unions: a.unions,
            exclude: repeated(a.exclude),
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
          .option('format', { choices: ['text', 'json'] as const, default: 'text' as const, describe: 'output format' })
          .option('cacheline-size', { type: 'number', default: 64, describe: 'cacheline size in bytes' })
          .option('pin', { type: 'string', describe: 'keep these members in place (NAME[,NAME...]; repeatable)' })
          .option('keep-cachelines', { type: 'boolean', default: false, describe: 'keep every member in its current cacheline' })
          .option('steps', { type: 'boolean', default: false, describe: 'show the layout after each move' })
          .option('patch', { type: 'string', describe: 'print a unified diff of the sources under SRC_DIR (patch -p1 in SRC_DIR applies it)' })
          .epilog('Exit codes: 0 success; 1 usage error, a -C name matched nothing, or no patch could be made; 2 a file could not be read or its machine has no ABI rules.')
          .check((a) => {
            if (!Number.isInteger(a['cacheline-size']) || a['cacheline-size'] < 1) throw new Error('--cacheline-size takes a positive whole number');
            checkSelection(a);
            return true;
          }),
      async (a) => {
        if (usageError !== undefined) return;
        const { runReorg } = await import('./reorg.js');
        code = runReorg(
          {
            files: a.files as string[],
            classes: repeated(a.class),
            structs: a.structs,
            unions: a.unions,
            exclude: repeated(a.exclude),
            format: a.format,
            cachelineSize: a['cacheline-size'],
            pin: (repeated(a.pin) ?? []).flatMap((p) => p.split(',')).filter(Boolean),
            keepCachelines: a['keep-cachelines'],
            steps: a.steps,
            patch: a.patch,
            skipMissing: a['skip-missing'],
            verbose: a.verbose,
          },
          out,
        );
      },
    )
    .command(
      'exports <files..>',
      'list the exported symbols: EXPORT_SYMBOL/EXPORT_SYMBOL_GPL of vmlinux, .ko and .o (__ksymtab*), else the defined global symbols of .dynsym',
      (y) =>
        y
          .positional('files', { type: 'string', array: true, demandOption: true, describe: 'ELF files: vmlinux, .ko, .o, shared libraries, executables' })
          .option('format', { choices: ['text', 'json'] as const, default: 'text' as const, describe: 'output format' })
          .epilog('Exit codes: 0 success; 1 usage error; 2 a file could not be read.'),
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
    })
    .parseAsync();
  if (usageError !== undefined) {
    out.error(`${usageError} (try --help)`);
    return 1;
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
