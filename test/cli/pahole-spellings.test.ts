import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { run } from '../helpers/cli.js';
import { fixturePath } from '../helpers/fixtures.js';

// pahole's own command lines, given to structscope as they are, against live pahole 1.24 and 1.31.
// Until the text dialect follows 1.31, 1.24's output is compared byte for byte and 1.31's by what
// the flag decides: which types are printed, in which order (every line that opens a type), or
// the whole output when it is a list of names.

const PAHOLE_124 = '/usr/bin/pahole';
const PAHOLE_131 = '/root/.cache/pahole-1.31/pahole'; // built by /work/shared/tools/pahole-upstream/build.sh

function version(bin: string): string | undefined {
  if (!existsSync(bin)) return undefined;
  const r = spawnSync(bin, ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

function pahole(bin: string, args: string[], file: string): { code: number; stdout: string } {
  const r = spawnSync(bin, ['-F', 'dwarf', ...args, file], { encoding: 'utf8', maxBuffer: 256 << 20 });
  return { code: r.status ?? -1, stdout: r.stdout };
}

/** The lines that open a type or name one (no member lines, comments, blank lines or closing braces). */
const headlines = (text: string): string[] => text.split('\n').filter((l) => l !== '' && !/^[\s}]/.test(l));

const FILES = ['layout-plain.o', 'virtio_net.ko', 'inherit-cxx.o'];

/** Each spelling as a pahole user types it; every one of them is also accepted by structscope. */
const SPELLINGS: string[][] = [
  ['-s'],
  ['--sizes'],
  ['-H', '2'],
  ['--holes=1', '--structs'],
  ['-B', '1'],
  ['--bit_holes=2'],
  ['-z', '4'],
  ['--hole_size_ge=2'],
  ['--packed'],
  ['--with_flexible_array'],
  ['-y', 'virtnet'],
  ['--prefix_filter=ho'],
  ['-x', 'v', '-y', 'v'],
  ['--exclude=s', '--sizes'],
  ['-i', 'list_head'],
  ['--contains=list_head', '-d'],
  ['-i', 'level3', '-d'],
  ['-i', 'inner_pad'],
  ['-f', 'net_device'],
  ['--find_pointers_to=list_node'],
  ['--sort'],
  ['--unions', '-B', '1'],
  ['--unions'],
  ['-c', '32', '-C', 'holes'],
  ['--cacheline_size=16', '--class_name=virtnet_info'],
  ['-C', 'kitchen_sink', '--hex'],
  ['-E', '-C', 'level1'],
  ['--expand_types', '--class_name=send_queue'],
  ['-V', '-C', 'holes'],
  ['-D', 'include/linux', '-s'],
  ['--decl_exclude=./', '--unions'],
  ['-r'],
  ['--rel_offset', '--hex', '-C', 'with_anon'],
  ['-r', '-E', '-C', 'virtnet_info'],
  ['-M'],
  ['--show_only_data_members', '-r'],
  ['-C', 'no_such_type,holes', '--skip_missing'],
];

/**
 * Small single-unit objects only: pahole's --packable takes minutes on a kernel module on a busy
 * machine, and pahole -a prints an anonymous struct again in every unit (structscope, which merges
 * identical types, once per typedef naming it: README "pahole's command line").
 */
const SMALL_ONLY: string[][] = [['-P'], ['--packable', '-y', 'p'], ['-a'], ['--anon_include', '--structs'], ['-a', '-y', 'p'], ['-a', '-x', 'p', '--unions']];
const SMALL = new Set(['layout-plain.o', 'inherit-cxx.o']);

/** Only in pahole 1.31. */
const SPELLINGS_131: string[][] = [['--padding_ge=4'], ['--padding_ge', '1', '--structs'], ['--with_embedded_flexible_array'], ['--with_embedded_flexible_array', '-s']];

/** structscope's answer to each command line, computed once for both pahole versions. */
const ours = new Map<string, ReturnType<typeof run>>();
function ourRun(file: string, args: string[]): ReturnType<typeof run> {
  const key = JSON.stringify([file, args]);
  if (!ours.has(key)) ours.set(key, run(file, '--pahole', '1.24', ...args)); // 1.24's text; 1.31 is compared by the types printed
  return ours.get(key)!;
}

const versions = [
  { bin: PAHOLE_124, label: '1.24', exact: true, spellings: SPELLINGS },
  { bin: PAHOLE_131, label: '1.31', exact: false, spellings: [...SPELLINGS, ...SPELLINGS_131] },
];

for (const v of versions) {
  const found = version(v.bin);
  describe.skipIf(!found)(`pahole ${v.label} spellings against live ${found ?? `${v.bin} (not installed)`}`, () => {
    for (const base of FILES) {
      it(base, () => {
        const file = fixturePath(base);
        let compared = 0;
        for (const args of [...v.spellings, ...(SMALL.has(base) ? SMALL_ONLY : [])]) {
          const ours = ourRun(file, args);
          const theirs = pahole(v.bin, args, file);
          const what = `${base}: ${args.join(' ')}`;
          // a name the file lacks: pahole prints nothing (exit 0), structscope says so (exit 1)
          if (ours.code === 1 && /no type (named|matches)/.test(ours.stderr)) expect(theirs.stdout, what).toBe('');
          else expect(ours.code, `${what}\n${ours.stderr}`).toBe(0);
          if (v.exact) expect(ours.stdout, what).toBe(theirs.stdout);
          else expect(headlines(ours.stdout), what).toEqual(headlines(theirs.stdout));
          if (theirs.stdout !== '') compared++;
        }
        expect(compared, 'spellings with a non-empty pahole output').toBeGreaterThan(10);
      }, 120_000);
    }
  });
}

describe('pahole spellings: our own names mean the same', () => {
  const file = fixturePath('layout-plain.o');
  it.each([
    [['-z', '4'], ['--hole-size-ge', '4']],
    [['-B', '1'], ['--bit-holes', '1']],
    [['-i', 'level3', '-d'], ['--contains', 'level3', '--recursive']],
    [['-f', 'list_node'], ['--find-pointers-to', 'list_node']],
    [['-y', 'pa'], ['--prefix-filter', 'pa']],
    [['--padding_ge=4'], ['--padding-ge', '4']],
    [['--with_flexible_array'], ['--with-flexible-array']],
    [['-c', '32', '-C', 'holes'], ['--cacheline-size', '32', '-C', 'holes']],
  ])('%j = %j', (pahole, ours) => {
    const a = run(file, ...pahole);
    expect(a.code).toBe(0);
    expect(a.stdout).not.toBe('');
    expect(run(file, ...ours).stdout).toBe(a.stdout);
  });

  it('-R and -S run the reorganizer: the same output as reorg -C NAME --steps', () => {
    const r = run(file, '-R', '-S', '-C', 'reorg_me');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('saved');
    expect(r.stdout).toBe(run('reorg', file, '-C', 'reorg_me', '--steps').stdout);
    expect(run(file, '--reorganize', '--show_reorg_steps', '--class_name=reorg_me').stdout).toBe(r.stdout);
  });

  it('-i NAME that names no type is a finding (exit 1), as -C is', () => {
    const r = run(file, '-i', 'no_such_type');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("no type named 'no_such_type'");
  });
});
