// Files a binary names must not send structscope outside the rules, and the shared cache must not
// be a way to truncate files (issue 20's two security holes). Binaries are compiled here by gcc.
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, lutimesSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { takeLock } from '../../src/cli/load-selected.js';
import { sourceUnder } from '../../src/load/named-files.js';
import { run } from '../helpers/cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'structscope-security-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const installed = (tool: string): boolean => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;
const hasGcc = installed('gcc');
const hasStrace = installed('strace') && spawnSync('strace', ['-f', '-qq', '-e', 'trace=none', 'true']).status === 0;

/** A struct worth reorganizing (holes), declared in a header whose recorded name is `declName`. */
const STRUCT = `struct leaky {\n\tchar a;\n\tlong b;\n\tchar c;\n\tlong d;\n};\n`;

/** Compile a unit whose `struct leaky` DWARF says was declared in `declName` (via #line). */
function compileWithDeclFile(dir: string, declName: string): string {
  const c = join(dir, 'unit.c');
  writeFileSync(c, `#line 1 "${declName}"\n${STRUCT}#line 20 "unit.c"\nstruct leaky use_it;\n`);
  const o = join(dir, 'unit.o');
  const r = spawnSync('gcc', ['-g', '-c', '-o', o, c], { cwd: dir, encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return o;
}

describe.skipIf(!hasGcc)('reorg --patch stays inside SRC_DIR (needs gcc)', () => {
  // tmp/secret/s.h is outside SRC_DIR (tmp/tree) and holds the struct the binary claims to come from
  const tree = join(tmp, 'tree');
  const secret = join(tmp, 'secret');
  mkdirSync(join(tree, 'include'), { recursive: true });
  mkdirSync(secret, { recursive: true });
  writeFileSync(join(secret, 's.h'), STRUCT);

  it("a decl_file with '..' is not followed out of SRC_DIR", () => {
    const o = compileWithDeclFile(tree, '../secret/s.h');
    const r = run('reorg', o, '-C', 'leaky', '--patch', tree);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/leaky: source file "\.\.\/secret\/s\.h" not found under .*tree.*; no patch for it/);
    expect(r.stderr).not.toContain(STRUCT.split('\n')[1]);
  });

  it("the same name's in-tree suffix is used when it exists: a/secret/s.h, never a/../", () => {
    const o = compileWithDeclFile(tree, '../../secret/s.h');
    mkdirSync(join(tree, 'secret'), { recursive: true });
    writeFileSync(join(tree, 'secret', 's.h'), STRUCT);
    const r = run('reorg', o, '-C', 'leaky', '--patch', tree);
    rmSync(join(tree, 'secret'), { recursive: true });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^--- a\/secret\/s\.h\n\+\+\+ b\/secret\/s\.h\n/);
    expect(r.stdout).not.toContain('../');
  });

  it('a symlink inside SRC_DIR that points outside it is not followed', () => {
    symlinkSync(join(secret, 's.h'), join(tree, 'include', 's.h'));
    const o = compileWithDeclFile(tree, 'include/s.h');
    const r = run('reorg', o, '-C', 'leaky', '--patch', tree);
    rmSync(join(tree, 'include', 's.h'));
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/not found under/);
  });

  it('an absolute decl_file is looked up by its suffixes under SRC_DIR, and a file in the tree is patched', () => {
    writeFileSync(join(tree, 'include', 'in.h'), STRUCT);
    const o = compileWithDeclFile(tree, '/elsewhere/build/include/in.h');
    const r = run('reorg', o, '-C', 'leaky', '--patch', tree);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^--- a\/include\/in\.h\n/);
  });

  it.skipIf(!hasStrace)('no file outside SRC_DIR is opened (strace; skipped without strace)', () => {
    const o = compileWithDeclFile(tree, '../secret/s.h');
    const traceFile = join(tmp, 'trace');
    const cli = join(__dirname, '../../dist/cli/main.cjs');
    const r = spawnSync('strace', ['-f', '-qq', '-e', 'trace=open,openat,stat,newfstatat,statx,readlink,lstat', '-o', traceFile, process.execPath, cli, 'reorg', o, '-C', 'leaky', '--patch', tree], {
      encoding: 'utf8',
      env: { ...process.env, STRUCTSCOPE_INDEX_BACKGROUND: '0', STRUCTSCOPE_CACHE_DIR: join(tmp, 'cache') },
    });
    expect(r.status).toBe(1);
    expect(readFileSync(traceFile, 'utf8')).not.toContain(join(secret, 's.h'));
  });
});

