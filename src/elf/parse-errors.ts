/** Errors of the ELF parsers, naming the file (and section and offset where known). */
import { StructscopeError, type ErrorCode } from '../util/errors.js';

export function elfError(file: string, code: ErrorCode, detail: string, fileOffset?: number, section?: string): StructscopeError {
  return new StructscopeError(code, detail, { file, section, fileOffset });
}

/** Run `fn`, naming `file` in any StructscopeError it throws (a Reader knows the section, not the file). */
export function namingFile<T>(file: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof StructscopeError) throw e.withFile(file);
    throw e;
  }
}
