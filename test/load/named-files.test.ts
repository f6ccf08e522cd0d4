// The lookup rules of src/load/named-files.ts and debug-files.ts on their own: which paths a name
// from a binary may produce, and which files may then be read.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { altLinkPlaces, debugLinkCandidates, dwoCandidates } from '../../src/load/debug-files.js';
import { joinInside, namedFileProblem, resolvesInside } from '../../src/load/named-files.js';

const tmp = mkdtempSync(join(tmpdir(), 'structscope-named-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('names joined to a directory', () => {
  it("'..' may move inside the directory but never out of it", () => {
    expect(joinInside('/usr/bin', 'foo.debug')).toBe('/usr/bin/foo.debug');
    expect(joinInside('/usr/bin', 'sub/../foo.debug')).toBe('/usr/bin/foo.debug');
    expect(joinInside('/usr/bin', '../../etc/shadow')).toBeUndefined();
    expect(joinInside('/usr/bin', '..')).toBeUndefined();
    expect(joinInside('/usr/bin', '/etc/shadow')).toBe('/usr/bin/etc/shadow');
  });

  it('debuglink candidates: beside the binary, .debug/, <root>/<dir>/, never outside', () => {
    expect(debugLinkCandidates('/usr/bin/foo', 'foo.debug', ['/usr/lib/debug'])).toEqual(['/usr/bin/foo.debug', '/usr/bin/.debug/foo.debug', '/usr/lib/debug/usr/bin/foo.debug']);
    expect(debugLinkCandidates('/usr/bin/foo', '../../etc/shadow', ['/usr/lib/debug'])).toEqual([]);
    // each place is its own directory: '../foo.debug' from .debug/ would be beside the binary, and is not looked for
    expect(debugLinkCandidates('/usr/bin/foo', '../foo.debug', ['/usr/lib/debug'])).toEqual([]);
  });

  it('.dwo candidates: only .dwo names, under comp_dir or beside the binary', () => {
    expect(dwoCandidates('/b/prog', 'x.dwo', '/build')).toEqual(['/build/x.dwo', '/b/x.dwo']);
    expect(dwoCandidates('/b/prog', '/etc/shadow', '/build')).toEqual([]);
    expect(dwoCandidates('/b/prog', '../../etc/x.dwo', '/build/obj')).toEqual(['/b/x.dwo']);
    expect(dwoCandidates('/b/prog', '/abs/x.dwo', undefined)).toEqual(['/abs/x.dwo', '/b/x.dwo']);
  });

  it('dwz files must resolve inside the naming file\'s directory or a debug root', () => {
    const places = altLinkPlaces('/usr/lib/debug/usr/bin/foo.debug', '../../.dwz/pkg.debug', 'abcd', ['/usr/lib/debug']);
    expect(places[0]).toEqual({ path: '/usr/lib/debug/.dwz/pkg.debug', inside: ['/usr/lib/debug/usr/bin', '/usr/lib/debug'] });
  });
});

describe('what may be read', () => {
  it('regular files only, decided by type; /proc refused; symlinks re-checked against the directory', () => {
    const dir = join(tmp, 'd');
    mkdirSync(dir);
    writeFileSync(join(dir, 'f'), 'x');
    writeFileSync(join(tmp, 'outside'), 'secret');
    symlinkSync(join(tmp, 'outside'), join(dir, 'link'));
    spawnSync('mkfifo', [join(dir, 'fifo')]);
    expect(namedFileProblem(join(dir, 'f'))).toBeUndefined();
    expect(namedFileProblem(join(dir, 'fifo'))).toBe('not a regular file (FIFO)');
    expect(namedFileProblem(dir)).toBe('not a regular file (directory)');
    expect(namedFileProblem('/dev/null')).toBe('not a regular file (character device)');
    expect(namedFileProblem('/proc/self/status')).toBe('on procfs, which holds no debug files');
    expect(namedFileProblem(join(dir, 'missing'))).toBe('not found');
    expect(resolvesInside(join(dir, 'f'), [dir])).toBe(true);
    expect(resolvesInside(join(dir, 'link'), [dir])).toBe(false);
    expect(resolvesInside(join(dir, 'link'), [dir, tmp])).toBe(true);
  });
});
