import { Reader } from '../util/reader.js';
import type { SectionBytes } from './sections.js';
import { DW_FORM } from './constants.js';
import type { StrKind } from './dies.js';

/** DW_LNCT content type codes (DWARF 5 line table header). */
const DW_LNCT_path = 1;
const DW_LNCT_directory_index = 2;

/**
 * The file names of a line-number program header, indexed the way DW_AT_decl_file counts:
 * DWARF 5 from 0, older versions from 1 (index 0 then holds undefined).
 * Directory parts are joined so the names are as specific as the header allows.
 */
export function readLineFileNames(line: SectionBytes, offset: number, littleEndian: boolean, readString: (kind: StrKind, v: number) => string | undefined): (string | undefined)[] {
  const r = new Reader(line.bytes, littleEndian, line.name, line.fileOffset);
  r.seek(offset);
  let length = r.u32();
  let offsetSize = 4;
  if (length === 0xffffffff) {
    length = r.u64();
    offsetSize = 8;
  }
  const version = r.u16();
  if (version < 2 || version > 5) return [];
  let addressSize = 0;
  if (version >= 5) {
    addressSize = r.u8();
    r.u8(); // segment selector size
  }
  const headerLength = r.uN(offsetSize);
  const programStart = r.pos + headerLength;
  r.u8(); // minimum_instruction_length
  if (version >= 4) r.u8(); // maximum_operations_per_instruction
  r.u8(); // default_is_stmt
  r.i8(); // line_base
  r.u8(); // line_range
  const opcodeBase = r.u8();
  r.skip(Math.max(0, opcodeBase - 1));
  const files: (string | undefined)[] = [];
  if (version < 5) {
    const dirs: string[] = [''];
    for (;;) {
      const d = r.cstring();
      if (d === '') break;
      dirs.push(d);
    }
    files.push(undefined);
    while (r.pos < programStart) {
      const f = r.cstring();
      if (f === '') break;
      const dir = r.uleb();
      r.uleb(); // mtime
      r.uleb(); // length
      files.push(joinPath(dirs[dir] ?? '', f));
    }
    return files;
  }
  const readEntries = (): { path?: string; dir?: number }[] => {
    const formatCount = r.u8();
    const format: [number, number][] = [];
    for (let k = 0; k < formatCount; k++) format.push([r.uleb(), r.uleb()]);
    const count = r.uleb();
    if (count > 1_000_000) r.fail(r.pos, `line table lists ${count} entries`, 'LIMIT');
    const out: { path?: string; dir?: number }[] = [];
    for (let e = 0; e < count; e++) {
      const entry: { path?: string; dir?: number } = {};
      for (const [content, form] of format) {
        const value = readValue(r, form, offsetSize, addressSize, (kind, v) => readString(kind, v));
        if (content === DW_LNCT_path && typeof value === 'string') entry.path = value;
        else if (content === DW_LNCT_directory_index && typeof value === 'number') entry.dir = value;
      }
      out.push(entry);
    }
    return out;
  };
  const dirs = readEntries().map((d) => d.path ?? '');
  for (const f of readEntries()) files.push(f.path === undefined ? undefined : joinPath(dirs[f.dir ?? 0] ?? '', f.path));
  return files;
}

function readValue(r: Reader, form: number, offsetSize: number, addressSize: number, readString: (kind: StrKind, v: number) => string | undefined): string | number | undefined {
  switch (form) {
    case DW_FORM.string:
      return r.cstring();
    case DW_FORM.line_strp:
      return readString(3 as StrKind, r.uN(offsetSize));
    case DW_FORM.strp:
      return readString(1 as StrKind, r.uN(offsetSize));
    case DW_FORM.strx:
      return readString(4 as StrKind, r.uleb());
    case DW_FORM.strx1:
      return readString(4 as StrKind, r.u8());
    case DW_FORM.strx2:
      return readString(4 as StrKind, r.u16());
    case DW_FORM.strx4:
      return readString(4 as StrKind, r.u32());
    case DW_FORM.udata:
      return r.uleb();
    case DW_FORM.data1:
      return r.u8();
    case DW_FORM.data2:
      return r.u16();
    case DW_FORM.data4:
      return r.u32();
    case DW_FORM.data8:
      return r.u64();
    case DW_FORM.data16:
      r.skip(16);
      return undefined;
    case DW_FORM.block:
      r.skip(r.uleb());
      return undefined;
    case DW_FORM.addr:
      r.skip(addressSize);
      return undefined;
    default:
      r.fail(r.pos, `unsupported form 0x${form.toString(16)} in line table header`, 'BAD_HEADER');
  }
}

function joinPath(dir: string, file: string): string {
  if (file.startsWith('/') || dir === '') return file;
  return `${dir}/${file}`;
}
