import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { repoRoot } from './fixtures.js';

/** The built CLI (`npm test` builds it first). */
export const CLI = join(repoRoot, 'dist/cli/main.cjs');

/**
 * The environment CLI runs get: a private type index cache (never the user's ~/.cache) and no
 * background index builds, so no process outlives its test.
 */
export const CLI_ENV = {
  ...process.env,
  STRUCTSCOPE_CACHE_DIR: join(tmpdir(), `structscope-test-cache-${process.pid}`),
  STRUCTSCOPE_INDEX_BACKGROUND: '0',
};

/** Run the CLI with arguments; exit code and both streams. */
export function run(...args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', maxBuffer: 256 << 20, env: CLI_ENV });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** A validator for one of the shipped JSON Schemas (schema/NAME.schema.json). */
export function schemaValidator(name: 'show' | 'check' | 'diff' | 'reorg' | 'exports' | 'abi-diff') {
  const schema = JSON.parse(readFileSync(join(repoRoot, `schema/${name}.schema.json`), 'utf8'));
  return new Ajv2020({ allErrors: true, allowUnionTypes: true }).compile(schema);
}
