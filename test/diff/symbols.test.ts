/** The --symbols and --suppress file formats (diff/symbols.ts) and the symbol comparison. */
import { describe, expect, it } from 'vitest';
import { diffSymbols, parseSuppressions, parseSymbolList } from '../../src/diff/symbols.js';

describe('parseSymbolList', () => {
  it('one name a line; comments, blank lines and [section] headers of Android lists ignored', () => {
    expect(parseSymbolList('[abi_symbol_list]\n  netif_rx  # rx\n\n# all\nkfree_skb\r\n')).toEqual(['netif_rx', 'kfree_skb']);
  });
});

describe('parseSuppressions', () => {
  it('type, member and symbol rules; a bare type name means every kind', () => {
    const s = parseSuppressions('type struct foo\ntype bar # any kind\nmember struct foo::x\nmember baz::y\nsymbol f\n');
    expect([...s.types]).toEqual(['struct foo', 'struct bar', 'union bar', 'class bar', 'enum bar']);
    expect([...s.members]).toEqual(['struct foo::x', 'struct baz::y', 'union baz::y', 'class baz::y', 'enum baz::y']);
    expect([...s.symbols]).toEqual(['f']);
  });
  it('names the line of a rule it does not know', () => {
    expect(() => parseSuppressions('type a\nfield struct a::b\n')).toThrow(/^line 2: 'field struct a::b'/);
    expect(() => parseSuppressions('member struct a\n')).toThrow(/^line 1: 'member struct a' is not/);
  });
});

describe('diffSymbols', () => {
  it('keys by name and version; signature, kind, GPL-ness and namespace changes', () => {
    const d = diffSymbols(
      [
        { name: 'a', kind: 'function', gplOnly: false, signature: 'int a(int)' },
        { name: 'v', version: 'V1', kind: 'function', gplOnly: false },
        { name: 'g', kind: 'object', gplOnly: false, namespace: 'NS' },
      ],
      [
        { name: 'a', kind: 'function', gplOnly: false, signature: 'long a(int)' },
        { name: 'v', version: 'V2', kind: 'function', gplOnly: false },
        { name: 'g', kind: 'object', gplOnly: true },
      ],
    );
    expect(d.map((x) => `${x.change} ${x.symbol} ${x.changes.join(',')}`)).toEqual(['changed a signature', 'removed v@V1 ', 'changed g gpl,namespace', 'added v@V2 ']);
  });
});
