import { openElf } from '../elf/index.js';
import { readExports, type FileExports } from '../load/exports.js';
import { exportsDocument, renderExportsText, type ExportsFile } from '../report/exports.js';
import { isStructscopeError } from '../util/errors.js';
import type { Output } from './output.js';

export interface ExportsArgs {
  files: string[];
  format: 'text' | 'json';
}

/** `structscope exports FILE...`: returns the exit code (0 success, 2 a file could not be read). */
export function runExports(args: ExportsArgs, out: Output): number {
  let exit = 0;
  const files: ExportsFile[] = [];
  for (const path of args.files) {
    let f: ExportsFile & FileExports;
    try {
      const elf = openElf(path);
      try {
        f = { path, ...readExports(elf) };
      } finally {
        elf.close();
      }
    } catch (e) {
      if (!isStructscopeError(e)) throw e;
      out.error(e.message);
      exit = 2;
      continue;
    }
    for (const d of f.diagnostics) out.warn(`${path}: ${d.section} at file offset 0x${d.fileOffset.toString(16)}: ${d.detail}`);
    files.push(f);
    if (args.format === 'text') {
      if (args.files.length > 1) out.write(`==> ${path} <==\n`);
      out.write(renderExportsText(f));
    }
  }
  if (args.format === 'json') out.write(JSON.stringify(exportsDocument(files), null, 2) + '\n');
  return exit;
}
