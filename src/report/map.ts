/**
 * `show --format map`: a struct as a picture in the terminal, one row per cacheline, each member
 * a run of cells proportional to its bytes. Pure: it draws a ByteMap computed by
 * layout/bytemap.ts; it never computes a layout.
 *
 * Plain characters carry everything (so the map is testable and pipeable); colour only adds SGR
 * codes around the same characters:
 *   name----   a member (its name when it fits, else a key listed below the row)
 *   name::::   bit-fields sharing a storage unit (the bit-fields are listed below the row)
 *   name||||   a union's members (all at offset 0)
 *   ....       a hole            ~~~~ tail padding
 *   + a cell shared by several segments (narrow terminals)
 *   >  at the right border: the member continues past the cacheline boundary (and at the left
 *      border of the next row)
 */
import type { ByteMap, Segment, SegmentKind } from '../layout/bytemap.js';

export interface MapMember {
  name?: string | null;
  offset: number;
  size: number;
  bitOffset?: number;
  bitSize?: number;
}

export interface MapStruct {
  /** `struct virtnet_info` */
  title: string;
  map: ByteMap;
  /** The members the map's segments index. */
  members: readonly MapMember[];
}

export interface MapOptions {
  /** Terminal columns to fit in. */
  width: number;
  /** Wrap cells in ANSI colours (the characters stay the same). */
  color: boolean;
}

/** How many bytes a cell shows, or how many cells a byte gets. */
export interface MapScale {
  bytesPerCell: number;
  cellsPerByte: number;
}

const FILL: Record<SegmentKind, string> = { member: '-', bitfields: ':', union: '|', hole: '.', padding: '~' };
const MIXED = '+';
const KEYS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const RESET = '\x1b[0m';
const SGR = {
  member: ['\x1b[30;46m', '\x1b[97;44m'],
  bitfields: '\x1b[30;45m',
  union: '\x1b[30;42m',
  hole: '\x1b[97;41m',
  padding: '\x1b[30;43m',
  mixed: '\x1b[30;47m',
  straddle: '\x1b[1;31m',
  dim: '\x1b[2m',
};

/** Names come from the binary: no control characters may reach the terminal. */
export function printable(s: string): string {
  return s.replace(/[\x00-\x1f\x7f-\x9f]/g, '?');
}

const digits = (n: number) => String(n).length;

/** The scale that fits one cacheline per row in `width` columns (row label and two borders included). */
export function mapScale(cachelineSize: number, size: number, width: number): MapScale {
  const avail = Math.max(8, width - (digits(Math.max(0, size - 1)) + 1) - 2);
  if (avail >= cachelineSize) return { bytesPerCell: 1, cellsPerByte: Math.max(1, Math.min(4, Math.floor(avail / cachelineSize))) };
  let b = 2;
  while (Math.ceil(cachelineSize / b) > avail) b *= 2;
  return { bytesPerCell: b, cellsPerByte: 1 };
}

interface Cell {
  /** Index into map.segments, or -1 for a cell shared by several segments. */
  seg: number;
}

/** The cells of one row: bytes [rowStart, rowEnd). */
function rowCells(map: ByteMap, rowStart: number, rowEnd: number, scale: MapScale): Cell[] {
  const cells: Cell[] = [];
  const segs = map.segments;
  // segments tile the struct in order: binary-search the first one ending after `from`
  const owner = (from: number, to: number): number => {
    let lo = 0;
    let hi = segs.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (segs[mid]!.end <= from) lo = mid + 1;
      else hi = mid;
    }
    while (lo < segs.length && segs[lo]!.end === segs[lo]!.start) lo++; // zero-length members own no byte
    if (lo >= segs.length || segs[lo]!.start >= to) return -1;
    let next = lo + 1;
    while (next < segs.length && segs[next]!.end === segs[next]!.start) next++;
    return next < segs.length && segs[next]!.start < to ? -1 : lo;
  };
  if (scale.bytesPerCell === 1) {
    for (let b = rowStart; b < rowEnd; b++) {
      const o = owner(b, b + 1);
      for (let k = 0; k < scale.cellsPerByte; k++) cells.push({ seg: o });
    }
  } else {
    for (let b = rowStart; b < rowEnd; b += scale.bytesPerCell) cells.push({ seg: owner(b, Math.min(rowEnd, b + scale.bytesPerCell)) });
  }
  return cells;
}

/** A member's name as a label: printable, and never one of the hole, padding or shared-cell characters. */
function memberLabel(m: MapMember): string {
  return m.name ? printable(m.name).replace(/[.~+]/g, '?') : '(anonymous)';
}

function segmentLabel(s: Segment, members: readonly MapMember[]): string {
  if (s.kind === 'union') return s.members.map((i) => memberLabel(members[i]!)).join('|');
  if (s.kind === 'bitfields') return s.members.map((i) => memberLabel(members[i]!)).join(',');
  return memberLabel(members[s.members[0]!]!);
}

