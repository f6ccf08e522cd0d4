/** show's command line: its options (pahole's spellings as aliases), their checks, and runShow's options from them. */
import type { Argv } from 'yargs';
import { SORT_FIELDS, type SortField } from '../report/sort-fields.js';
import { cacheDirectory } from '../load/index-cache.js';
import { ABIS } from '../layout/abi/targets.js';
import { RUNNING_KERNEL_BTF } from '../load/btf.js';
import { DEFAULT_PAHOLE_DIALECT, PAHOLE_DIALECTS, type PaholeDialect } from '../layout/types.js';
import { checkSelection, debugDirs, defaultJobs, repeated, sourceOf, splitList, useColor, withSelection } from './options.js';
import type { ShowArgs } from './show.js';

/** show's options, examples and checks. */
export function withShowOptions<T>(y: Argv<T>) {
  return withSelection(y, false)
    .option('sizes', { alias: 's', type: 'boolean', default: false, describe: 'print name, size and number of holes per type (pahole --sizes)' })
    .option('packable', { alias: 'P', type: 'boolean', default: false, describe: 'types that reordering can shrink: name, size, packed size, savings (pahole --packable)' })
    .option('holes', { alias: 'H', type: 'number', describe: 'only structs with at least N holes' })
    .option('bit-holes', { alias: ['B', 'bit_holes'], type: 'number', describe: 'only structs with at least N bit holes' })
    .option('hole-size-ge', { alias: ['z', 'hole_size_ge'], type: 'number', describe: 'only structs with a hole of at least N bytes' })
    .option('padding-ge', { alias: 'padding_ge', type: 'number', describe: 'only structs with at least N bytes of tail padding' })
    .option('packed', { type: 'boolean', default: false, describe: 'only structs pahole infers __attribute__((__packed__)) for' })
    .option('with-flexible-array', { alias: 'with_flexible_array', type: 'boolean', default: false, describe: 'only structs ending in a flexible array' })
    .option('with-embedded-flexible-array', { alias: 'with_embedded_flexible_array', type: 'boolean', default: false, describe: 'only structs with a struct member that ends in a flexible array' })
    .option('decl-exclude', { alias: ['D', 'decl_exclude'], type: 'string', describe: 'leave out types declared in files whose name starts with PREFIX' })
    .option('contains', { alias: ['i'], type: 'string', describe: 'list the types with a member of type NAME (pahole -i)' })
    .option('find-pointers-to', { alias: ['f', 'find_pointers_to'], type: 'string', describe: 'list TYPE: MEMBER for every member that points to NAME (pahole -f)' })
    .option('recursive', { alias: 'd', type: 'boolean', default: false, describe: 'with --contains: also the member types that contain NAME, indented' })
    .option('reorganize', { alias: 'R', type: 'boolean', default: false, describe: 'the smaller member order of each -C struct: runs `structscope reorg` (validated by the layout engine; not pahole\'s own --reorganize output)' })
    .option('show-reorg-steps', { alias: ['S', 'show_reorg_steps'], type: 'boolean', default: false, describe: 'with -R: the layout after each move (reorg --steps)' })
    .option('expand', { alias: ['E', 'expand_types'], type: 'boolean', default: false, describe: 'expand nested types inline' })
    .option('anon-include', { alias: ['a', 'anon_include'], type: 'boolean', default: false, describe: 'also anonymous structs/unions a typedef names, as `typedef struct {...} NAME;` (pahole -a)' })
    .option('compile', { type: 'boolean', default: false, describe: 'print C that compiles: the selected types (all without -C) after the forward declarations, typedefs, enums and types they need (pahole 1.31 --compile)' })
    .option('show-decl-info', { alias: ['I', 'show_decl_info'], type: 'boolean', default: false, describe: 'print the unit and the file:line where each type is declared before it (pahole -I; DWARF only)' })
    .option('nested-anon-include', { alias: ['A', 'nested_anon_include'], type: 'boolean', default: false, describe: 'with -a: also the anonymous structs/unions no typedef names (nested ones), as `struct {...};` (pahole -A)' })
    .option('hex', { type: 'boolean', default: false, describe: 'offsets and sizes in hexadecimal' })
    .option('show-only-data-members', { alias: ['M', 'show_only_data_members'], type: 'boolean', default: false, describe: 'C++: only the data members, no methods, nested types or vtable (pahole -M)' })
    .option('rel-offset', { alias: ['r', 'rel_offset'], type: 'boolean', default: false, describe: 'offsets inside nested structs/unions relative to them (pahole -r)' })
    .option('cacheline-size', { alias: ['c', 'cacheline_size'], type: 'number', describe: 'cacheline size in bytes (default 64, or the target\'s with --target)' })
    .option('target', { choices: Object.keys(ABIS), describe: 'predict the layouts for this ABI from the file\'s types' })
    .option('source-dir', { type: 'string', describe: 'with --target: read the C definitions under this directory, so that only attributes they declare are flagged' })
    .option('strict', { type: 'boolean', default: false, hidden: true, describe: 'with --target: no effect (flagging what DWARF cannot show is the default)' })
    .option('format', { choices: ['text', 'json', 'table', 'map', 'html'] as const, default: 'text' as const, describe: 'output format (map: cacheline map for the terminal; html: a self-contained report page)' })
    .option('width', { type: 'number', describe: '--format map: columns to fit (default: the terminal\'s, or 80)' })
    .option('sort', { type: 'string', describe: `sort by this field: --format table: ${SORT_FIELDS.join(', ')}; text: name (pahole --sort, the default value)` })
    .option('all-definitions', { type: 'boolean', default: false, describe: 'print every distinct definition of a name, not only the first' })
    .option('pahole', { type: 'string', choices: PAHOLE_DIALECTS, default: DEFAULT_PAHOLE_DIALECT, describe: 'print the text as this pahole version does' })
    .option('jobs', { alias: 'j', type: 'number', default: defaultJobs(), describe: 'worker threads for whole-file dumps of large files (1: none)' })
    .example('$0 vmlinux -C task_struct', 'one struct, as pahole -C task_struct prints it')
    .example('$0 -C sk_buff,net_device -E vmlinux', 'pahole order works too; -E expands nested types')
    .example('$0 foo.ko -H 2 --format table --sort holes', 'structs with two holes or more, the most holes first')
    .example('$0 vmlinux -i list_head -d', 'which types contain a struct list_head (pahole -i)')
    .example('$0 --compile -C virtnet_info virtio_net.ko > v.c', 'C that compiles: the struct and all it needs (pahole --compile)')
    .example('$0 -I -C sk_buff vmlinux', 'each type after its unit and declaration line (pahole -I)')
    .check((a) => {
      if (!Number.isInteger(a.jobs) || a.jobs < 1) throw new Error('--jobs takes a positive whole number');
      if (a['cacheline-size'] !== undefined && (!Number.isInteger(a['cacheline-size']) || a['cacheline-size'] < 1)) throw new Error('--cacheline-size takes a positive whole number');
      if (a.width !== undefined && (!Number.isInteger(a.width) || a.width < 20)) throw new Error('--width takes a whole number of at least 20');
      for (const k of ['holes', 'bit-holes', 'hole-size-ge', 'padding-ge'] as const) {
        const v = a[k];
        if (v !== undefined && (!Number.isInteger(v) || v < 0)) throw new Error(`--${k} takes a whole number`);
      }
      checkShowCombinations(a);
      checkSelection(a);
      return true;
    });
}

