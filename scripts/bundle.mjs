#!/usr/bin/env node
// The installed CLI as a few bundled ESM files (run by `npm run build`, after tsc): compiling and
// linking ~80 separate modules cost more start-up time than the work of a small `-C` query.
// Writes dist/cli/main.js (the `bin`), dist/cli/dump-worker.js and dist/cli/build-index.js over
// tsc's files of the same names, plus dist/cli/_*.js: each subcommand (show, check, diff,
// reorg) is a chunk loaded on demand, so `--version` loads only yargs and the option table.
// Chunks sit beside the entry points because the code finds its workers relative to
// import.meta.url (`new URL('./dump-worker.js', import.meta.url)`). The rest of dist/ is tsc's
// output, for `import 'structscope'`.
import { build } from 'esbuild';
import { chmodSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist/cli');
for (const f of readdirSync(out)) if (f.startsWith('_')) rmSync(join(out, f));

/**
 * yargs finds package.json (for --version) from its own path up to `node_modules`; inside the
 * bundle that path is dist/cli, so point it at the package root, two levels up.
 */
const yargsRoot = {
  name: 'yargs-package-root',
  setup(b) {
    b.onLoad({ filter: /yargs[\\/]lib[\\/]platform-shims[\\/]esm\.mjs$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      const from = "const mainFilename = __dirname.substring(0, __dirname.lastIndexOf('node_modules'));";
      if (!text.includes(from)) throw new Error(`${args.path}: yargs changed; update scripts/bundle.mjs`);
      return { contents: text.replace(from, "const mainFilename = fileURLToPath(new URL('../../', import.meta.url));"), loader: 'js' };
    });
  },
};

await build({
  absWorkingDir: root,
  entryPoints: ['src/cli/main.ts', 'src/cli/dump-worker.ts', 'src/cli/build-index.ts'],
  outdir: 'dist/cli',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  chunkNames: '_[name]-[hash]',
  // CommonJS dependencies (cli-table3) require node built-ins: give the ESM bundle a require
  banner: { js: "import { createRequire as __structscopeRequire } from 'node:module';\nconst require = __structscopeRequire(import.meta.url);" },
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'none',
  plugins: [yargsRoot],
  logLevel: 'warning',
});
chmodSync(join(out, 'main.js'), 0o755);
