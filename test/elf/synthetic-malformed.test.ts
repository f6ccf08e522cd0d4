/** openElf on malformed ELF files built byte by byte in the test: each fails with a typed error, never a crash. */
import * as fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { SHT, openElf } from '../../src/elf/index.js';
import { buildElf, tmpFile, removeTmpFiles } from './helpers.js';
import { enc, expectError, open } from './synthetic-helpers.js';

afterAll(removeTmpFiles);

describe('malformed files', () => {
  const good = buildElf({ class: 64, littleEndian: true, sections: [{ name: '.debug_info', type: SHT.PROGBITS, data: new Uint8Array(16) }] });

  it('cannot open: IO naming the file', () => {
    expectError(() => openElf('/nonexistent/structscope/x.o'), { code: 'IO', file: '/nonexistent/structscope/x.o' });
  });

  it('not ELF: BAD_MAGIC', () => {
    const p = tmpFile(enc('#!/bin/sh\necho hello\n'));
    const e = expectError(() => openElf(p), { code: 'BAD_MAGIC', file: p, fileOffset: 0 });
    expect(e.message).toContain(p);
    expectError(() => openElf(tmpFile(new Uint8Array(0))), { code: 'BAD_MAGIC' });
  });

  it('truncated header: EOF; bad class or data encoding: BAD_HEADER', () => {
    expectError(() => openElf(tmpFile(good.subarray(0, 40))), { code: 'EOF' });
    const badClass = Uint8Array.from(good);
    badClass[4] = 3;
    expectError(() => openElf(tmpFile(badClass)), { code: 'BAD_HEADER', fileOffset: 4 });
    const badData = Uint8Array.from(good);
    badData[5] = 0;
    expectError(() => openElf(tmpFile(badData)), { code: 'BAD_HEADER', fileOffset: 5 });
  });

  it('section header table past the end: EOF', () => {
    expectError(() => openElf(tmpFile(good.subarray(0, good.length - 10))), { code: 'EOF', section: 'section headers' });
  });

  it('bad e_shentsize and e_shstrndx: BAD_HEADER', () => {
    const b = Uint8Array.from(good);
    b[0x3a] = 20;
    expectError(() => openElf(tmpFile(b)), { code: 'BAD_HEADER', fileOffset: 0x3a });
    const c = Uint8Array.from(good);
    c[0x3e] = 9;
    expectError(() => openElf(tmpFile(c)), { code: 'BAD_HEADER' });
  });

  it('a section past EOF is an error only when read, naming the section and offset', () => {
    const elf = open({
      class: 64,
      littleEndian: true,
      sections: [
        { name: '.ok', type: SHT.PROGBITS, data: Uint8Array.of(1) },
        { name: '.huge', type: SHT.PROGBITS, data: Uint8Array.of(1), size: 2n ** 40n },
        { name: '.far', type: SHT.PROGBITS, data: Uint8Array.of(1), offset: 0x1_0000_0010n },
        { name: '.beyond', type: SHT.PROGBITS, data: Uint8Array.of(1), offset: 2n ** 62n },
      ],
    });
    try {
      expect([...elf.readRaw(elf.section('.ok')!)]).toEqual([1]);
      const huge = elf.section('.huge')!;
      expect(huge.size).toBe(2 ** 40);
      expectError(() => elf.readRaw(huge), { code: 'EOF', section: '.huge', fileOffset: huge.fileOffset, file: elf.path });
      expectError(() => elf.readSection(elf.section('.far')!), { code: 'EOF', section: '.far', fileOffset: 0x1_0000_0010 });
      expectError(() => elf.readSection(elf.section('.beyond')!), { section: '.beyond' });
    } finally {
      elf.close();
    }
  });

  it('reads after close: IO', () => {
    const elf = openElf(tmpFile(good));
    elf.close();
    elf.close();
    expectError(() => elf.readSection(elf.section('.debug_info')!), { code: 'IO' });
  });

  it('a file that shrinks while open: EOF, not a crash', () => {
    const p = tmpFile(good);
    const elf = openElf(p);
    try {
      fs.truncateSync(p, 70);
      expectError(() => elf.readSection(elf.section('.debug_info')!), { code: 'EOF' });
    } finally {
      elf.close();
    }
  });
});
