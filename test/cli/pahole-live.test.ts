import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { run } from '../helpers/cli.js';
import { fixtureManifest } from '../helpers/fixtures.js';
import { withoutGroups } from '../helpers/groups.js';

// The golden files are pahole's output at generation time; when pahole is installed, ask it now
// too, with options the goldens do not cover. Skipped (and shown as skipped) without pahole.
const pahole = spawnSync('pahole', ['--version'], { encoding: 'utf8' });
const hasPahole = pahole.status === 0;

function paholeOut(...args: string[]): string {
  return spawnSync('pahole', ['-F', 'dwarf', ...args], { encoding: 'utf8', maxBuffer: 256 << 20 }).stdout;
}

describe.skipIf(!hasPahole)(`live comparison with ${pahole.stdout?.trim() || 'pahole'}`, () => {
  const readable = fixtureManifest().filter((f) => f.paholeReadable);
  // pahole 1.24 misapplies the debug relocations of mips n64/n32 objects; their goldens come from
  // a linked copy (fixtures/gen-expected.sh). Live pahole on the object itself must still be wrong.
  const misread = new Set(['layout-mips64.o', 'layout-mips64el.o', 'layout-mipsn32.o']);

  it('whole files, every fixture pahole reads', () => {
    for (const f of readable) {
      if (misread.has(f.base)) expect(run(f.path).stdout, f.base).not.toBe(paholeOut(f.path));
      else expect(withoutGroups(run(f.path).stdout), f.base).toBe(paholeOut(f.path));
    }
  });

  it('--hex, --cacheline-size 32 and -E on the plain, big-endian and kernel objects', () => {
    for (const f of readable.filter((x) => ['layout-plain.o', 'layout-ppc64.o', 'virtio_net.ko'].includes(x.base))) {
      expect(run(f.path, '--hex').stdout, `${f.base} --hex`).toBe(paholeOut('--hex', f.path));
      expect(run(f.path, '--cacheline-size', '32').stdout, `${f.base} cl32`).toBe(paholeOut('--cacheline_size=32', f.path));
      const name = f.base === 'virtio_net.ko' ? 'virtnet_info' : 'kitchen_sink';
      expect(run(f.path, '-E', '-C', name).stdout, `${f.base} -E`).toBe(paholeOut('-E', '-C', name, f.path));
    }
  });
});
