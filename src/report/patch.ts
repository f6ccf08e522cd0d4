/**
 * `reorg --patch`: rewrite struct definitions in their C source with the proposed member order.
 * Each member's declaration moves with the comment lines directly above it (blank lines and
 * detached comments stay where they are). Refuses, with a reason, whenever the declarations
 * cannot be located unambiguously: preprocessor lines inside the struct, members sharing a line
 * that would be separated, declarations without DW_AT_decl_line. Pure apart from `read`; the files
 * come from load/named-files.ts, which keeps them inside SRC_DIR.
 */
import type { AggregateType } from '../model/types.js';
import { unifiedDiff } from './unified-diff.js';

export interface SourceFile {
  /** Path to read. */
  path: string;
  /** Path relative to SRC_DIR (for a/ b/ names). */
  rel: string;
}

export interface PatchRequest {
  agg: AggregateType;
  /** Model member indices in the new order. */
  order: number[];
  source: SourceFile;
}

const isBlank = (s: string): boolean => s.trim() === '';
const isComment = (s: string): boolean => /^\s*(\/\/|\/\*|\*)/.test(s) || /\*\/\s*$/.test(s.trim()) && !/;/.test(s);
/** Code of a line without comments and string/char literals (enough for brace and `;` counting). */
const code = (s: string): string => s.replace(/\/\*.*?\*\//g, '').replace(/\/\/.*$/, '').replace(/"(\\.|[^"])*"|'(\\.|[^'])*'/g, '""');
const count = (s: string, ch: string): number => s.split(ch).length - 1;
/** The kernel's randstruct markers (compiler_types.h): `__randomize_layout`, the attribute, and task_struct's field markers. */
const RANDOMIZED = /\b__randomize_layout\b|\brandomize_layout\b|\brandomized_struct_fields_start\b/;

interface Chunk {
  /** First and last line (0-based, inclusive) of comment + declaration. */
  from: number;
  to: number;
  members: number[];
}

/** Reorder one struct's member declarations in `lines`; returns the new lines or why not. */
export function reorderSource(lines: readonly string[], agg: AggregateType, order: readonly number[]): string[] | string {
  const name = `struct ${agg.name ?? '(anonymous)'}`;
  if (!agg.decl) return `${name}: no DW_AT_decl_line`;
  // the body: after the line with the opening brace, up to the line of the matching closing one
  let open = -1;
  for (let l = agg.decl.line - 1; l < Math.min(lines.length, agg.decl.line + 2); l++) {
    if (code(lines[l] ?? '').includes('{')) {
      open = l;
      break;
    }
  }
  if (open < 0) return `${name}: no '{' at ${agg.decl.file}:${agg.decl.line}`;
  if (count(code(lines[open]!), '{') !== 1 || code(lines[open]!).split('{')[1]!.trim() !== '') return `${name}: members on the line of the opening brace`;
  let depth = 1;
  let close = -1;
  for (let l = open + 1; l < lines.length && close < 0; l++) {
    const c = code(lines[l]!);
    depth += count(c, '{') - count(c, '}');
    if (depth === 0) close = l;
    if (/^\s*#/.test(lines[l]!)) return `${name}: preprocessor line inside the struct (${agg.decl.file}:${l + 1})`;
  }
  if (close < 0) return `${name}: no closing brace`;
  if (!/^\s*}/.test(lines[close]!)) return `${name}: members on the line of the closing brace`;
  if (lines.slice(agg.decl.line - 1, close + 1).some((l) => RANDOMIZED.test(code(l)))) {
    return `${name}: marked __randomize_layout: with CONFIG_RANDSTRUCT the randstruct plugin chooses its member order; not reorganized`;
  }

  const byLine = new Map<number, number[]>();
  for (let i = 0; i < agg.members.length; i++) {
    const m = agg.members[i]!;
    if (!m.decl) return `${name}: member ${m.name ?? `#${i}`} has no DW_AT_decl_line`;
    if (m.decl.file !== agg.decl.file) return `${name}: member ${m.name ?? `#${i}`} declared in another file (a macro?)`;
    const l = m.decl.line - 1;
    if (l <= open || l >= close) return `${name}: member ${m.name ?? `#${i}`} declared outside the struct body (a macro?)`;
    const list = byLine.get(l);
    if (list) list.push(i);
    else byLine.set(l, [i]);
  }
  const chunks: Chunk[] = [];
  for (const [line, members] of [...byLine].sort((a, b) => a[0] - b[0])) {
    let from = line;
    // a declaration ending an inline struct/union (`} name;`) starts at its opening brace
    let bal = count(code(lines[from]!), '}') - count(code(lines[from]!), '{');
    while (bal > 0 && from > open + 1) {
      from--;
      bal += count(code(lines[from]!), '}') - count(code(lines[from]!), '{');
    }
    // continuation lines of a declaration that starts higher up
    while (from > open + 1) {
      const p = lines[from - 1]!;
      if (isBlank(p) || isComment(p) || /[;{}]\s*$/.test(code(p).trimEnd()) || /^\s*#/.test(p)) break;
      from--;
    }
    // forward to the `;` at brace depth 0
    let to = line;
    let d = 0;
    for (; to < close; to++) {
      const c = code(lines[to]!);
      if (to >= line || to >= from) d += count(c, '{') - count(c, '}');
      if (to >= line && d <= 0 && c.includes(';')) break;
    }
    if (to >= close) return `${name}: cannot find the end of the declaration on line ${line + 1}`;
    while (from > open + 1 && isComment(lines[from - 1]!)) from--;
    chunks.push({ from, to, members });
  }
  for (let k = 1; k < chunks.length; k++) {
    if (chunks[k]!.from <= chunks[k - 1]!.to) return `${name}: declarations overlap near line ${chunks[k]!.from + 1} (several members per line?)`;
  }
  // every other body line must be blank or a comment: anything else is a declaration DWARF does not show
  const inChunk = new Set<number>();
  for (const c of chunks) for (let l = c.from; l <= c.to; l++) inChunk.add(l);
  for (let l = open + 1; l < close; l++) {
    if (!inChunk.has(l) && !isBlank(lines[l]!) && !isComment(lines[l]!)) return `${name}: unrecognised line ${l + 1} inside the struct`;
  }
  // the new chunk order; members sharing a chunk must stay together and in order
  const chunkOf = new Map<number, Chunk>();
  for (const c of chunks) for (const m of c.members) chunkOf.set(m, c);
  const newChunks: Chunk[] = [];
  for (let k = 0; k < order.length; ) {
    const c = chunkOf.get(order[k]!)!;
    for (let j = 0; j < c.members.length; j++) {
      if (order[k + j] !== c.members[j]) return `${name}: members declared together on line ${c.to + 1} would be separated`;
    }
    newChunks.push(c);
    k += c.members.length;
  }
  const out = [...lines];
  let slot = 0;
  for (let l = open + 1; l < close; ) {
    const c = chunks.find((x) => x.from === l);
    if (!c) {
      l++;
      continue;
    }
    const repl = newChunks[slot++]!;
    const text = lines.slice(repl.from, repl.to + 1);
    // chunks differ in length: rebuild the body from here on
    out.splice(l + (out.length - lines.length), c.to - c.from + 1, ...text);
    l = c.to + 1;
  }
  return out;
}

export interface PatchResult {
  diff: string;
  errors: string[];
}

/**
 * Apply every request to its file and diff each changed file (a/ b/ paths relative to SRC_DIR).
 * A struct that cannot be rewritten, or a file that cannot be read, is left out (with its error);
 * the others are still patched.
 */
export function buildPatch(requests: readonly PatchRequest[], read: (source: SourceFile) => string): PatchResult {
  const errors: string[] = [];
  const files = new Map<string, { source: SourceFile; requests: PatchRequest[] }>();
  for (const r of requests) {
    const f = files.get(r.source.path);
    if (f) f.requests.push(r);
    else files.set(r.source.path, { source: r.source, requests: [r] });
  }
  let diff = '';
  for (const { source, requests: reqs } of [...files.values()].sort((a, b) => a.source.rel.localeCompare(b.source.rel))) {
    let text: string;
    try {
      text = read(source);
    } catch (e) {
      // the reader's own message (too large, not a regular file): that file is left out
      errors.push(`${source.rel}: ${(e as Error).message}`);
      continue;
    }
    const original = text.split('\n');
    if (original[original.length - 1] === '') original.pop(); // the final newline ends the last line
    let lines = original;
    for (const r of reqs) {
      const next = reorderSource(lines, r.agg, r.order);
      if (typeof next === 'string') errors.push(`${source.rel}: ${next}`);
      else lines = next;
    }
    diff += unifiedDiff(original, lines, `a/${source.rel}`, `b/${source.rel}`);
  }
  return { diff, errors };
}
