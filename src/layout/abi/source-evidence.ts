/**
 * What the C source of a struct/union says about the attributes its DWARF cannot show
 * (hidden.ts): whether it declares unnamed bit-fields, which members carry attributes, whether
 * the aggregate itself does. `show --target T --source-dir DIR` reads the definitions there; a
 * type whose definition is found and read cleanly needs no flag for an attribute it does not
 * have. Anything the scanner does not follow (macros in the body, `#pragma pack` in the file,
 * members it cannot match to DWARF's, C++) gives no evidence: the type is treated as without
 * source. Pure: text in, facts out.
 */
import type { AggregateType } from '../../model/types.js';

export interface AggregateEvidence {
  /** The body declares unnamed bit-fields (`int :3;`, `long :0;`). */
  unnamedBitfields: boolean;
  /** Member i's declaration may carry an alignment attribute (aligned, _Alignas, an unknown attribute …). */
  memberAligned: ReadonlySet<number>;
  /** Member i's declaration may carry packed (packed, __packed, an unknown attribute …). */
  memberPacked: ReadonlySet<number>;
  /** The aggregate's own declaration (before `{` or after `}`) may carry packed. */
  ownPacked: boolean;
}

const ALIGNED = /\b(aligned|__aligned\w*|_Alignas|alignas|\w*cacheline_aligned\w*)\b/;
const PACKED = /\b(packed|__packed)\b/;

/** What an attribute-bearing text may say: aligned, packed, or (an attribute named otherwise) either. */
function kinds(text: string): { aligned: boolean; packed: boolean } {
  if (!ATTRIBUTE.test(text)) return { aligned: false, packed: false };
  const aligned = ALIGNED.test(text);
  const packed = PACKED.test(text);
  const other = /\b(__attribute__|__attribute)\s*\(\(\s*(?!(?:__)?(?:packed|aligned)(?:__)?\b)/.test(text);
  return { aligned: aligned || other || (!aligned && !packed), packed: packed || other || (!aligned && !packed) };
}

/** Words that may spell an attribute, directly or through a kernel-style macro. */
const ATTRIBUTE = /\b(__attribute__|__attribute|_Alignas|alignas|__packed|__aligned\w*|packed|aligned|\w*cacheline_aligned\w*|__randomize_layout)\b/;
/** Calls allowed in a body: attribute syntax, type operators and keywords before a parenthesis. */
const CALLABLE = new Set([
  '__attribute__', '__attribute', '_Alignas', 'alignas', 'sizeof', '_Alignof', '__alignof__', 'typeof', '__typeof__',
  'void', 'char', 'short', 'int', 'long', 'float', 'double', 'signed', 'unsigned', '_Bool', 'const', 'volatile',
]);

/** Comments and literals blanked (newlines kept, so that line numbers hold). */
function stripComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*|"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'/g, (m) => m.replace(/[^\n]/g, ' '));
}

/** Is a `#pragma pack(N)` (or push with N) in effect at `pos` (not reset by `pack()` or popped)? */
function packPragmaActive(src: string, pos: number): boolean {
  const stack: boolean[] = [];
  let active = false;
  for (const m of src.slice(0, pos).matchAll(/#\s*pragma\s+pack\s*\(([^)]*)\)/g)) {
    const args = m[1]!.split(',').map((a) => a.trim()).filter(Boolean);
    if (args[0] === 'push') {
      stack.push(active);
      if (args.length > 1) active = true;
    } else if (args[0] === 'pop') active = stack.pop() ?? false;
    else active = args.length > 0;
  }
  return active;
}

/** Index of the bracket closing the one at `open`, or -1. */
function matching(s: string, open: number): number {
  const o = s[open]!;
  const c = o === '{' ? '}' : o === '(' ? ')' : ']';
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    if (s[i] === o) depth++;
    else if (s[i] === c && --depth === 0) return i;
  }
  return -1;
}

/** Split at `sep` outside (), [] and {} (nested bodies stay whole). */
function splitTop(s: string, sep: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (ch === '(' || ch === '[' || ch === '{') depth++;
    else if (ch === ')' || ch === ']' || ch === '}') depth--;
    else if (ch === sep && depth === 0) {
      out.push(s.slice(from, i));
      from = i + 1;
    }
  }
  out.push(s.slice(from));
  return out;
}

/** `s` with every (...) and {...} group blanked: what is left are the tokens at depth 0. */
function topLevel(s: string): string {
  let out = '';
  let depth = 0;
  for (const ch of s) {
    if (ch === '(' || ch === '{' || ch === '[') depth++;
    if (depth === 0) out += ch;
    else out += ch === '\n' ? '\n' : ' ';
    if (ch === ')' || ch === '}' || ch === ']') depth--;
  }
  return out;
}

