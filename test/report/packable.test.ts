/**
 * `pahole -F dwarf --packable` parity: renderPackable(printableTypes()) against pahole 1.24's
 * output saved in fixtures/expected/<file>.packable.txt (see fixtures/gen-expected.sh).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadFile } from '../../src/load/index.js';
import { guessAddressSize } from '../../src/layout/pahole-rules.js';
import { printableTypes } from '../../src/report/pahole.js';
import { renderPackable } from '../../src/report/packable.js';
import { packableRows } from '../../src/layout/computed.js';
import { fixturesDir } from '../helpers/fixtures.js';

const FILES = ['layout-plain.o', 'virtio_net.ko', 'layout-i386.o'];

describe('pahole --packable parity', () => {
  for (const base of FILES) {
    const expectedFile = path.join(fixturesDir, 'expected', `${base}.packable.txt`);
    const bin = path.join(fixturesDir, 'bin', base);
    it.skipIf(!existsSync(expectedFile) || !existsSync(bin))(`${base}: identical to pahole --packable`, () => {
      const { table, info } = loadFile(bin);
      const got = renderPackable(packableRows(table, printableTypes(table), info.addressSize || guessAddressSize(table)));
      expect(got).toBe(readFileSync(expectedFile, 'utf8'));
    });
  }
});
