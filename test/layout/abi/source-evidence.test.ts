/**
 * source-evidence.ts reads a struct's C definition for the attributes DWARF cannot show. The
 * members are what gcc's DWARF lists (named members, anonymous aggregates; no unnamed
 * bit-fields); the end-to-end check against real cross builds is test/cli/predict-random.test.ts.
 */
import { describe, expect, it } from 'vitest';
import type { AggregateType, Member } from '../../../src/model/types.js';
import { aggregateEvidence } from '../../../src/layout/abi/source-evidence.js';

function agg(kind: 'struct' | 'union', name: string | undefined, line: number, members: [string | undefined, number?][]): AggregateType {
  const ms: Member[] = members.map(([n, bits]) => ({ name: n, type: 1, bitOffset: 0, byteSize: 4, ...(bits !== undefined ? { bitSize: bits } : {}) }));
  return { kind, name, size: 8, declaration: false, members: ms, decl: { file: 'a.c', line }, origin: { die: -1 } };
}

const SRC = `/* a comment: int :3; */
struct plain {
	int a;
	char *p; // packed in a comment
	unsigned f:3;
};
struct __attribute__((packed)) gaps {
	short s;
	long :48;
	char *p __attribute__((aligned(4)));
	int b, c;
	struct {
		int x;
	} __attribute__((aligned(8)));
};
#pragma pack(push, 2)
struct under_pack { int a; };
#pragma pack(pop)
struct macro { DECLARE_BITMAP(bits, 4); };
struct fnptr { void (*cb)(struct fnptr *self, long arg); int (*arr)[5]; };
`;

describe('aggregateEvidence', () => {
  it('a definition without attributes or unnamed bit-fields rules them all out', () => {
    expect(aggregateEvidence(SRC, agg('struct', 'plain', 2, [['a'], ['p'], ['f', 3]]))).toEqual({
      unnamedBitfields: false,
      memberAligned: new Set(),
      memberPacked: new Set(),
      ownPacked: false,
    });
    expect(aggregateEvidence(SRC, agg('struct', 'fnptr', 20, [['cb'], ['arr']]))?.unnamedBitfields).toBe(false);
  });

  it('names the unnamed bit-fields, the attributed members and packed on the struct', () => {
    const e = aggregateEvidence(SRC, agg('struct', 'gaps', 7, [['s'], ['p'], ['b'], ['c'], [undefined]]))!;
    expect(e.unnamedBitfields).toBe(true);
    expect([...e.memberAligned]).toEqual([1, 4]);
    expect([...e.memberPacked]).toEqual([]);
    expect(e.ownPacked).toBe(true);
  });

  it('gives no evidence where it cannot follow the text', () => {
    expect(aggregateEvidence(SRC, agg('struct', 'under_pack', 17, [['a']]))).toBeUndefined(); // #pragma pack
    expect(aggregateEvidence(SRC, agg('struct', 'macro', 19, [['bits']]))).toBeUndefined(); // a macro call
    expect(aggregateEvidence(SRC, agg('struct', 'plain', 2, [['a'], ['q'], ['f', 3]]))).toBeUndefined(); // not DWARF's members
    expect(aggregateEvidence(SRC, agg('struct', 'plain', 7, [['a'], ['p'], ['f', 3]]))).toBeUndefined(); // another struct at that line
  });
});
