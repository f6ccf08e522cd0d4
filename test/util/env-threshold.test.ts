import { describe, expect, it } from 'vitest';
import { envThreshold } from '../../src/util/env-threshold.js';

describe('envThreshold', () => {
  it('takes a number the environment sets, 0 included, and the built-in value otherwise', () => {
    expect(envThreshold('X', 64, { X: '0' })).toBe(0);
    expect(envThreshold('X', 64, { X: '1048576' })).toBe(1048576);
    expect(envThreshold('X', 64, {})).toBe(64);
    expect(envThreshold('X', 64, { X: '' })).toBe(64);
    expect(envThreshold('X', 64, { X: 'lots' })).toBe(64);
    expect(envThreshold('X', 64, { X: '-1' })).toBe(64);
  });
});
