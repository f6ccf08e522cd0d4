import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../helpers/cli.js';
import { readExpected, repoRoot } from '../helpers/fixtures.js';

// The README's library example, run as a user would: `import ... from 'structscope'` (the package's
// exports map, resolved by self-reference from the repository), against the built dist/.
function readmeExample(): string {
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Library API'));
  const m = /```js\n([\s\S]*?)```/.exec(section);
  if (!m) throw new Error('README: no ```js block under "## Library API"');
  return m[1]!;
}

describe('README library example', () => {
  it('runs, and prints what pahole and the CLI print for the same struct', () => {
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', readmeExample()], { cwd: repoRoot, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const [sizes, ...rest] = r.stdout.split('\n');
    // line 1: name, size, holes as pahole --sizes prints them (golden from pahole 1.24)
    const golden = readExpected('virtio_net.ko', 'sizes.txt')!.split('\n').find((l) => l.startsWith('virtnet_info\t'));
    expect(sizes).toBe(golden);
    // then one line per hole, as many and as large as pahole's XXX comments say
    const holes = rest.filter((l) => l.startsWith('hole: '));
    const block = run(join(repoRoot, 'fixtures/bin/virtio_net.ko'), '-C', 'virtnet_info').stdout;
    const xxx = [...block.matchAll(/XXX (\d+) bytes? hole/g)].map((m) => Number(m[1]));
    expect(holes.map((l) => Number(/(\d+) bytes/.exec(l)![1]))).toEqual(xxx);
    // and the block itself, as the CLI prints it (pahole 1.31 follows a -C block with a blank line)
    expect(rest.slice(holes.length).join('\n')).toBe(block.replace(/\n\n$/, '\n'));
  });

  it('the package exports the library and the CLI', () => {
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
    expect(pkg.exports['.'].import).toBe('./dist/index.js');
    expect(pkg.exports['./cli']).toBe(pkg.bin.structscope.replace(/^(?!\.\/)/, './'));
    expect(readFileSync(join(repoRoot, 'LICENSE'), 'utf8')).toMatch(/^MIT License/);
    expect(pkg.license).toBe('MIT');
  });
});
