import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../helpers/cli.js';
import { fixtureManifest } from '../helpers/fixtures.js';
import { withoutGroups } from '../helpers/groups.js';

// The golden files are pahole's output at generation time; when the paholes are installed, ask them
// now too, with options the goldens do not cover. Each is skipped (and shown as skipped) when absent:
// pahole 1.24 is Debian's `pahole`; pahole 1.31 is $PAHOLE131, else what
// fixtures/tools/pahole-upstream/build.sh builds (.ci/run builds it).
const upstream = process.env.PAHOLE131 ?? join(homedir(), '.cache/pahole-1.31/pahole');
const PAHOLES = [
  { dialect: '1.24', bin: 'pahole', missing: 'pahole 1.24 (Debian dwarves) not installed' },
  { dialect: '1.31', bin: upstream, missing: `pahole 1.31 not built (${upstream}; run fixtures/tools/pahole-upstream/build.sh)` },
] as const;

for (const { dialect, bin, missing } of PAHOLES) {
  const version = existsSync(bin) || bin === 'pahole' ? spawnSync(bin, ['--version'], { encoding: 'utf8' }) : undefined;
  const present = version?.status === 0 && version.stdout.trim() === `v${dialect}`;
  const paholeOut = (...args: string[]): string => spawnSync(bin, ['-F', 'dwarf', ...args], { encoding: 'utf8', maxBuffer: 256 << 20 }).stdout;
  const ours = (...args: string[]) => run(...args, '--pahole', dialect);

  describe.skipIf(!present)(`live comparison with pahole ${dialect}${present ? '' : `: skipped, ${missing}`}`, () => {
    const readable = fixtureManifest().filter((f) => f.paholeReadable);
    // both paholes misapply the debug relocations of mips n64/n32 objects; their goldens come from
    // a linked copy (fixtures/gen-expected.sh). Live pahole on the object itself must still be wrong.
    const misread = new Set(['layout-mips64.o', 'layout-mips64el.o', 'layout-mipsn32.o']);

    it('whole files, every fixture pahole reads', () => {
      for (const f of readable) {
        if (misread.has(f.base)) expect(ours(f.path).stdout, f.base).not.toBe(paholeOut(f.path));
        else expect(withoutGroups(ours(f.path).stdout), f.base).toBe(paholeOut(f.path));
      }
    });

    it('--hex, --cacheline-size 32, -E and -C on the plain, big-endian, C++ and kernel objects', () => {
      for (const f of readable.filter((x) => ['layout-plain.o', 'layout-ppc64.o', 'inherit-cxx.o', 'virtio_net.ko'].includes(x.base))) {
        expect(ours(f.path, '--hex').stdout, `${f.base} --hex`).toBe(paholeOut('--hex', f.path));
        expect(ours(f.path, '--cacheline-size', '32').stdout, `${f.base} cl32`).toBe(paholeOut('--cacheline_size=32', f.path));
        expect(ours(f.path, '-E').stdout, `${f.base} -E`).toBe(paholeOut('-E', f.path));
        const name = f.base === 'virtio_net.ko' ? 'virtnet_info,send_queue' : f.base === 'inherit-cxx.o' ? 'Derived' : 'kitchen_sink';
        expect(ours(f.path, '-C', name).stdout, `${f.base} -C`).toBe(paholeOut('-C', name, f.path));
        expect(ours(f.path, '-E', '-C', name).stdout, `${f.base} -E -C`).toBe(paholeOut('-E', '-C', name, f.path));
      }
    });

    it('--sizes on every fixture, --packable on the small ones', () => {
      for (const f of readable) {
        if (misread.has(f.base)) continue;
        expect(ours(f.path, '--sizes').stdout, `${f.base} --sizes`).toBe(paholeOut('--sizes', f.path));
      }
      // pahole 1.31 --packable runs for minutes on virtio_net.ko
      for (const f of readable.filter((x) => ['layout-plain.o', 'layout-i386.o', 'inherit-cxx.o', 'reorg-x86_64.o'].includes(x.base))) {
        expect(ours(f.path, '--packable').stdout, `${f.base} --packable`).toBe(paholeOut('--packable', f.path));
      }
    });
  });
}
