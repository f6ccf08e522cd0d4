/** Every failure the library reports is a StructscopeError: a code, and where it happened. */
export type ErrorCode =
  | 'EOF' // a read ran past the end of its section or file
  | 'BAD_MAGIC' // not an ELF file
  | 'BAD_HEADER' // a header field is impossible
  | 'BAD_FORM' // unknown DW_FORM, whose size cannot be known
  | 'BAD_ABBREV' // missing or malformed abbreviation
  | 'BAD_REF' // a reference points outside its unit/section
  | 'BAD_COMPRESSION' // compressed section could not be inflated
  | 'UNSUPPORTED' // a valid construct structscope does not handle
  | 'LIMIT' // a count, size or depth beyond sane limits (hostile input)
  | 'NO_DEBUG_INFO' // the file has no DWARF we can read
  | 'IO'; // the file could not be opened or read

export interface ErrorLocation {
  /** Path of the file the bytes came from. */
  file?: string;
  /** Section name, e.g. ".debug_info". */
  section?: string;
  /** Offset in the file (absolute), when known. */
  fileOffset?: number;
}

export class StructscopeError extends Error {
  override readonly name = 'StructscopeError';
  readonly code: ErrorCode;
  file: string | undefined;
  readonly section: string | undefined;
  readonly fileOffset: number | undefined;
  readonly detail: string;

  constructor(code: ErrorCode, detail: string, where: ErrorLocation = {}) {
    super(formatMessage(detail, where));
    this.code = code;
    this.detail = detail;
    this.file = where.file;
    this.section = where.section;
    this.fileOffset = where.fileOffset;
  }

  /** The same error, now naming the file (library layers below `load` do not know paths). */
  withFile(file: string): StructscopeError {
    if (this.file) return this;
    return new StructscopeError(this.code, this.detail, {
      file,
      section: this.section,
      fileOffset: this.fileOffset,
    });
  }
}

function formatMessage(detail: string, where: ErrorLocation): string {
  const parts: string[] = [];
  if (where.file) parts.push(where.file);
  if (where.section) parts.push(where.section);
  if (where.fileOffset !== undefined) parts.push(`offset 0x${where.fileOffset.toString(16)}`);
  return parts.length ? `${parts.join(': ')}: ${detail}` : detail;
}

export function isStructscopeError(e: unknown): e is StructscopeError {
  return e instanceof StructscopeError;
}
