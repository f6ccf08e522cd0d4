import { describe, expect, it } from 'vitest';
import { loadFile } from '../../src/load/index.js';
import { renderType } from '../../src/pahole-text.js';
import { firstDefinitionsFound, selectTypes } from '../../src/report/select.js';
import { fixturePath } from '../helpers/fixtures.js';

describe('-C NAME stops reading at the first definition', () => {
  // dup-exe: struct dup is defined in both units, differently; only_a only in the first
  const exe = fixturePath('dup-exe');

  it('stops after the unit that defines every name, and prints what a full read prints', () => {
    const sel = { classes: ['dup,only_a'] };
    const early = loadFile(exe, { stopAfterUnit: firstDefinitionsFound(sel) });
    const full = loadFile(exe);
    expect(early.partial).toBe(true);
    expect(full.partial).toBe(false);
    const a = selectTypes(early.table, sel).ids.map((id) => renderType(early.table, id));
    const b = selectTypes(full.table, sel).ids.map((id) => renderType(full.table, id));
    expect(a).toEqual(b);
    expect(a).toHaveLength(2);
  });

  it('reads everything for regexes, --all-definitions and names it has not found', () => {
    expect(firstDefinitionsFound({ classes: ['/^dup$/'] })).toBeUndefined();
    expect(firstDefinitionsFound({ classes: ['dup'], allDefinitions: true })).toBeUndefined();
    expect(loadFile(exe, { stopAfterUnit: firstDefinitionsFound({ classes: ['dup,not_there'] }) }).partial).toBe(false);
  });
});
