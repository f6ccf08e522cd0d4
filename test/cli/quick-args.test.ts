// The everyday command lines are parsed without yargs (src/cli/quick-args.ts): for each of them the
// show options must come out exactly as yargs gives them to show's handler, and every other
// command line must be left to yargs.
import { describe, expect, it } from 'vitest';
import yargs from 'yargs';
import { quickShowArgs } from '../../src/cli/quick-args.js';
import { showArgsOf, withShowOptions, type ShowCliArguments } from '../../src/cli/show-options.js';
import { join } from 'node:path';
import { run } from '../helpers/cli.js';
import { repoRoot } from '../helpers/fixtures.js';

/** show's handler arguments as yargs parses argv (the default command of main.ts). */
function viaYargs(argv: string[]): ShowCliArguments {
  let got: ShowCliArguments | undefined;
  yargs(argv)
    .command(['show [files..]', '$0 [files..]'], 'show', (y) => withShowOptions(y), (a) => {
      got = a as unknown as ShowCliArguments;
    })
    .strict()
    .exitProcess(false)
    .fail((msg, err) => {
      throw err ?? new Error(msg);
    })
    .parseSync();
  if (!got) throw new Error(`yargs ran no show handler for ${argv.join(' ')}`);
  return got;
}

const ACCEPTED: string[][] = [
  [],
  ['vmlinux'],
  ['-C', 'task_struct', 'vmlinux'],
  ['vmlinux', '-C', 'sk_buff,net_device'],
  ['-C', 'a', '-C', 'b', 'one.ko', 'two.ko'],
  ['-C', '/^tcp_/', 'vmlinux'],
  ['--class_name', 'x', 'f.o'],
  ['--class', 'x', 'f.o'],
  ['-s', 'f.o'],
  ['--sizes', 'f.o'],
  ['-E', '-C', 'x', 'f.o'],
  ['--expand_types', '-C', 'x', 'f.o'],
  ['-F', 'btf', '-C', 'x', 'f.o'],
  ['--format_path', 'dwarf,btf', 'f.o'],
  ['-v', '-C', 'x', 'f.o'],
  ['-V', 'f.o'],
  ['--hex', '-C', 'x', 'f.o'],
  ['123'],
  ['a file with spaces.o', '-C', 'x'],
  ['--no-cache', '-C', 'x', 'f.o'],
  ['f.o', '-C', 'x', '--no-cache'],
];

const LEFT_TO_YARGS: string[][] = [
  ['show', 'f.o'],
  ['diff', 'a', 'b'],
  ['--format', 'json', 'f.o'],
  ['-C'],
  ['f.o', '-C'],
  ['-C', '-x', 'f.o'],
  ['-Cfoo', 'f.o'],
  ['--class_name=foo', 'f.o'],
  ['--no-cache=false', 'f.o'],
  ['--cache', 'f.o'],
  ['-P', 'f.o'],
  ['-F', 'btf', '-F', 'dwarf', 'f.o'],
  ['-F', 'stabs', 'f.o'],
  ['-C', '/[/', 'f.o'],
  ['-C', ',', 'f.o'],
  ['--help'],
  ['--version'],
  ['--', 'f.o'],
  ['-', 'f.o'],
  ['-sE', 'f.o'],
  ['-v', '-V', 'f.o'],
  ['--no-cache', '--no-cache', 'f.o'],
];

describe('command lines parsed without yargs', () => {
  for (const argv of ACCEPTED) {
    it(`${JSON.stringify(argv)}: the same show options as yargs`, () => {
      const quick = quickShowArgs(argv);
      expect(quick).toBeDefined();
      expect(showArgsOf(quick!)).toEqual(showArgsOf(viaYargs(argv)));
    });
  }

  for (const argv of LEFT_TO_YARGS) {
    it(`${JSON.stringify(argv)}: left to yargs`, () => {
      expect(quickShowArgs(argv)).toBeUndefined();
    });
  }

  it('a failing check is left to yargs, which words the usage error', () => {
    expect(quickShowArgs(['-C', '/[/', 'f.o'])).toBeUndefined();
    expect(() => viaYargs(['-C', '/[/', 'f.o'])).toThrow(/not a valid regular expression/);
  });

  it('the CLI prints the same with and without yargs (`show` makes yargs parse)', () => {
    const ko = join(repoRoot, 'fixtures/bin/virtio_net.ko');
    const quick = run('-C', 'virtnet_info', ko);
    const full = run('show', '-C', 'virtnet_info', ko);
    expect(quick.code).toBe(0);
    expect(quick.stdout).toContain('struct virtnet_info {');
    expect(quick.stdout).toBe(full.stdout);
    const missing = run('-C', 'no_such_type', ko);
    const missingFull = run('show', '-C', 'no_such_type', ko);
    expect(missing.code).toBe(missingFull.code);
    expect(missing.stderr).toBe(missingFull.stderr);
  });
});