/** What yargs gives show's handler. */
export type ShowCliArguments = Awaited<ReturnType<typeof withShowOptions<object>>['argv']>;

/** The parsed show arguments as runShow's options. */
export function showArgsOf(a: ShowCliArguments): ShowArgs {
  return {
    files: (a.files as string[] | undefined)?.length ? (a.files as string[]) : [RUNNING_KERNEL_BTF],
    source: sourceOf(a),
    classes: repeated(a.class),
    sizes: a.sizes,
    packable: a.packable,
    structs: a.structs || a['with-embedded-flexible-array'], // pahole: it implies --structs
    unions: a.unions,
    exclude: repeated(a.exclude),
    prefix: splitList(a['prefix-filter']),
    holes: a.holes,
    filter: { holes: a.holes, bitHoles: a['bit-holes'], holeSizeGe: a['hole-size-ge'], paddingGe: a['padding-ge'], packed: a.packed, withFlexibleArray: a['with-flexible-array'], withEmbeddedFlexibleArray: a['with-embedded-flexible-array'], declExclude: a['decl-exclude'] },
    contains: a.contains,
    findPointersTo: a['find-pointers-to'],
    recursive: a.recursive,
    anonInclude: a['anon-include'],
    nestedAnonInclude: a['nested-anon-include'],
    declInfo: a['show-decl-info'],
    compile: a.compile,
    expand: a.expand,
    relOffset: a['rel-offset'],
    onlyDataMembers: a['show-only-data-members'],
    hex: a.hex,
    cachelineSize: a['cacheline-size'],
    target: a.target,
    sourceDir: a['source-dir'],
    format: a.format,
    width: a.width ?? (process.stdout.isTTY ? process.stdout.columns : undefined) ?? 80,
    color: useColor(),
    sort: a.sort === undefined ? undefined : ((a.sort || 'name') as SortField),
    allDefinitions: a['all-definitions'],
    skipMissing: a['skip-missing'],
    verbose: a.verbose,
    cacheDir: a.cache ? cacheDirectory() : undefined,
    jobs: a.jobs,
    pahole: a.pahole as PaholeDialect,
    debugDir: debugDirs(a['debug-dir']),
  };
}

