/**
 * Both text dialects (`--pahole 1.24|1.31`) against the goldens fixtures/gen-expected.sh takes from
 * the real paholes: -E over whole files, -E -C and -C (1.31 follows each -C type with a blank line),
 * --sizes and --packable (printed the same by both; gen-expected.sh checks that), and the default.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../helpers/cli.js';
import { fixturePath, fixturesDir } from '../helpers/fixtures.js';

const golden = (name: string): string => readFileSync(join(fixturesDir, 'expected', name), 'utf8');
const DIALECTS = [
  { version: '1.24', suffix: 'pahole' },
  { version: '1.31', suffix: 'pahole-1.31' },
] as const;

describe.skipIf(!existsSync(join(fixturesDir, 'expected/layout-plain.o.pahole-1.31.txt')))('pahole dialects', () => {
  for (const { version, suffix } of DIALECTS) {
    it(`-E on whole files as pahole ${version}`, () => {
      for (const b of ['layout-plain.o', 'inherit-cxx.o', 'layout-i386.o']) {
        expect(run(fixturePath(b), '-E', '--pahole', version, '--no-cache').stdout, b).toBe(golden(`${b}.E.${suffix}.txt`));
      }
    });
    it(`-C and -E -C on virtio_net.ko as pahole ${version}`, () => {
      const ko = fixturePath('virtio_net.ko');
      expect(run(ko, '-C', 'virtnet_info,send_queue,receive_queue', '--pahole', version).stdout).toBe(golden(`virtio_net.ko.C.${suffix}.txt`));
      expect(run(ko, '-E', '-C', 'virtnet_info', '--pahole', version).stdout).toBe(golden(`virtio_net.ko.E-virtnet_info.${suffix}.txt`));
    });
    it(`-C of typedef names on typedefs.o as pahole ${version}`, () => {
      const names = 'anon_t,anon_alias_t,named_t,named_alias_t,same,anon_union_t,nu_t,color_t,named_ptr_t'; // gen-expected.sh's TYPEDEF_NAMES
      expect(run(fixturePath('typedefs.o'), '-C', names, '--pahole', version).stdout).toBe(golden(`typedefs.o.C.${suffix}.txt`));
    });
    it(`--sizes and --packable as pahole ${version}`, () => {
      for (const b of ['layout-plain.o', 'layout-i386.o', 'reorg-x86_64.o']) {
        expect(run(fixturePath(b), '--sizes', '--pahole', version, '--no-cache').stdout, b).toBe(golden(`${b}.sizes.txt`));
        expect(run(fixturePath(b), '--packable', '--pahole', version, '--no-cache').stdout, b).toBe(golden(`${b}.packable.txt`));
      }
    });
  }

  it('the default is pahole 1.31', () => {
    const f = fixturePath('layout-plain.o');
    expect(run(f, '--no-cache').stdout).toBe(golden('layout-plain.o.pahole-1.31.txt'));
    expect(run(f, '--no-cache').stdout).not.toBe(golden('layout-plain.o.pahole.txt'));
  });

  it('an unknown dialect is a usage error', () => {
    const r = run(fixturePath('layout-plain.o'), '--pahole', '1.30');
    expect(r.code).toBe(64);
    expect(r.stderr).toMatch(/pahole/);
  });
});
