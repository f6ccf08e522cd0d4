import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { closestOption, editDistance } from '../../src/cli/suggest.js';
import { CLI, run } from '../helpers/cli.js';
import { fixturePath, readExpected } from '../helpers/fixtures.js';

const PLAIN = fixturePath('layout-plain.o');
const KO = fixturePath('virtio_net.ko');

describe('usage errors: exit 64, one line, the nearest spelling', () => {
  it('edit distance and the nearest known option', () => {
    expect(editDistance('cacheline_sise', 'cacheline_size')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    const known = ['cacheline-size', 'cacheline_size', 'c', 'class', 'class_name', 'holes', 'H', 'hex', 'sizes'];
    expect(closestOption('cacheline_sise', known)).toBe('--cacheline_size'); // pahole's style kept
    expect(closestOption('cacheline-sise', known)).toBe('--cacheline-size');
    expect(closestOption('hols', known)).toBe('--holes');
    expect(closestOption('frobnicate', known)).toBeUndefined();
  });

  it.each([
    [['--cacheline_sise', '32'], /Unknown argument: cacheline_sise; did you mean --cacheline_size\?/],
    [['--class-nme', 'holes'], /did you mean --class-name\?|did you mean --class_name\?/],
    [['--sort', 'size'], /--sort size: the text layouts sort by name only/],
    [['--sort', '--format', 'json'], /--sort applies to --format table/],
    [['--sort', 'bogus', '--format', 'table'], /--sort bogus: not one of/],
    [['--hex', '--format', 'json'], /--hex only applies/],
    [['-E', '--sizes'], /--expand only applies/],
    [['-d'], /--recursive \(-d\) only applies to --contains/],
    [['-S', '-C', 'holes'], /--show_reorg_steps \(-S\) only applies to --reorganize/],
    [['-i', 'holes', '-C', 'holes'], /cannot be combined with -C/],
    [['-i', 'holes', '-f', 'holes'], /exclude each other/],
    [['-s', '-P'], /exclude each other/],
    [['-H', '-1'], /--holes takes a whole number/],
    [['-M', '--format', 'table'], /--show_only_data_members only applies/],
  ])('%j', (args, message) => {
    const r = run(PLAIN, ...args);
    expect(r.code).toBe(64);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('--help shows examples for every command and the exit code table', () => {
    for (const cmd of [[], ['check'], ['diff'], ['reorg'], ['index']]) {
      const r = spawnSync(process.execPath, [CLI, ...cmd, '--help'], { encoding: 'utf8' });
      expect(r.status, cmd.join(' ')).toBe(0);
      const examples = r.stdout.slice(r.stdout.indexOf('Examples:')).split('\n').filter((l) => /^ {2}(STRUCTSCOPE_\S+ )?structscope /.test(l));
      expect(examples.length, cmd.join(' ')).toBeGreaterThanOrEqual(3);
      expect(r.stdout).toMatch(/64 usage error/);
    }
  });
});

describe('--format table', () => {
  it('one rule under the header, none between rows; numbers right-aligned and equal to pahole --sizes', () => {
    const r = run(KO, '-C', '/^virtnet_/', '--format', 'table', '--sort', 'name');
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    const rules = lines.filter((l) => /^[├┌└]/.test(l));
    expect(rules).toHaveLength(3); // top, under the header, bottom
    expect(lines[2]).toMatch(/^├/);
    const rows = lines.filter((l) => l.includes('struct '));
    expect(rows).toHaveLength(4);
    expect(lines).toHaveLength(4 + 4); // top, header, rule, 4 rows, bottom
    const sizes = new Map(readExpected('virtio_net.ko', 'sizes.txt')!.trim().split('\n').map((l) => l.split('\t') as [string, string, string]).map(([n, s, h]) => [n, [s, h]]));
    for (const row of rows) {
      const cells = row.split('│').slice(1, -1);
      const name = cells[0]!.trim().replace(/^struct /, '');
      // a right-aligned cell: padding on the left, one space on the right
      expect(cells[1]).toMatch(/^ +\d+ $/);
      expect(cells[1]!.trim()).toBe(sizes.get(name)![0]);
      expect(cells[3]!.trim()).toBe(sizes.get(name)![1]);
    }
  });
});