/** show's options that only make sense together (thrown for yargs .check(): a usage error, exit 64). */
function checkShowCombinations(a: {
  format: string;
  sort?: string;
  sizes: boolean;
  packable: boolean;
  hex: boolean;
  expand: boolean;
  'rel-offset': boolean;
  'show-only-data-members': boolean;
  'anon-include': boolean;
  'nested-anon-include': boolean;
  'show-decl-info': boolean;
  compile: boolean;
  contains?: string;
  'find-pointers-to'?: string;
  recursive: boolean;
  reorganize: boolean;
  'show-reorg-steps': boolean;
  target?: string;
  class?: unknown;
}): void {
  const query = a.contains !== undefined ? '--contains' : a['find-pointers-to'] !== undefined ? '--find_pointers_to' : undefined;
  // -P filters every format (text: pahole's lines; JSON and table: the packable types)
  const textOnly = a.sizes ? '--sizes' : query ?? (a.reorganize ? '--reorganize' : undefined);
  if (a.contains !== undefined && a['find-pointers-to'] !== undefined) throw new Error('--contains and --find_pointers_to exclude each other');
  if (query && a.class !== undefined) throw new Error(`${query} takes the type name itself; it cannot be combined with -C`);
  if (query && (a.sizes || a.packable || a.reorganize)) throw new Error(`${query} prints a list of names; it cannot be combined with --sizes, --packable or --reorganize`);
  if (a.sizes && a.packable) throw new Error('--sizes and --packable exclude each other');
  if (a.reorganize && (a.sizes || a.packable)) throw new Error('--reorganize cannot be combined with --sizes or --packable');
  if (a.reorganize && a.target !== undefined) throw new Error('--reorganize cannot be combined with --target (reorg uses the file\'s own ABI)');
  if (textOnly && a.format !== 'text') throw new Error(`${textOnly} has text output only; drop --format ${a.format}`);
  if (a.recursive && a.contains === undefined) throw new Error('--recursive (-d) only applies to --contains (-i)');
  if (a['show-reorg-steps'] && !a.reorganize) throw new Error('--show_reorg_steps (-S) only applies to --reorganize (-R)');
  if (a.hex && (a.format !== 'text' || a.sizes || a.packable || query || a.reorganize)) throw new Error('--hex only applies to the layouts printed as text');
  if (a.expand && ((a.format !== 'text' && a.format !== 'json') || a.sizes || a.packable || query || a.reorganize)) throw new Error('--expand only applies to the layouts printed as text or JSON');
  for (const [on, name] of [[a['rel-offset'], '--rel_offset'], [a['show-only-data-members'], '--show_only_data_members'], [a['anon-include'], '--anon_include'], [a['nested-anon-include'], '--nested_anon_include'], [a['show-decl-info'], '--show_decl_info']] as const) {
    if (on && (a.format !== 'text' || a.sizes || a.packable || query || a.reorganize)) throw new Error(`${name} only applies to the layouts printed as text`);
  }
  if (a.compile && (a.format !== 'text' || a.sizes || a.packable || query || a.reorganize || a.expand || a['anon-include'] || a['show-decl-info'] || a.target !== undefined)) {
    throw new Error('--compile prints C for the text layouts; it cannot be combined with --format, --sizes, --packable, -i, -f, -R, -E, -a, -I or --target');
  }
  if (a.sort !== undefined) {
    const field = a.sort || 'name';
    if (a.format === 'json') throw new Error('--sort applies to --format table and to the text layouts, not to JSON');
    if (a.format === 'table') {
      if (!(SORT_FIELDS as readonly string[]).includes(field)) throw new Error(`--sort ${field}: not one of ${SORT_FIELDS.join(', ')}`);
    } else {
      if (field !== 'name') throw new Error(`--sort ${field}: the text layouts sort by name only (other fields: --format table)`);
      if (textOnly) throw new Error(`--sort cannot be combined with ${textOnly}`);
    }
  }
}
