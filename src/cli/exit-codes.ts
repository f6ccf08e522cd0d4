/**
 * The exit codes of every command, in one table: a usage error never shares a code with a finding
 * (a diff regression, an unexplained layout, a -C name that matched nothing), so scripts can tell
 * "the build regressed" from "the command line is wrong".
 */
export const EXIT = {
  /** Everything asked for was done and nothing was found to report as a failure. */
  ok: 0,
  /** A finding: diff --fail-on regression, check's unexplained layout, a -C name that matched nothing, reorg --patch impossible. */
  finding: 1,
  /** An input could not be read: missing, not ELF, no debug info, malformed; or no ABI rules for its machine. */
  unreadable: 2,
  /** A bug in structscope (STRUCTSCOPE_DEBUG=1 shows the stack). */
  internal: 3,
  /** A usage error: unknown option, bad value, options that exclude each other (sysexits EX_USAGE). */
  usage: 64,
} as const;

export const EXIT_CODES_HELP =
  'Exit codes: 0 success; 1 a finding (diff --fail-on regression, check unexplained layout, a -C name that matched nothing unless --skip-missing, no reorg patch possible); 2 an input could not be read (missing, not ELF, no debug info, malformed, no ABI rules); 3 internal error; 64 usage error.';
