import { describe, expect, it } from 'vitest';
import { lowBits, roundUp } from '../../src/layout/align.js';

describe('alignment helpers (@thi.ng/binary below 2^30, plain arithmetic beyond)', () => {
  it('rounds up like the C idiom (n + a - 1) / a * a, for powers of two and not', () => {
    for (const a of [1, 2, 3, 4, 8, 12, 16, 64, 4096]) {
      for (const n of [0, 1, 2, 7, 8, 9, 63, 64, 65, 1000, 123457]) expect(roundUp(n, a), `${n} ${a}`).toBe(Math.floor((n + a - 1) / a) * a);
    }
  });

  it('stays exact for bit offsets past 2^31, where 32-bit operations would wrap', () => {
    const big = 2 ** 31 + 5; // the bit offset of a member 256 MB into a struct
    expect(roundUp(big, 8)).toBe(2 ** 31 + 8);
    expect(roundUp(2 ** 40 + 1, 64)).toBe(2 ** 40 + 64);
    expect(roundUp(2 ** 30 - 1, 2 ** 30)).toBe(2 ** 30);
  });

  it('lowBits truncates as pahole\'s uint8_t and uint16_t fields do', () => {
    expect(lowBits(8, 256 + 7)).toBe(7);
    expect(lowBits(8, -1)).toBe(255);
    expect(lowBits(16, 65536 + 3)).toBe(3);
    expect(lowBits(16, -2)).toBe(65534);
  });
});
