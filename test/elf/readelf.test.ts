/**
 * Differential test against binutils: for every fixture and every debug section, our
 * decompressed + relocated bytes must equal `readelf -z -R` (which applies ET_REL relocations).
 * Skipped (and reported as skipped) only when readelf is not installed.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { SHF, SHT, canonicalDebugName, debugSectionParts, loadDebugSection, openElf, type RelocDiagnostic } from '../../src/elf/index.js';
import { fixture, hasReadelf, manifest, readelfRelocatedDump } from './helpers.js';

function readelf(...args: string[]): string {
  const r = spawnSync('readelf', args, { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`readelf ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

/** readelf's names for the section types we check (others are compared by name only). */
const TYPE_NAMES: Record<string, number> = {
  NULL: SHT.NULL,
  PROGBITS: SHT.PROGBITS,
  SYMTAB: SHT.SYMTAB,
  STRTAB: SHT.STRTAB,
  RELA: SHT.RELA,
  NOTE: SHT.NOTE,
  NOBITS: SHT.NOBITS,
  REL: SHT.REL,
  DYNSYM: SHT.DYNSYM,
  GROUP: SHT.GROUP,
};

describe.skipIf(!hasReadelf)('section tables equal readelf -S -W', () => {
  for (const entry of manifest()) {
    const name = entry.file.replace(/^bin\//, '');
    it(name, () => {
      const rows = readelf('-S', '-W', fixture(name))
        .split('\n')
        .map((l) => /^\s*\[\s*(\d+)\]\s(\S*)\s+(\S+)\s+([0-9a-f]+) ([0-9a-f]+) ([0-9a-f]+) ([0-9a-f]+)\s+([A-Za-z]*)\s+(\d+)\s+(\d+)\s+(\d+)$/.exec(l))
        .filter((m): m is RegExpExecArray => m !== null);
      const elf = openElf(fixture(name));
      try {
        expect(rows.length).toBe(elf.sections.length);
        for (const m of rows) {
          const s = elf.sections[Number(m[1])]!;
          expect(s.name).toBe(m[2]);
          if (m[3]! in TYPE_NAMES) expect(s.type, `${s.name} type`).toBe(TYPE_NAMES[m[3]!]);
          expect(s.addr).toBe(BigInt('0x' + m[4]!));
          expect(s.fileOffset).toBe(parseInt(m[5]!, 16));
          expect(s.size).toBe(parseInt(m[6]!, 16));
          expect(s.entsize).toBe(parseInt(m[7]!, 16));
          const flags = m[8]!;
          expect(flags.includes('C'), `${s.name} C`).toBe((s.flags & SHF.COMPRESSED) !== 0);
          expect(flags.includes('A'), `${s.name} A`).toBe((s.flags & SHF.ALLOC) !== 0);
          expect(flags.includes('X'), `${s.name} X`).toBe((s.flags & SHF.EXECINSTR) !== 0);
          expect(flags.includes('W'), `${s.name} W`).toBe((s.flags & SHF.WRITE) !== 0);
          expect([s.link, s.info, s.addralign]).toEqual([Number(m[9]), Number(m[10]), Number(m[11])]);
        }
        const build = /Build ID: ([0-9a-f]+)/.exec(readelf('-n', fixture(name)));
        expect(elf.buildId()).toBe(build ? build[1] : undefined);
      } finally {
        elf.close();
      }
    });
  }
});

describe.skipIf(!hasReadelf)('relocated debug sections equal readelf -R', () => {
  for (const entry of manifest()) {
    const name = entry.file.replace(/^bin\//, '');
    it(name, () => {
      const elf = openElf(fixture(name));
      try {
        const names = [...new Set(elf.sections.map((s) => canonicalDebugName(s.name)).filter((n) => n.startsWith('.debug_')))];
        // stripped binaries: the DWARF is in a separate debug file
        if (entry.variant === 'stripped-build-id' || entry.variant === 'stripped-debuglink') {
          expect(names).not.toContain('.debug_info');
          return;
        }
        expect(names).toContain('.debug_info');
        // type units in COMDAT groups: several .debug_info parts, concatenated by us (references
        // such as .debug_aranges' unit offsets then point into the concatenation), not by readelf
        if (debugSectionParts(elf, '.debug_info').length > 1) return;
        for (const sec of names) {
          const parts = debugSectionParts(elf, sec);
          if (parts.length !== 1) continue; // readelf relocates each part on its own
          const diags: RelocDiagnostic[] = [];
          const ours = loadDebugSection(elf, sec, diags)!;
          const theirs = readelfRelocatedDump(fixture(name), parts[0]!.name);
          expect(theirs.length, `${name} ${sec}`).toBe(1);
          expect(diags, `${name} ${sec}`).toEqual([]);
          expect(Buffer.from(ours).equals(Buffer.from(theirs[0]!)), `${name} ${sec} differs from readelf -R`).toBe(true);
        }
      } finally {
        elf.close();
      }
    });
  }
});
