#!/usr/bin/env node
// The installed CLI as bundled files (run by `npm run build`, after tsc): compiling and linking ~80
// separate modules cost more start-up time than the work of a small `-C` query.
// - dist/cli/main.cjs, the `bin`: a few lines that answer --version, else run dist/cli/_cli.cjs
//   (src/cli/main.ts and everything it imports, one CommonJS file) through node:vm with the V8
//   code cache dist/cli/_cli.cache, which this script makes by running the CLI on a few fixtures:
//   the functions a run compiles then come from the cache instead of the compiler (25-30 ms of a
//   100-200 ms `-C`). ES modules have no code cache in Node 20, hence CommonJS for this file. The
//   cache is written here, next to the code, never at run time: a cache directory may be shared,
//   and a code cache is code. V8 rejects a cache made by another V8 or for another source, and
//   then the CLI compiles as it would without one.
// - dist/cli/main.js: the same CLI as an ES module entry, for scripts that ran it by that path.
// - dist/cli/dump-worker.js, build-index.js, abi-worker.js: the worker threads, bundled ESM over
//   tsc's files of the same names, with their shared chunks dist/cli/_*.js. They sit beside the
//   CLI because the code finds them relative to import.meta.url
//   (`new URL('./dump-worker.js', import.meta.url)`).
// The rest of dist/ is tsc's output, for `import 'structscope'`.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
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

/**
 * string-width (yargs' help layout) builds an Intl.Segmenter and Unicode-property regexps
 * (\\p{RGI_Emoji}) when its module is evaluated: ~40 ms of CPU on every run, though only --help
 * and usage errors measure text. Its body runs on the first call instead.
 */
const lazyStringWidth = {
  name: 'lazy-string-width',
  setup(b) {
    b.onLoad({ filter: /[\\/]string-width[\\/]index\.js$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      if (!text.includes('new Intl.Segmenter(')) return undefined; // string-width 4 (cli-table3): cheap already
      const lines = text.split('\n');
      const imports = lines.filter((l) => l.startsWith('import '));
      const body = lines.filter((l) => !l.startsWith('import ')).join('\n');
      const from = /^export default function stringWidth\(/m;
      if (!from.test(body) || /^export /m.test(body.replace(from, ''))) throw new Error(`${args.path}: string-width changed; update scripts/bundle.mjs`);
      const contents = `${imports.join('\n')}
let stringWidthImpl;
function stringWidthModule() {
${body.replace(from, 'function stringWidth(')}
return stringWidth;
}
export default function stringWidth(string, options) {
  return (stringWidthImpl ??= stringWidthModule())(string, options);
}
`;
      return { contents, loader: 'js' };
    });
  },
};

const common = {
  absWorkingDir: root,
  outdir: 'dist/cli',
  bundle: true,
  platform: 'node',
  target: 'node20',
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'none',
  plugins: [yargsRoot, lazyStringWidth],
  logLevel: 'warning',
};

// the worker threads: ESM, sharing chunks
await build({
  ...common,
  entryPoints: { 'dump-worker': 'src/cli/dump-worker.ts', 'build-index': 'src/cli/build-index.ts', 'abi-worker': 'src/cli/abi-worker.ts' },
  splitting: true,
  format: 'esm',
  chunkNames: '_[name]-[hash]',
  // CommonJS dependencies (cli-table3) require node built-ins: give the ESM bundle a require
  banner: { js: "import { createRequire as __structscopeRequire } from 'node:module';\nconst require = __structscopeRequire(import.meta.url);" },
});

// the CLI: one CommonJS file (its dynamic imports become functions called on first use), where
// import.meta.url is the file's own URL (workers are found beside it)
await build({
  ...common,
  entryPoints: { _cli: 'src/cli/main.ts' },
  outExtension: { '.js': '.cjs' },
  format: 'cjs',
  define: { 'import.meta.url': '__structscopeUrl' },
  banner: { js: "const __structscopeUrl = require('node:url').pathToFileURL(__filename).href;" },
});

writeFileSync(
  join(out, 'main.cjs'),
  `#!/usr/bin/env node
// structscope's bin, written by scripts/bundle.mjs: \`--version\` from package.json, anything else
// runs ./_cli.cjs (src/cli/main.ts) compiled with the code cache ./_cli.cache when V8 accepts it.
'use strict';
const { readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const args = process.argv.slice(2);
if (args.length === 1 && args[0] === '--version') {
  process.stdout.write(JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8')).version + '\\n');
} else {
  const { Script } = require('node:vm');
  const file = join(__dirname, '_cli.cjs');
  let cachedData;
  try {
    cachedData = readFileSync(join(__dirname, '_cli.cache'));
  } catch {
    // no cache: compile as usual
  }
  const body = readFileSync(file, 'utf8').replace(/^#!.*/, '');
  const script = new Script('(function (exports, require, module, __filename, __dirname) {' + body + '\\n})', { filename: file, cachedData });
  // scripts/bundle.mjs only: keep what this run compiled as the cache
  const keep = process.env.STRUCTSCOPE_WRITE_CODE_CACHE;
  if (keep) process.on('exit', () => writeFileSync(keep, script.createCachedData()));
  const module = { exports: {} };
  script.runInThisContext()(module.exports, require, module, file, __dirname);
}
`,
);
chmodSync(join(out, 'main.cjs'), 0o755);
writeFileSync(
  join(out, 'main.js'),
  `#!/usr/bin/env node
// written by scripts/bundle.mjs: the CLI as an ES module entry (the bin is ./main.cjs)
import { createRequire } from 'node:module';
createRequire(import.meta.url)('./main.cjs');
`,
);
chmodSync(join(out, 'main.js'), 0o755);

// The code cache: what the CLI compiles for a whole dump, a -C through the type index that dump
// left, a DWARF -C without one and a BTF -C, each run starting from the cache the one before
// wrote. The runs keep their type indexes in a directory of their own (never the user's cache).
// Skipped when the fixtures are not here.
const cache = join(out, '_cli.cache');
rmSync(cache, { force: true });
const fixture = (f) => join(root, 'fixtures/bin', f);
const warmRuns = [
  [fixture('layout-exe')],
  [fixture('layout-exe'), '-C', 'ops'],
  [fixture('virtio_net.ko'), '-C', 'virtnet_info'],
  [fixture('btf/base.btf'), '-C', 'task_struct', '--skip-missing'],
];
const indexDir = mkdtempSync(join(tmpdir(), 'structscope-bundle-'));
try {
  for (const run of warmRuns) {
    if (!existsSync(run[0])) continue;
    const env = { ...process.env, STRUCTSCOPE_WRITE_CODE_CACHE: cache, STRUCTSCOPE_CACHE_DIR: indexDir, STRUCTSCOPE_INDEX_BACKGROUND: '0' };
    const r = spawnSync(process.execPath, [join(out, 'main.cjs'), ...run], { env, stdio: 'ignore' });
    if (r.status !== 0) throw new Error(`scripts/bundle.mjs: warming the code cache with ${run.join(' ')} exited ${r.status}`);
  }
} finally {
  rmSync(indexDir, { recursive: true, force: true });
}
