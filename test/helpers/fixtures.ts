import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const fixturesDir = join(repoRoot, 'fixtures');

export interface FixtureEntry {
  file: string;
  source: string[];
  compiler: string;
  flags: string;
  arch: string;
  endian: 'little' | 'big';
  dwarf: number;
  variant: string;
  sameTypesAs: string | null;
  paholeReadable: boolean;
}

/** Every fixture binary listed in fixtures/manifest.json, with absolute paths. */
/** loadFile options for fixtures: the stripped ones find their debug file under bin/debug-root (build-id tree). */
export function fixtureLoadOptions(): { debugDirs: string[] } {
  return { debugDirs: [fixturePath('debug-root')] };
}

export function fixtureManifest(): (FixtureEntry & { path: string; base: string })[] {
  const list = JSON.parse(readFileSync(join(fixturesDir, 'manifest.json'), 'utf8')) as FixtureEntry[];
  return list.map((e) => ({ ...e, path: join(fixturesDir, e.file), base: e.file.replace(/^bin\//, '') }));
}

export function fixturePath(name: string): string {
  return join(fixturesDir, 'bin', name);
}

export function expectedPath(base: string, kind: 'pahole.txt' | 'sizes.txt' | 'facts.json'): string {
  return join(fixturesDir, 'expected', `${base}.${kind}`);
}

export function readExpected(base: string, kind: 'pahole.txt' | 'sizes.txt' | 'facts.json'): string | undefined {
  const p = expectedPath(base, kind);
  return existsSync(p) ? readFileSync(p, 'utf8') : undefined;
}
