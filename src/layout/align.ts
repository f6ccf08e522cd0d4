/**
 * Alignment and bit helpers, in one place, on @thi.ng/binary. Its operations are 32-bit (JavaScript
 * bitwise operators): `align()` is exact only for a power-of-two alignment and results below 2^31.
 * Bit offsets pass that in large structs (a 256 MB struct is 2^31 bits), and sizes of big arrays
 * in bytes can too, so beyond it (or for an alignment that is not a power of two) plain arithmetic
 * rounds instead.
 */
import { align, isPow2, maskL } from '@thi.ng/binary';

/** Below this, align()'s 32-bit arithmetic cannot overflow: n + a - 1 stays a positive int32. */
const BITWISE_SAFE = 2 ** 30;

/** `n` rounded up to a multiple of `a` (a ≤ 1: n itself). */
export function roundUp(n: number, a: number): number {
  if (a <= 1) return n;
  if (n >= 0 && n < BITWISE_SAFE && a < BITWISE_SAFE && isPow2(a)) return align(n, a);
  return Math.ceil(n / a) * a;
}

/** The low `bits` bits of `n` (bits ≤ 32): pahole's uint8_t/uint16_t truncations of hole counters and sizes. */
export function lowBits(bits: number, n: number): number {
  return maskL(bits, n);
}