/** What the key list says about a segment: names, and the bits of bit-fields inside their unit. */
function segmentDetail(s: Segment, members: readonly MapMember[]): string {
  if (s.kind === 'bitfields') {
    const used = s.members.reduce((n, i) => n + (members[i]!.bitSize ?? 0), 0);
    const unitBits = (s.end - s.start) * 8;
    const fields = s.members.map((i) => {
      const m = members[i]!;
      return `${memberLabel(m)}:${m.bitSize} @bit ${(m.bitOffset ?? 0) - s.start * 8}`;
    });
    return `${fields.join(', ')} (in the ${s.end - s.start}-byte unit at ${s.start}${unitBits > used ? `, ${unitBits - used} bits unused` : ''})`;
  }
  if (s.kind === 'union') return `union of ${s.members.map((i) => memberLabel(members[i]!)).join(', ')}`;
  return segmentLabel(s, members);
}

const visible = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '').length;

/** A long key entry as several lines, cut after `, `. */
function breakLong(entry: string, width: number): string[] {
  if (visible(entry) <= width || width < 20) return [entry];
  const parts: string[] = [];
  let cur = '';
  for (const piece of entry.split(/(?<=, )/)) {
    if (cur && visible(cur) + visible(piece) > width - 2) {
      parts.push(cur.trimEnd());
      cur = '';
    }
    cur += piece;
  }
  if (cur) parts.push(cur);
  return parts;
}

/** Entries side by side, wrapped to the width; an entry too long for a line breaks after its commas. */
function wrap(entries: string[], indent: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const entry of entries) {
    const e = breakLong(entry, width - indent.length);
    if (e.length > 1) {
      if (line) lines.push(indent + line);
      line = '';
      lines.push(...e.map((part, k) => indent + (k ? '  ' : '') + part));
      continue;
    }
    if (line && indent.length + visible(line) + 2 + visible(e[0]!) > width) {
      lines.push(indent + line);
      line = '';
    }
    line = line ? `${line}  ${e[0]}` : e[0]!;
  }
  if (line) lines.push(indent + line);
  return lines;
}

