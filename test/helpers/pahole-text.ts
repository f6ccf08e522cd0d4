/**
 * Facts read back from pahole's own text (the outside reference for the pictures): per top-level
 * struct block, its members (offset, size, bit-field position and width, the cacheline pahole's
 * boundary markers put them in), its byte holes (`XXX N bytes hole`) and its tail padding.
 */
export interface PaholeMember {
  name: string | null;
  offset: number;
  size: number;
  /** Bit-fields: position inside the storage unit and width. */
  bitPos?: number;
  bitWidth?: number;
  /** The cacheline of the last `--- cacheline N boundary` marker before the member (0 before any). */
  cacheline: number;
}

export interface PaholeBlock {
  kind: string;
  name: string;
  size: number;
  members: PaholeMember[];
  /** Byte holes in order, each after the member listed before it. */
  holes: { size: number; afterMember: number }[];
  padding: number;
}

const MEMBER = /\/\*\s+(\d+)(?::\s*(\d+))?\s+(\d+)\s+\*\/\s*$/;

/** Every top-level struct/union block of `pahole FILE` output. */
export function paholeBlocks(text: string): PaholeBlock[] {
  const blocks: PaholeBlock[] = [];
  let cur: PaholeBlock | undefined;
  let cacheline = 0;
  for (const line of text.split('\n')) {
    const head = /^(struct|union|class) (\S+) \{$/.exec(line);
    if (head) {
      cur = { kind: head[1]!, name: head[2]!, size: 0, members: [], holes: [], padding: 0 };
      cacheline = 0;
      continue;
    }
    if (!cur) continue;
    if (line.startsWith('}')) {
      blocks.push(cur);
      cur = undefined;
      continue;
    }
    if (!/^\t[^\t]/.test(line)) continue; // nested members of inline anonymous types
    const marker = /--- cacheline (\d+) boundary/.exec(line);
    if (marker) {
      cacheline = Number(marker[1]);
      continue;
    }
    const size = /\/\* size: (\d+),/.exec(line);
    if (size) cur.size = Number(size[1]);
    const pad = /\/\* padding: (\d+) \*\//.exec(line);
    if (pad) cur.padding = Number(pad[1]);
    const hole = /\/\* XXX (\d+) bytes? hole/.exec(line);
    if (hole) cur.holes.push({ size: Number(hole[1]), afterMember: cur.members.length - 1 });
    const m = MEMBER.exec(line);
    if (m && !line.includes('/* size:')) {
      const decl = line.slice(0, m.index).trim().replace(/\s*__attribute__\(\(.*\)\)/, '');
      const width = /:(\d+);$/.exec(decl);
      const fnPtr = /\(\*\s*([A-Za-z_$][\w$]*)\)(?:\[[^\]]*\])*\s*\(/.exec(decl);
      const name = /^}\s*;$/.test(decl) ? null : fnPtr ? fnPtr[1]! : (/([A-Za-z_$][\w$]*)(?:\[[^\]]*\])*(?::\d+)?;$/.exec(decl)?.[1] ?? null);
      const member: PaholeMember = { name, offset: Number(m[1]), size: Number(m[3]), cacheline };
      if (m[2] !== undefined) {
        member.bitPos = Number(m[2]);
        member.bitWidth = width ? Number(width[1]) : 0;
      }
      cur.members.push(member);
    }
  }
  return blocks;
}
