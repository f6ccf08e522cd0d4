import type { LoadedFile } from '../model/table.js';
import type { AggregateType } from '../model/types.js';
import { abiForElf, inferAll, type InferResult } from '../layout/abi/index.js';
import { checkDocument, checkExitCode, checkFile, checkType, renderCheckText, type CheckFile } from '../report/check.js';
import { selectTypes, type Selection } from '../report/select.js';
import { loadFile } from '../load/index.js';
import { isStructscopeError } from '../util/errors.js';
import type { Output } from './output.js';

export interface CheckArgs extends Selection {
  files: string[];
  format: 'text' | 'json';
  skipMissing: boolean;
  verbose: boolean;
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
    let file: LoadedFile;
    try {
      file = loadFile(path, { onUnit: out.progress });
    } catch (e) {
      if (!isStructscopeError(e)) throw e;
      out.error(e.message);
      exit = 2;
      continue;
    } finally {
      out.progressDone();
    }
    if (args.verbose) for (const d of file.diagnostics) out.warn(`${path}: ${d.message}`);
    else if (file.diagnostics.length) out.warn(`${path}: ${file.diagnostics.length} problem(s) in the debug info were skipped (--verbose lists them)`);

    const { info } = file;
    const abi = abiForElf(info.machine, info.elfClass, info.littleEndian, info.flags);
    if (!abi) {
      out.error(`${path}: unknown ABI: no layout rules for ${info.machineName} (${info.elfClass}-bit ${info.littleEndian ? 'little' : 'big'}-endian)`);
      exit = 2;
      continue;
    }

    const sel = selectTypes(file.table, args);
    if (sel.missing.length && !args.skipMissing) {
      out.error(`${path}: no type matches ${sel.missing.map((m) => `'${m}'`).join(', ')}`);
      exit = Math.max(exit, 1);
    }
    const results = inferAll(file.table, abi, { dwarfVersions: info.dwarfVersions });
    const types = sel.ids.map((id) => {
      const t = file.table.get(id) as AggregateType;
      const r: InferResult = results.get(id) ?? {
        id,
        status: 'unpredictable',
        attributes: {},
        explanations: [],
        differences: [],
        unpredictable: 'not a complete aggregate',
      };
      return checkType(t.name ?? '(anonymous)', t.kind, r);
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
