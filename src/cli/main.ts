#!/usr/bin/env node
import { processOutput } from './output.js';
import { cacheDirectory } from '../load/index-cache.js';
import { FAIL_ON_KINDS, type FailOnKind } from '../diff/regressions.js';
import { DEFAULT_LIMITS } from '../util/limits.js';
import { EXIT } from './exit-codes.js';
import { closestOption } from './suggest.js';
import { applyLimits, checkSelection, debugDirs, EPILOG, failOnKinds, repeated, selectionOf, withSelection, withSource, withTypeFilters } from './options.js';
import { showArgsOf, withShowOptions } from './show-options.js';
import { quickShowArgs } from './quick-args.js';

/** Parse arguments and run; returns the exit code. The only module that touches process. */
export async function main(argv: string[]): Promise<number> {
  const out = processOutput();
  let code = 0;
  let usageError: string | undefined;
  const quick = quickShowArgs(argv);
  if (quick) {
    // the everyday command lines, without loading yargs (quick-args.ts)
    const { runShow } = await import('./show.js');
    code = await runShow(showArgsOf(quick), out);
    (out as unknown as { flush?: () => void }).flush?.();
    return code;
  }
  const { default: yargs } = await import('yargs');
  const parser = yargs(argv);
  await parser
    .scriptName('structscope')
    .usage('$0 [show] FILE... [options]\n\nShow how the compiler laid out the structs, unions and classes of ELF files with DWARF debug info, exactly as pahole prints them.')
    .command(
      ['show [files..]', '$0 [files..]'],
      'print struct layouts (the default command)',
      (y) =>
        withShowOptions(y),
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
        code = await runShow(showArgsOf(a), out);
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
        withTypeFilters(
          withSource(y)
            .positional('old', { type: 'string', demandOption: true, describe: 'the old build: ELF file or show --format json report' })
            .positional('new', { type: 'string', demandOption: true, describe: 'the new build: ELF file or show --format json report' }),
        )
          .option('verbose', { alias: ['v', 'V'], type: 'boolean', default: false, describe: 'print the layouts before and after, and every problem found in the debug info' })
          .option('format', { choices: ['text', 'json', 'table', 'html'] as const, default: 'text' as const, describe: 'output format (html: old and new side by side, a self-contained page)' })
          .option('fail-on', { type: 'string', describe: `exit 1 when one of these regressions is present: ${FAIL_ON_KINDS.join(',')}` })
          .option('cacheline-size', { alias: ['c', 'cacheline_size'], type: 'number', default: 64, describe: 'cacheline size in bytes (a JSON report keeps its own)' })
          // issue 19: the ABI surface (cli/abi.ts)
          .option('abi', { type: 'boolean', default: false, describe: 'only the types exported symbols reach, with the paths; symbols added, removed, changed' })
          .option('symbols', { type: 'string', describe: 'with --abi: only these symbols (a kABI/GKI list: one a line, # comments)' })
          .option('suppress', { type: 'string', describe: "with --abi: leave out what FILE names ('type struct foo', 'member struct foo::bar', 'symbol NAME')" })
          .example('$0 diff --abi old/libfoo.so new/libfoo.so', 'the changes exported functions and variables can see')
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
        if (a.abi || a.symbols !== undefined || a.suppress !== undefined) {
          const { runAbiDiff } = await import('./abi.js');
          const opt = { ...(a.symbols !== undefined ? { symbols: a.symbols } : {}), ...(a.suppress !== undefined ? { suppress: a.suppress } : {}) };
          const source = selectionOf(a).source;
          code = await runAbiDiff({ old: a.old as string, new: a.new as string, ...(source ? { source } : {}), format: a.format, failOn: failOnKinds(a['fail-on']) as FailOnKind[], cachelineSize: a['cacheline-size'], verbose: a.verbose, ...opt }, out);
          return;
        }
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

main(process.argv.slice(2)).then(
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
