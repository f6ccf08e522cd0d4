#!/usr/bin/env node
// The installed CLI as a few bundled ESM files (run by `npm run build`, after tsc): compiling and
// linking ~80 separate modules cost more start-up time than the work of a small `-C` query.
// Writes dist/cli/main.js (the `bin`: a few lines that answer --version or load dist/cli/_cli.js,
// the bundled src/cli/main.ts), dist/cli/dump-worker.js and dist/cli/build-index.js over
// tsc's files of the same names, plus dist/cli/_*.js: each subcommand (show, check, diff,
// reorg) is a chunk loaded on demand, so `--version` loads only yargs and the option table.
// Chunks sit beside the entry points because the code finds its workers relative to
// import.meta.url (`new URL('./dump-worker.js', import.meta.url)`). The rest of dist/ is tsc's
// output, for `import 'structscope'`.
import { build } from 'esbuild';
import { chmodSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

await build({
  absWorkingDir: root,
  // main.ts becomes _cli.js, loaded by the small bin written below
  entryPoints: { _cli: 'src/cli/main.ts', 'dump-worker': 'src/cli/dump-worker.ts', 'build-index': 'src/cli/build-index.ts', 'abi-worker': 'src/cli/abi-worker.ts' },
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
  plugins: [yargsRoot, lazyStringWidth],
  logLevel: 'warning',
});
// The bin: `structscope --version` is answered from package.json without compiling the CLI
// (yargs and the option table are most of the start-up cost); anything else loads _cli.js.
writeFileSync(
  join(out, 'main.js'),
  `#!/usr/bin/env node
// structscope's bin, written by scripts/bundle.mjs: the CLI itself is ./_cli.js (src/cli/main.ts)
import { readFileSync } from 'node:fs';
const args = process.argv.slice(2);
if (args.length === 1 && args[0] === '--version') process.stdout.write(JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version + '\\n');
else await import('./_cli.js');
`,
);
chmodSync(join(out, 'main.js'), 0o755);