/** One struct: a title, a ruler, then per cacheline its row and the key of the names that did not fit. */
export function renderMap(s: MapStruct, o: MapOptions): string {
  const { map } = s;
  const cl = map.cachelineSize;
  const scale = mapScale(cl, map.size, o.width);
  const labelWidth = digits(Math.max(0, map.size - 1));
  const indent = ' '.repeat(labelWidth + 2);
  const paint = (code: string, text: string) => (o.color ? code + text + RESET : text);
  const holes = map.segments.filter((x) => x.kind === 'hole');
  const padding = map.segments.filter((x) => x.kind === 'padding').reduce((n, x) => n + x.end - x.start, 0);
  const lines: string[] = [];
  const lineCount = Math.ceil(map.size / cl);
  const scaleText = scale.bytesPerCell > 1 ? `1 cell = ${scale.bytesPerCell} bytes` : scale.cellsPerByte > 1 ? `1 byte = ${scale.cellsPerByte} cells` : '1 cell = 1 byte';
  lines.push(
    `${printable(s.title)}: ${map.size} bytes, ${lineCount} cacheline${lineCount === 1 ? '' : 's'} of ${cl}, ` +
      `${holes.length} hole${holes.length === 1 ? '' : 's'} (${holes.reduce((n, x) => n + x.end - x.start, 0)} bytes), ${padding} bytes padding; ${scaleText}`,
  );
  // ruler: the offset inside the cacheline every 8 cells
  const rowCellCount = Math.ceil((Math.min(cl, Math.max(1, map.size)) * scale.cellsPerByte) / scale.bytesPerCell);
  let ruler = '';
  for (let c = 0; c < rowCellCount; c += 8) {
    const mark = String((c * scale.bytesPerCell) / scale.cellsPerByte);
    ruler += mark.padEnd(8).slice(0, Math.min(8, rowCellCount - c + 1));
  }
  lines.push(indent + paint(SGR.dim, ruler.trimEnd()));

  // members alternate between two colours, a member keeping its colour on every row it reaches
  const colourOf = new Map<number, string>();
  map.segments.forEach((x, i) => {
    if (x.kind === 'member') colourOf.set(i, SGR.member[colourOf.size % 2]!);
  });
  let repeat: { body: string; rows: number; from: number } | undefined;
  const flushRepeat = () => {
    if (!repeat?.rows) return;
    const bytes = `bytes ${repeat.from}..${repeat.from + repeat.rows * cl - 1}`;
    if (repeat.rows === 1) {
      const [row, ...keys] = repeat.body.split('\n');
      lines.push(`${String(repeat.from).padStart(labelWidth)} ${row}`, ...keys);
    } else lines.push(`${indent}... ${repeat.rows} more rows like the one above (${bytes})`);
    repeat.rows = 0;
  };
  for (let line = 0; line < lineCount; line++) {
    const rowStart = line * cl;
    const rowEnd = Math.min(map.size, rowStart + cl);
    const cells = rowCells(map, rowStart, rowEnd, scale);
    const keyed: string[] = [];
    const hidden = new Set<number>();
    let nextKey = 0;
    let text = '';
    const firstSeg = map.segments[cells[0]?.seg ?? -1];
    const lastSeg = map.segments[cells[cells.length - 1]?.seg ?? -1];
    const continuedIn = firstSeg !== undefined && firstSeg.start < rowStart && firstSeg.kind !== 'hole' && firstSeg.kind !== 'padding';
    const continuesOut = lastSeg !== undefined && lastSeg.end > rowEnd && lastSeg.kind !== 'hole' && lastSeg.kind !== 'padding';
    for (let c = 0; c < cells.length; ) {
      const seg = cells[c]!.seg;
      let n = 1;
      while (c + n < cells.length && cells[c + n]!.seg === seg) n++;
      c += n;
      if (seg < 0) {
        text += paint(SGR.mixed, MIXED.repeat(n));
        continue;
      }
      const sg = map.segments[seg]!;
      const fill = FILL[sg.kind];
      if (sg.kind === 'hole' || sg.kind === 'padding') {
        text += paint(SGR[sg.kind], fill.repeat(n));
        continue;
      }
      let label = segmentLabel(sg, s.members);
      if (label.length >= n || sg.kind === 'bitfields') {
        // bit-fields always get a key: the key list shows them inside their unit
        const key = nextKey < KEYS.length ? KEYS[nextKey++]! : '*';
        keyed.push(`${key}=${segmentDetail(sg, s.members)}`);
        label = key;
      }
      const code = sg.kind === 'member' ? colourOf.get(seg)! : SGR[sg.kind];
      text += paint(code, (label + fill.repeat(n)).slice(0, n));
    }
    // members whose bytes only appear in shared cells
    for (let seg = 0; seg < map.segments.length; seg++) {
      const sg = map.segments[seg]!;
      if (sg.members.length === 0 || sg.end <= rowStart || sg.start >= rowEnd || sg.end === sg.start) continue;
      if (!cells.some((x) => x.seg === seg)) hidden.add(seg);
    }
    const left = continuedIn ? paint(SGR.straddle, '>') : '|';
    const right = continuesOut ? paint(SGR.straddle, '>') : '|';
    const entries = [...keyed];
    if (hidden.size) entries.push(`${MIXED} ${[...hidden].map((i) => segmentLabel(map.segments[i]!, s.members)).join(', ')}`);
    // zero-length members (flexible arrays) have no cells: name them where they sit
    const empty = map.segments.filter((x) => x.start === x.end && x.members.length && x.start >= rowStart && (x.start < rowEnd || (x.start === map.size && line === lineCount - 1)));
    for (const x of empty) entries.push(`0 bytes at ${x.start}: ${segmentLabel(x, s.members)}`);
    const body = [`${left}${text}${right}`, ...wrap(entries, indent, o.width)];
    // a run of identical full rows (a large array, a big nested struct) is printed once, then counted
    if (rowEnd - rowStart === cl && repeat && body.join('\n') === repeat.body) {
      repeat.rows++;
      continue;
    }
    flushRepeat();
    lines.push(`${String(rowStart).padStart(labelWidth)} ${body[0]}`, ...body.slice(1));
    repeat = rowEnd - rowStart === cl ? { body: body.join('\n'), rows: 0, from: rowEnd } : undefined;
  }
  flushRepeat();
  if (map.size === 0) {
    const empty = map.segments.filter((x) => x.members.length);
    lines.push(...wrap([`no bytes${empty.length ? `; members: ${empty.map((x) => segmentLabel(x, s.members)).join(', ')}` : ''}`], indent, o.width));
  }
  return lines.join('\n') + '\n';
}

/** The legend printed once after the maps. */
export function renderMapLegend(o: MapOptions): string {
  const paint = (code: string, text: string) => (o.color ? code + text + RESET : text);
  return (
    wrap([
      `legend: ${paint(SGR.member[0]!, 'name----')} member (a key when the name does not fit)`,
      `${paint(SGR.bitfields, 'k:::')} bit-fields in their storage unit`,
      `${paint(SGR.union, 'a|b|')} union members`,
      `${paint(SGR.hole, '....')} hole`,
      `${paint(SGR.padding, '~~~~')} padding`,
      `${paint(SGR.mixed, MIXED)} cell shared by several`,
      `${paint(SGR.straddle, '>')} crosses the cacheline boundary`,
    ], '', o.width).join('\n') + '\n'
  );
}
