import { writeFileSync } from 'node:fs';
import { Bytes, buildElf } from '../test/elf/helpers.js';
import { fileCrc32 } from '../src/load/debug-files.js';
const crc = fileCrc32('/tmp/hz/s/x.debug')!;
const link = new Bytes(true).str('../s/x.debug').align(4).u32(crc).done();
writeFileSync('/tmp/hz/b/climb', buildElf({ class: 64, littleEndian: true, sections: [{ name: '.text', type: 1, data: new Uint8Array(16) }, { name: '.gnu_debuglink', type: 1, data: link }] }));
