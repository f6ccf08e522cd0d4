/**
 * The everyday command lines without yargs: `FILE -C NAME`, `-C NAME FILE`, `FILE`, `-s FILE`,
 * `--no-cache`.
 * Importing and running yargs costs more start-up time than a small -C query spends on the
 * debug info, so argv made only of files and a few show options is parsed here, into the same
 * object yargs gives show's handler: the defaults and checks are read off withShowOptions itself
 * (a recorder stands in for yargs), so they cannot drift. Anything else (another command, any
 * other option, a value that starts with '-', a failing check) returns undefined: main.ts then
 * asks yargs, which also words every usage error. test/cli/quick-args.test.ts compares both
 * parsers on many command lines.
 */
import type { Argv } from 'yargs';
import { withShowOptions, type ShowCliArguments } from './show-options.js';

/** Spellings parsed here: option token → the option's key (string options take the next token). */
const STRING_OPTIONS: Record<string, string> = { '-C': 'class', '--class': 'class', '--class_name': 'class', '-F': 'format_path', '--format_path': 'format_path' };
const BOOLEAN_OPTIONS: Record<string, string> = { '-s': 'sizes', '--sizes': 'sizes', '-E': 'expand', '--expand': 'expand', '--expand_types': 'expand', '-v': 'verbose', '-V': 'verbose', '--verbose': 'verbose', '--hex': 'hex' };
/** `--no-X`: yargs sets X to false. */
const NEGATED_OPTIONS: Record<string, string> = { '--no-cache': 'cache' };
/** A first word that yargs reads as a command, not a file. */
const COMMAND_WORDS = new Set(['show', 'check', 'diff', 'reorg', 'index', 'exports', 'help']);

interface Recorded {
  defaults: Record<string, unknown>;
  checks: ((a: Record<string, unknown>) => unknown)[];
}

let recorded: Recorded | undefined;

/** withShowOptions run against a stand-in that keeps each option's default and each check. */
function showOptionTable(): Recorded {
  if (recorded) return recorded;
  const r: Recorded = { defaults: {}, checks: [] };
  const recorder = {
    option(key: string, spec: { default?: unknown }) {
      if ('default' in spec) r.defaults[key] = spec.default;
      return recorder;
    },
    positional() {
      return recorder;
    },
    example() {
      return recorder;
    },
    check(fn: (a: Record<string, unknown>) => unknown) {
      r.checks.push(fn);
      return recorder;
    },
  };
  withShowOptions(recorder as unknown as Argv<object>);
  return (recorded = r);
}

/** show's parsed arguments for a simple argv, or undefined when yargs must parse it. */
export function quickShowArgs(argv: readonly string[]): ShowCliArguments | undefined {
  const { defaults, checks } = showOptionTable();
  const a: Record<string, unknown> = { ...defaults, _: [], $0: 'structscope' };
  const files: string[] = [];
  const classes: string[] = [];
  const given = new Set<string>();
  for (let k = 0; k < argv.length; k++) {
    const t = argv[k]!;
    const str = STRING_OPTIONS[t];
    if (str !== undefined) {
      const v = argv[++k];
      if (v === undefined || v === '' || v.startsWith('-')) return undefined;
      if (str === 'class') classes.push(v);
      else if (a[str] !== undefined) return undefined;
      else a[str] = v;
    } else if (BOOLEAN_OPTIONS[t] !== undefined || NEGATED_OPTIONS[t] !== undefined) {
      // a flag given twice is an array to yargs: left to it
      const key = BOOLEAN_OPTIONS[t] ?? NEGATED_OPTIONS[t]!;
      if (given.has(key)) return undefined;
      given.add(key);
      a[key] = BOOLEAN_OPTIONS[t] !== undefined;
    }
    else if (t === '' || t.startsWith('-') || (files.length === 0 && COMMAND_WORDS.has(t))) return undefined;
    else files.push(t);
  }
  a.files = files;
  // yargs: an option given once is a string, given several times an array
  if (classes.length) a.class = classes.length === 1 ? classes[0] : classes;
  try {
    for (const check of checks) check(a);
  } catch {
    return undefined;
  }
  return a as unknown as ShowCliArguments;
}
