/** Attribute values of scanned DIEs as the model wants them: names, constants, declaration places. */
import { StructscopeError } from '../../util/errors.js';
import type { DeclLocation } from '../../model/types.js';
import { DW_FORM } from '../constants.js';
import { StrKind } from '../dies.js';
import { readLineFileNames } from '../line.js';
import type { ScannedUnit } from '../scanned.js';
import type { ConvertState } from './state.js';

export function dieName(cx: ConvertState, u: ScannedUnit, i: number): string | undefined {
  const kind = u.dies.nameKind[i] as StrKind;
  if (kind === StrKind.None) return undefined;
  const name = u.src.strings.get(kind, u.dies.name[i]!, u.section.bytes, u.root.strOffsetsBase ?? 8, u.header.offsetSize);
  if (name === undefined) badName(cx, u, i);
  return name;
}

/** A DW_AT_name whose string is out of bounds or unterminated: the type is kept, unnamed, and said so (-v). */
function badName(cx: ConvertState, u: ScannedUnit, i: number): void {
  const at = u.section.fileOffset + u.dies.offset[i]!;
  if (cx.badNames.has(at)) return;
  cx.badNames.add(at);
  const kind = u.dies.nameKind[i] as StrKind;
  const where = `${kind === StrKind.Strp ? '.debug_str offset' : kind === StrKind.LineStrp ? '.debug_line_str offset' : kind === StrKind.Strx ? 'string index' : 'string at'} 0x${u.dies.name[i]!.toString(16)}`;
  cx.diag(new StructscopeError('BAD_REF', `DW_AT_name ${where} is out of bounds or unterminated; the DIE is taken as unnamed`, { section: u.section.name, fileOffset: at }));
}

/** DIE i's name is one of `names` (UTF-8), compared in the string section. */
export function nameIsOneOf(cx: ConvertState, u: ScannedUnit, i: number, names: readonly Uint8Array[]): boolean {
  const kind = u.dies.nameKind[i] as StrKind;
  if (kind === StrKind.None) return false;
  const loc = u.src.strings.locate(kind, u.dies.name[i]!, u.section.bytes, u.root.strOffsetsBase ?? 8, u.header.offsetSize);
  if (!loc) return false;
  const { bytes, offset } = loc;
  outer: for (const n of names) {
    if (offset + n.length >= bytes.length || bytes[offset + n.length] !== 0) continue;
    for (let k = 0; k < n.length; k++) if (bytes[offset + k] !== n[k]) continue outer;
    return true;
  }
  return false;
}

export function constValue(cx: ConvertState, u: ScannedUnit, i: number): bigint {
  const { dies } = u;
  const v = dies.constValue[i]!;
  if (Number.isNaN(v)) return 0n;
  const form = dies.constForm[i]!;
  const pos = dies.constPos[i]!;
  const b = u.section.bytes;
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  switch (form) {
    case DW_FORM.data8:
      return view.getBigUint64(pos, cx.le);
    case DW_FORM.sdata:
    case DW_FORM.udata:
      return readLebBig(b, pos, form === DW_FORM.sdata);
    default:
      return BigInt(v);
  }
}

export function declOf(cx: ConvertState, u: ScannedUnit, i: number): DeclLocation | undefined {
  const { dies } = u;
  const file = finite(dies.declFile[i]!);
  const line = finite(dies.declLine[i]!);
  if (file === undefined || line === undefined) return undefined;
  if (!u.fileNames) {
    u.fileNames = [];
    const stmt = u.root.stmtList;
    if (stmt !== undefined && u.src.sec.line) {
      try {
        u.src.sec.fillLine?.(stmt);
        u.fileNames = readLineFileNames(u.src.sec.line, stmt, cx.le, (kind, v) =>
          u.src.strings.get(kind, v, u.section.bytes, u.root.strOffsetsBase ?? 8, u.header.offsetSize),
        );
      } catch (e) {
        if (!(e instanceof StructscopeError)) throw e;
        cx.diag(e);
      }
    }
  }
  const name = u.fileNames[file];
  if (name === undefined) return undefined;
  return file === 0 ? { file: name, line, fileIndex: 0 } : { file: name, line };
}

/** DW_LANG_C89, C, C99, C11, C17 (DW_AT_language of the unit DIE). */
export function isCLanguage(language: number | undefined): boolean {
  return language === 0x01 || language === 0x02 || language === 0x0c || language === 0x1d || language === 0x2c;
}

export function finite(v: number): number | undefined {
  return Number.isNaN(v) ? undefined : v;
}


function readLebBig(b: Uint8Array, p: number, signed: boolean): bigint {
  let result = 0n;
  let shift = 0n;
  let byte: number;
  do {
    byte = b[p++] ?? 0;
    result |= BigInt(byte & 0x7f) << shift;
    shift += 7n;
  } while (byte & 0x80 && shift < 70n);
  if (signed && byte & 0x40) result -= 1n << shift;
  return result;
}
