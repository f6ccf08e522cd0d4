/**
 * Resource limits for untrusted input, as data: how large a decompressed section may be, how much
 * larger than its compressed bytes, and how much is read from a pipe. The defaults cover every
 * real file we know (a distribution vmlinux's .debug_info is under 1 GiB, real debug sections
 * compress 3–20:1); a file past them is refused with a LIMIT error naming the option that raises
 * the limit. The CLI sets them with --max-section-size / --max-compression-ratio, which it passes
 * on through the environment so worker threads and the index builder see the same limits.
 */

export interface Limits {
  /** Largest decompressed section, in bytes. */
  maxSectionSize: number;
  /** Largest ratio of a section's declared uncompressed size to its compressed size. */
  maxCompressionRatio: number;
  /** Sections whose uncompressed size is below this are not held to the ratio (tiny sections compress absurdly well). */
  ratioFloor: number;
  /** Most bytes read from a pipe or FIFO given as FILE. */
  maxPipeBytes: number;
}

export const DEFAULT_LIMITS: Readonly<Limits> = {
  maxSectionSize: 2 * 2 ** 30,
  maxCompressionRatio: 200,
  ratioFloor: 16 * 2 ** 20,
  maxPipeBytes: 2 * 2 ** 30,
};

export const LIMIT_ENV = {
  maxSectionSize: 'STRUCTSCOPE_MAX_SECTION_SIZE',
  maxCompressionRatio: 'STRUCTSCOPE_MAX_COMPRESSION_RATIO',
} as const;

/** `1024`, `64K`, `512M`, `4G` (powers of 1024) → bytes; undefined when not a size. */
export function parseSize(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*([kmgt]i?b?)?$/i.exec(text.trim());
  if (!m) return undefined;
  const unit = (m[2] ?? '').charAt(0).toLowerCase();
  const mul = unit === 'k' ? 2 ** 10 : unit === 'm' ? 2 ** 20 : unit === 'g' ? 2 ** 30 : unit === 't' ? 2 ** 40 : 1;
  const v = Math.floor(Number(m[1]) * mul);
  return Number.isSafeInteger(v) && v > 0 ? v : undefined;
}

/** The limits in effect: the defaults, overridden by the environment the CLI set. */
export function currentLimits(env: Record<string, string | undefined> = process.env): Limits {
  const size = env[LIMIT_ENV.maxSectionSize] && parseSize(env[LIMIT_ENV.maxSectionSize]!);
  const ratio = Number(env[LIMIT_ENV.maxCompressionRatio]);
  return {
    ...DEFAULT_LIMITS,
    ...(size ? { maxSectionSize: size } : {}),
    ...(Number.isFinite(ratio) && ratio > 0 ? { maxCompressionRatio: ratio } : {}),
  };
}
