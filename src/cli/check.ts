import type { SourceOptions } from '../load/btf.js';
import type { AggregateType } from '../model/types.js';
import { abiForElf, inferAll, type InferResult } from '../layout/abi/index.js';
import { checkDocument, checkExitCode, checkFile, checkType, renderCheckText, withGroups, type CheckFile } from '../report/check.js';
import { aggregateGroups } from '../layout/groups.js';
import type { Selection } from '../report/select.js';
import { loadSelected } from './load-selected.js';
import { loadFile } from '../load/index.js';
import type { Output } from './output.js';
import { escapeLineBreaksInNames } from '../model/printable-names.js';

export interface CheckArgs extends Selection {
  files: string[];
  /** -F and --btf-base. */
  source?: SourceOptions;
  format: 'text' | 'json';
  skipMissing: boolean;
  verbose: boolean;
  /** --debug-dir: extra roots for separate debug files. */
  debugDir?: string[];
}

/**
 * `structscope check FILE...`: returns the exit code (0 every layout natural or explained,
 * 1 something unexplained or a -C name matched nothing, 2 unreadable input or an unknown ABI).
 */
export function runCheck(args: CheckArgs, out: Output): number {
  let exit = 0;
  const files: CheckFile[] = [];
  const many = args.files.length > 1;
  for (const path of args.files) {
    // BTF: its facts only, no alignment guessed (check infers the attributes itself)
    const loaded = loadSelected(path, args, out, { btfAlignment: false }, loadFile);
    if (!loaded) {
      exit = 2;
      continue;
    }
    const { file } = loaded;
    if (args.format !== 'json') escapeLineBreaksInNames(file.table); // names cannot start lines of their own

    const { info } = file;
    const abi = abiForElf(info.machine, info.elfClass, info.littleEndian, info.flags);
    if (!abi) {
      out.error(`${path}: unknown ABI: no layout rules for ${info.machineName} (${info.elfClass}-bit ${info.littleEndian ? 'little' : 'big'}-endian)`);
      exit = 2;
      continue;
    }

    exit = Math.max(exit, loaded.exit);
    const results = inferAll(file.table, abi, { dwarfVersions: info.dwarfVersions });
    const types = loaded.ids.map((id) => {
      const t = file.table.get(id) as AggregateType;
      const r: InferResult = results.get(id) ?? {
        id,
        status: 'unpredictable',
        attributes: {},
        explanations: [],
        differences: [],
        unpredictable: 'not a complete aggregate',
      };
      return withGroups(checkType(t.name ?? '(anonymous)', t.kind, r), aggregateGroups(t, abi.cachelineSize));
    });
    const checked = checkFile(path, abi.name, types);
    files.push(checked);
    exit = Math.max(exit, checkExitCode([checked]));
    if (args.format === 'text') {
      if (many) out.write(`==> ${path} <==\n`);
      out.write(renderCheckText(checked));
    }
  }
  if (args.format === 'json') out.write(JSON.stringify(checkDocument(files), null, 1) + '\n');
  return exit;
}
