/**
 * `structscope exports` (the built CLI): text and JSON against the library's reading (which
 * test/elf/exports.test.ts checks against readelf and nm), the JSON schema, exit codes.
 */
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openElf } from '../../src/elf/index.js';
import { readExports } from '../../src/load/exports.js';
import { run, schemaValidator } from '../helpers/cli.js';
import { fixturePath } from '../helpers/fixtures.js';

const validate = schemaValidator('exports');
const FILES = ['bmi160_core.ko', 'libexports.so', 'libexports-versioned.so', 'ksymtab-abs3-s390x-linked', 'ksymtab-rel3-i386.o', 'virtio_net.ko', 'layout-plain.o'];

function library(name: string) {
  const elf = openElf(fixturePath(name));
  try {
    return readExports(elf);
  } finally {
    elf.close();
  }
}

const tmp = mkdtempSync(join(tmpdir(), 'structscope-exports-'));


describe('structscope exports', () => {
  it('--format json: valid against schema/exports.schema.json and equal to the library reading', () => {
    const r = run('exports', '--format', 'json', ...FILES.map(fixturePath));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
    expect(doc.files.map((f: { path: string }) => f.path)).toEqual(FILES.map(fixturePath));
    for (const [i, name] of FILES.entries()) {
      const lib = library(name);
      const f = doc.files[i];
      expect(f.source, name).toBe(lib.source);
      expect(f.exports, name).toEqual(
        lib.exports.map((e) => ({
          name: e.name,
          kind: e.kind ?? null,
          gplOnly: e.gplOnly,
          ...(e.namespace ? { namespace: e.namespace } : {}),
          ...(e.binding ? { binding: e.binding } : {}),
          ...(e.version !== undefined ? { version: e.version, defaultVersion: e.defaultVersion } : {}),
          ...(e.address !== undefined ? { address: '0x' + e.address.toString(16) } : {}),
        })),
      );
    }
    expect(doc.files[5].exports).toEqual([]); // virtio_net.ko exports nothing
    expect(doc.files[6].source).toBe('none'); // an object with no export table
  });

  it('text: one line per symbol (name, kind, how exported, namespace) and a count line', () => {
    const r = run('exports', fixturePath('bmi160_core.ko'));
    expect(r.code).toBe(0);
    const lib = library('bmi160_core.ko');
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(lib.exports.length + 1);
    lib.exports.forEach((e, i) => {
      expect(lines[i]!.split(/\s+/)).toEqual([e.name, e.kind, e.gplOnly ? 'EXPORT_SYMBOL_GPL' : 'EXPORT_SYMBOL', ...(e.namespace ? [e.namespace] : [])]);
    });
    expect(lines.at(-1)).toBe('3 exported symbols (__ksymtab): 2 functions, 1 object, 1 GPL-only');
    const so = run('exports', fixturePath('libexports.so')).stdout.trimEnd().split('\n');
    expect(so.at(-1)).toBe('9 exported symbols (.dynsym): 3 functions, 6 objects');
    expect(so).toContain('lib_log              function  weak');
    const versioned = run('exports', fixturePath('libexports-versioned.so')).stdout.split('\n');
    expect(versioned).toContain('vlib_call@VLIB_1.0    function  global');
  });

  it('several files: a ==> FILE <== header each', () => {
    const r = run('exports', fixturePath('bmi160_core.ko'), fixturePath('libexports.so'));
    expect(r.stdout.split('\n').filter((l) => l.startsWith('==> '))).toEqual([`==> ${fixturePath('bmi160_core.ko')} <==`, `==> ${fixturePath('libexports.so')} <==`]);
  });

  it('unreadable input: one line naming the file, exit 2, the other files still listed', () => {
    const bad = join(tmp, 'not-elf');
    writeFileSync(bad, 'hello');
    const r = run('exports', bad, fixturePath('bmi160_core.ko'));
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd().split('\n')).toEqual([`structscope: ${bad}: offset 0x0: not an ELF file (no \\x7fELF magic)`]);
    expect(r.stdout).toContain('bmi160_core_probe');
    expect(run('exports', join(tmp, 'missing')).code).toBe(2);
  });
});
