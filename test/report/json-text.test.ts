/**
 * The JSON holds every member the text shows: for each type of real fixtures, the member lines of
 * `show` (text, pahole 1.31) and the members of `show --format json`, nested anonymous members
 * included, agree one for one (offset, bit position, size), in the text's order. In the text the
 * members of an inline struct/union come before the line of the member they belong to (its `}`).
 */
import { describe, expect, it } from 'vitest';
import { run, schemaValidator } from '../helpers/cli.js';
import { fixturePath } from '../helpers/fixtures.js';

interface Member {
  name: string | null;
  offset: number;
  size: number;
  cacheline?: number;
  bitOffset?: number;
  bitSize?: number;
  members?: Member[];
  pointeeMembers?: Member[];
}

const validate = schemaValidator('show');

/** `offset[:bit] size` of every member line of one block (the `/* N N *\/` comments at line ends). */
function textMembers(block: string): string[] {
  const out: string[] = [];
  for (const line of block.split('\n')) {
    const m = /\/\*\s+(\d+)(?::\s*(\d+))?\s+(\d+) \*\/$/.exec(line);
    if (m) out.push(m[2] === undefined ? `${m[1]} ${m[3]}` : `${m[1]}:${m[2]} ${m[3]}`);
  }
  return out;
}

/** The same from JSON, nested members before their member (post-order), bit position from bitOffset. */
function jsonMembers(members: readonly Member[], cacheline: number, out: string[] = []): string[] {
  for (const m of members) {
    if (m.members) jsonMembers(m.members, cacheline, out);
    if (m.pointeeMembers) jsonMembers(m.pointeeMembers, cacheline, out);
    if (m.bitSize !== undefined) out.push(`${m.offset}:${m.bitOffset! - m.offset * 8} ${m.size}`);
    else out.push(`${m.offset} ${m.size}`);
    if (m.cacheline !== undefined) expect(m.cacheline).toBe(Math.floor(m.offset / cacheline));
  }
  return out;
}

function blocks(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const b of text.split(/^(?=(?:struct|union|class) \S+ (?::[^{]*)?\{$)/m)) {
    const head = b.slice(0, b.indexOf('\n'));
    if (!out.has(head)) out.set(head, b);
  }
  return out;
}

function countAll(members: readonly Member[]): number {
  return members.reduce((n, m) => n + 1 + countAll(m.members ?? []) + countAll(m.pointeeMembers ?? []), 0);
}

describe('JSON members agree with the text, member for member', () => {
  const cases: [string, string[]][] = [
    ['layout-plain.o', []],
    ['layout-plain.o', ['-E']],
    ['layout-i386.o', []],
    ['layout-ppc64.o', []],
    ['unnamed-tail.o', []],
    ['virtio_net.ko', []],
  ];
  for (const [base, extra] of cases) {
    it(`${base} ${extra.join(' ')}`, () => {
      const f = fixturePath(base);
      const text = run(f, ...extra, '--no-cache');
      const json = run(f, ...extra, '--format', 'json', '--no-cache');
      expect(text.code).toBe(0);
      const doc = JSON.parse(json.stdout);
      expect(validate(doc), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
      const file = doc.files[0];
      const byHead = blocks(text.stdout);
      let nested = 0;
      for (const t of file.types as { kind: string; name: string; members: Member[] }[]) {
        const head = [...byHead.keys()].find((h) => h.startsWith(`${t.kind} ${t.name} `));
        expect(head, `${t.kind} ${t.name}`).toBeDefined();
        expect(jsonMembers(t.members, file.cachelineSize), `${t.kind} ${t.name}`).toEqual(textMembers(byHead.get(head!)!));
        nested += countAll(t.members) - t.members.length;
      }
      // the fixtures do have nested anonymous members
      if (base !== 'unnamed-tail.o') expect(nested).toBeGreaterThan(0);
    });
  }
});
