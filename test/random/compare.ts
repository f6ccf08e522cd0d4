/**
 * Build generated C for x86_64 and a target with gcc 12, and compare `show x86_64.o --target T`
 * with `show` (and pahole) of the real T build, block by block. Used by the CI test
 * (test/cli/predict-random.test.ts, a few seeds) and bench/predict.mjs (many seeds and targets).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface CrossTarget {
  /** structscope's target name. */
  arch: string;
  /** Compiler and the flags that select the ABI. */
  cc: string;
  flags: string[];
}

/** gcc 12 compilers per target (x86_64 itself: the prediction for the file's own ABI); CI installs the first five. */
export const CROSS_TARGETS: CrossTarget[] = [
  { arch: 'x86_64', cc: 'gcc', flags: [] },
  { arch: 'i386', cc: 'i686-linux-gnu-gcc-12', flags: [] },
  { arch: 'aarch64', cc: 'aarch64-linux-gnu-gcc-12', flags: [] },
  { arch: 'arm', cc: 'arm-linux-gnueabihf-gcc-12', flags: [] },
  { arch: 's390x', cc: 's390x-linux-gnu-gcc-12', flags: [] },
  { arch: 'x32', cc: 'x86_64-linux-gnux32-gcc-12', flags: [] },
  { arch: 'mips', cc: 'mips-linux-gnu-gcc-12', flags: [] },
  { arch: 'm68k', cc: 'm68k-linux-gnu-gcc-12', flags: [] },
  { arch: 'riscv64', cc: 'riscv64-linux-gnu-gcc-12', flags: [] },
  { arch: 'ppc64', cc: 'powerpc64-linux-gnu-gcc-12', flags: [] },
  { arch: 'ppc64le', cc: 'powerpc64le-linux-gnu-gcc-12', flags: [] },
];

export const CI_TARGETS = ['x86_64', 'i386', 'aarch64', 'arm', 's390x'];

export function hasCompiler(t: CrossTarget): boolean {
  return spawnSync(t.cc, ['--version'], { encoding: 'utf8' }).status === 0;
}

/** Compile `c` to `dir/NAME.o`; the path, or throws with the compiler's message. */
export function compile(dir: string, name: string, c: string, cc: string, flags: string[]): string {
  mkdirSync(dir, { recursive: true });
  const src = join(dir, `${name}.c`);
  const obj = join(dir, `${name}.o`);
  writeFileSync(src, c);
  const r = spawnSync(cc, ['-c', '-g', '-O0', '-w', ...flags, src, '-o', obj], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cc} ${flags.join(' ')} ${src}: ${r.stderr}`);
  return obj;
}

export interface Block {
  key: string;
  text: string;
  unpredictable?: string;
}

const NOTICE = /^\/\* ((?:struct|union|class) \S+): unpredictable on (\S+): (.+) \*\/$/;

/** Split the output of `show A B …` (several files) at its `==> FILE <==` headers. */
export function perFile(text: string): Map<string, string> {
  const out = new Map<string, string>();
  const parts = text.split(/^==> (.*) <==\n/m);
  for (let i = 1; i + 1 < parts.length; i += 2) out.set(parts[i]!, parts[i + 1]!);
  return out;
}

/** Split pahole-format output into one block per type, keyed by `struct NAME`. */
export function blocks(text: string): Map<string, Block> {
  const out = new Map<string, Block>();
  for (const chunk of text.split(/^(?=(?:struct|union|class) |\/\* (?:struct|union|class) )/m)) {
    if (!chunk.trim()) continue;
    const first = chunk.slice(0, chunk.indexOf('\n') < 0 ? chunk.length : chunk.indexOf('\n'));
    const notice = NOTICE.exec(first);
    let key = notice ? notice[1]! : first.replace(/\s*[:{].*$/, '');
    for (let n = 2; out.has(key); n++) key = `${key.replace(/ #\d+$/, '')} #${n}`;
    out.set(key, notice ? { key, text: chunk, unpredictable: notice[3]! } : { key, text: chunk });
  }
  return out;
}

/**
 * identical: the block is the real build's. aligned-text: it differs only in `__aligned__`
 * annotations (still wrong). wrong: offsets or sizes differ. unpredictable: flagged with a reason.
 */
export type Verdict = 'identical' | 'aligned-text' | 'wrong' | 'unpredictable';

/** A block without its `__aligned__` annotations and with whitespace runs collapsed. */
function withoutAlignedText(text: string): string {
  return text.replace(/ __attribute__\(\(__aligned__\(\d+\)\)\)/g, '').replace(/[ \t]+/g, ' ');
}

export function verdict(predicted: Block, real: Block | undefined): Verdict {
  if (predicted.unpredictable !== undefined) return 'unpredictable';
  if (!real) return 'wrong';
  if (predicted.text === real.text) return 'identical';
  return withoutAlignedText(predicted.text) === withoutAlignedText(real.text) ? 'aligned-text' : 'wrong';
}

export interface TypeResult {
  key: string;
  verdict: Verdict;
  /** The reason (unpredictable), or predicted and real text (wrong, aligned-text). */
  detail?: string;
  /**
   * Unpredictable only: what the engine's guess would have been (from a run with
   * STRUCTSCOPE_PREDICT_GUESSES=1): identical to the real build (over-flagged), or not.
   */
  guess?: 'right' | 'wrong' | 'none';
}

/**
 * Compare every generated type's predicted block with the real build's output (pahole 1.24, or
 * `show --pahole 1.24`). `guessed`: the same prediction with every flagged type's guess printed.
 */
export function compareOutputs(types: readonly string[], predicted: string, real: string, guessed?: string): TypeResult[] {
  const p = blocks(predicted);
  const r = blocks(real);
  const g = guessed === undefined ? undefined : blocks(guessed);
  return types.map((key) => {
    const pb = p.get(key);
    if (!pb) return { key, verdict: 'wrong', detail: 'missing from the prediction' };
    const v = verdict(pb, r.get(key));
    if (v === 'identical') return { key, verdict: v };
    if (v === 'unpredictable') {
      const gb = g?.get(key);
      const guess = !gb || gb.unpredictable !== undefined ? 'none' : verdict(gb, r.get(key)) === 'identical' ? 'right' : 'wrong';
      return { key, verdict: v, detail: pb.unpredictable!, ...(g ? { guess } : {}) };
    }
    return { key, verdict: v, detail: `--- predicted\n${pb.text}--- real\n${r.get(key)?.text ?? '(missing)\n'}` };
  });
}