const SPECIFIER = /\b(__attribute__|__attribute|_Alignas|alignas)\s*\(/;

/** `s` without its attribute and alignment specifiers (undefined if one is unbalanced). */
function withoutAttributes(s: string): string | undefined {
  let out = s;
  for (let at = out.search(SPECIFIER); at >= 0; at = out.search(SPECIFIER)) {
    const close = matching(out, out.indexOf('(', at));
    if (close < 0) return undefined;
    out = out.slice(0, at) + ' ' + out.slice(close + 1);
  }
  return out;
}

/** The identifiers of a declarator, outside attribute and alignment specifiers. */
function identifiers(s: string): string[] {
  return withoutAttributes(s)?.match(/[A-Za-z_]\w*/g) ?? [];
}

/** A body made of what the scanner follows: no macro calls (an identifier before `(`, other than attribute syntax). */
function plainBody(text: string): boolean {
  const body = withoutAttributes(text);
  if (body === undefined) return false;
  for (const m of body.matchAll(/([A-Za-z_]\w*)\s*\(/g)) if (!CALLABLE.has(m[1]!)) return false;
  return !/#/.test(body);
}

/**
 * Evidence for aggregate `agg` defined in `text` (its whole source file) at `agg.decl.line`, or
 * undefined when the definition cannot be read with confidence.
 */
export function aggregateEvidence(text: string, agg: AggregateType): AggregateEvidence | undefined {
  if (!agg.decl) return undefined;
  if (agg.members.some((m) => m.isStatic || m.isBase)) return undefined;
  const src = stripComments(text);
  // the start of the declaration's line, then back to the previous statement's end
  let pos = 0;
  for (let line = 1; line < agg.decl.line; line++) {
    pos = src.indexOf('\n', pos) + 1;
    if (pos === 0) return undefined;
  }
  let start = pos;
  while (start > 0 && !';{}'.includes(src[start - 1]!)) start--;
  if (packPragmaActive(src, pos)) return undefined;
  const open = src.indexOf('{', pos);
  if (open < 0) return undefined;
  const header = src.slice(start, open);
  if (!new RegExp(`\\b${agg.kind}\\b`).test(header) || (agg.name !== undefined && !new RegExp(`\\b${agg.name}\\b`).test(header))) return undefined;
  const close = matching(src, open);
  if (close < 0) return undefined;
  const semi = src.indexOf(';', close);
  const trailer = src.slice(close + 1, semi < 0 ? undefined : semi);
  const body = src.slice(open + 1, close);
  if (!plainBody(body)) return undefined;

  const members = agg.members;
  const memberAligned = new Set<number>();
  const memberPacked = new Set<number>();
  const mark = (index: number, text: string): void => {
    const k = kinds(text);
    if (k.aligned) memberAligned.add(index);
    if (k.packed) memberPacked.add(index);
  };
  let unnamedBitfields = false;
  let next = 0;
  for (const declaration of splitTop(body, ';')) {
    if (!declaration.trim()) continue;
    const brace = declaration.indexOf('{');
    let declarators: string[];
    let shared: string;
    if (brace >= 0) {
      // a nested aggregate: its body is its own type's business; the declarators follow `}`
      const end = matching(declaration, brace);
      if (end < 0) return undefined;
      shared = declaration.slice(0, brace) + ' ' + declaration.slice(end + 1);
      const after = declaration.slice(end + 1);
      declarators = after.trim() && identifiers(after).some((w) => !ATTRIBUTE.test(w)) ? splitTop(after, ',') : [];
      if (!declarators.length) {
        const m = members[next];
        if (!m || m.name !== undefined) return undefined;
        mark(next, shared);
        next++;
        continue;
      }
    } else {
      shared = declaration;
      declarators = splitTop(declaration, ',');
    }
    for (const d of declarators) {
      const m = members[next];
      const colon = topLevel(d).indexOf(':');
      const names = identifiers(colon >= 0 ? d.slice(0, colon) : d);
      if (colon >= 0 && !(m && m.bitSize !== undefined && m.name !== undefined && names.includes(m.name))) {
        unnamedBitfields = true; // a bit-field declarator that is not the next DWARF member
        continue;
      }
      if (!m || m.name === undefined || !names.includes(m.name)) return undefined;
      mark(next, shared);
      mark(next, d);
      next++;
    }
  }
  if (next !== members.length) return undefined;
  return { unnamedBitfields, memberAligned, memberPacked, ownPacked: kinds(header).packed || kinds(trailer).packed };
}