describe('sourceUnder (the rule for decl_file names)', () => {
  it("never returns a path outside the root, whatever the name", () => {
    const root = join(tmp, 'root');
    mkdirSync(join(root, 'a'), { recursive: true });
    writeFileSync(join(root, 'a', 'x.h'), '');
    writeFileSync(join(tmp, 'x.h'), '');
    for (const name of ['../x.h', '../../x.h', 'a/../../x.h', `${tmp}/x.h`, '/etc/passwd', '../../../../etc/passwd', '', '..']) {
      const found = sourceUnder(root, name);
      if (typeof found !== 'string') expect(found.path.startsWith(`${root}/`), `${name} → ${found.path}`).toBe(true);
    }
    expect(sourceUnder(root, '../x.h')).toMatch(/not found/);
    expect(sourceUnder(root, '/build/a/x.h')).toEqual({ path: join(root, 'a', 'x.h'), rel: 'a/x.h' });
    expect(sourceUnder(root, './a/x.h')).toEqual({ path: join(root, 'a', 'x.h'), rel: 'a/x.h' });
    expect(sourceUnder(root, 'a')).toMatch(/not found/); // a directory is not a source file
  });
});

describe('the index builder lock', () => {
  it('a stale lock that is a symlink is removed, never truncated through', () => {
    const victim = join(tmp, 'victim');
    writeFileSync(victim, 'precious\n');
    const old = new Date(Date.now() - 3600_000);
    utimesSync(victim, old, old);
    const lock = join(tmp, 'x.idx.building');
    symlinkSync(victim, lock);
    lutimesSync(lock, old, old); // the link itself is old too: it counts as a dead builder's lock
    expect(takeLock(lock)).toBe(true);
    expect(readFileSync(victim, 'utf8')).toBe('precious\n');
    expect(lstatSync(lock).isSymbolicLink()).toBe(false);
    expect(lstatSync(lock).isFile()).toBe(true);
  });

  it('a fresh lock is respected; a dangling symlink is not followed to create its target', () => {
    const lock = join(tmp, 'y.idx.building');
    expect(takeLock(lock)).toBe(true);
    expect(takeLock(lock)).toBe(false); // held by the first
    const target = join(tmp, 'created-through-link');
    const link = join(tmp, 'z.idx.building');
    symlinkSync(target, link);
    // the link itself is new (not stale): the lock counts as held, and nothing is created through it
    expect(takeLock(link)).toBe(false);
    expect(existsSync(target)).toBe(false);
  });

  it('end to end: a -C run whose lock is a planted symlink leaves the target intact', () => {
    const cache = join(tmp, 'cache-e2e');
    const victim = join(tmp, 'victim2');
    writeFileSync(victim, 'precious\n');
    const old = new Date(Date.now() - 3600_000);
    utimesSync(victim, old, old);
    // plant a symlink at every lock name the run could use: the index directory holds one per file
    const ko = join(__dirname, '../../fixtures/bin/virtio_net.ko');
    const first = spawnSync(process.execPath, [join(__dirname, '../../dist/cli/main.cjs'), '-C', 'virtnet_info', ko, '-v'], {
      encoding: 'utf8',
      env: { ...process.env, STRUCTSCOPE_CACHE_DIR: cache, STRUCTSCOPE_INDEX_BACKGROUND: '0' },
    });
    expect(first.status).toBe(0);
    const indexName = /type index \w+: (\S+\.idx)/.exec(first.stderr)?.[1];
    expect(indexName, first.stderr).toBeDefined();
    mkdirSync(join(indexName!, '..'), { recursive: true });
    rmSync(indexName!, { force: true });
    symlinkSync(victim, `${indexName}.building`);
    lutimesSync(`${indexName}.building`, old, old);
    const second = spawnSync(process.execPath, [join(__dirname, '../../dist/cli/main.cjs'), '-C', 'virtnet_info', ko], {
      encoding: 'utf8',
      env: { ...process.env, STRUCTSCOPE_CACHE_DIR: cache },
    });
    expect(second.status).toBe(0);
    expect(readFileSync(victim, 'utf8')).toBe('precious\n');
  });
});
