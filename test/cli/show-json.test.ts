/**
 * show --format json (schema version 2) on real fixtures: nested members reachable, 1.31 counters
 * equal to the text's summary lines, -P filtering every format, and diff reading reports of
 * versions 1 and 2 (and naming the versions it reads otherwise).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run, schemaValidator } from '../helpers/cli.js';
import { fixturePath } from '../helpers/fixtures.js';

const KO = fixturePath('virtio_net.ko');
const validate = schemaValidator('show');

interface Member {
  name: string | null;
  offset: number;
  members?: Member[];
  [k: string]: unknown;
}

function showJson(...args: string[]) {
  const r = run(...args, '--format', 'json');
  expect(r.code, r.stderr).toBe(0);
  const doc = JSON.parse(r.stdout);
  expect(validate(doc), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
  return doc;
}

/** Member names reachable through nested anonymous members, with their offsets. */
function reachable(members: readonly Member[], out = new Map<string, number>()): Map<string, number> {
  for (const m of members) {
    if (m.name !== null) out.set(m.name, m.offset);
    if (m.members) reachable(m.members, out);
  }
  return out;
}

describe('show --format json, schema version 2', () => {
  it('says where the types came from: DWARF, or BTF (a .BTF section, read with -F btf)', () => {
    expect(showJson(KO, '-C', 'virtnet_info').files[0].source).toBe('dwarf');
    const btf = showJson(fixturePath('btf/layout-plain-131.o'), '-F', 'btf', '--structs');
    expect(btf.files[0].source).toBe('btf');
    expect(btf.files[0].types.length).toBeGreaterThan(0);
  });

  it('sk_buff: members of nested anonymous unions and structs are reachable, at the offsets the text prints', () => {
    const doc = showJson(KO, '-C', 'sk_buff');
    expect(doc.schemaVersion).toBe(2);
    const t = doc.files[0].types[0];
    const names = reachable(t.members);
    const text = run(KO, '-C', 'sk_buff').stdout;
    for (const name of ['dev', 'tstamp', 'protocol', 'next', 'len']) {
      const m = new RegExp(`[\\s*]${name};\\s+/\\*\\s+(\\d+)\\s+\\d+ \\*/$`, 'm').exec(text);
      expect(m, name).not.toBeNull();
      expect(names.get(name), name).toBe(Number(m![1]));
    }
  });

  it("the pahole 1.31 counters equal the text's summary lines", () => {
    const doc = showJson(KO);
    const text = run(KO).stdout;
    let checked = 0;
    for (const t of doc.files[0].types) {
      const s = t.summary;
      if (t.kind === 'union' || s.memberTypesWithHoles === 0) continue;
      const start = text.indexOf(`${t.kind} ${t.name} {\n`);
      const block = text.slice(start, text.indexOf('\n}', start));
      expect(block, t.name).toContain(`/* member types with holes: ${s.memberTypesWithHoles}, total: ${s.memberTypesTotalHoles}`);
      if (s.flexibleArrayMembersEnd) expect(block).toMatch(new RegExp(`/\\* flexible array members: end: ${s.flexibleArrayMembersEnd}`));
      checked++;
    }
    expect(checked).toBeGreaterThan(20);
  });

  it('-P/--packable filters json and table like text', () => {
    const names = run(KO, '-P').stdout.trim().split('\n').map((l) => l.split('\t')[0]);
    expect(names.length).toBeGreaterThan(10);
    const doc = showJson(KO, '-P');
    expect(doc.files[0].types.map((t: { name: string }) => t.name)).toEqual(names);
    for (const t of doc.files[0].types) expect(t.packable.savings).toBe(t.size - t.packable.newSize);
    const table = run(KO, '-P', '--format', 'table').stdout;
    expect(table.match(/│ struct /g)?.length ?? table.match(/\| struct /g)?.length).toBe(names.length);
  });

  it('diff reads saved reports of versions 1 and 2, and names the versions it reads otherwise', () => {
    const dir = mkdtempSync(join(tmpdir(), 'structscope-json-'));
    const doc = showJson(KO, '-C', 'virtnet_info,send_queue');
    const v2 = join(dir, 'v2.json');
    writeFileSync(v2, JSON.stringify(doc));
    // a version 1 report: no nested members, cachelines, statics, counters, pahole, source
    const strip = (ms: Member[]): Member[] => ms.map(({ members: _m, cacheline: _c, typeFacts: _t, pointeeMembers: _p, ...rest }) => rest as Member);
    const old = { ...doc, schemaVersion: 1, files: doc.files.map((f: { types: { members: Member[] }[]; pahole?: string }) => ({ ...f, pahole: undefined, source: undefined, types: f.types.map((t) => ({ ...t, members: strip(t.members) })) })) };
    const v1 = join(dir, 'v1.json');
    writeFileSync(v1, JSON.stringify(old));
    for (const p of [v1, v2]) {
      const r = run('diff', p, KO, '-C', 'virtnet_info,send_queue');
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/2 unchanged/);
    }
    const v9 = join(dir, 'v9.json');
    writeFileSync(v9, JSON.stringify({ ...doc, schemaVersion: 9 }));
    const r = run('diff', v9, KO);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`structscope: ${v9}: a show --format json report of schemaVersion 9; this structscope reads versions 1 and 2\n`);
  });
});
