import fc from 'fast-check';
import { writeFileSync } from 'node:fs';
import { loadFile } from '../src/load/index.js';
import { printableTypes, renderType } from '../src/report/pahole.js';
import { jsonDocument, jsonFile } from '../src/report/json.js';
import { abiForElf, inferAll } from '../src/layout/abi/index.js';
import { buildDwarfElf } from '../test/helpers/dwarf-builder.js';
import { unitArb, elfArb } from '../test/helpers/arbitraries.js';
const which = process.argv[2];
const arb: fc.Arbitrary<Uint8Array> = which === 'elf' ? elfArb : unitArb.map((u) => buildDwarfElf(u));
const samples = fc.sample(arb, { numRuns: Number(process.argv[3] ?? 1500), seed: Number(process.argv[4] ?? 42) });
let i = 0;
for (const bytes of samples) {
  writeFileSync(`/tmp/hz/last-${which}.o`, bytes);
  const t0 = Date.now();
  let stage = 'load';
  try {
    const f = loadFile(`/tmp/hz/last-${which}.o`);
    stage = 'render';
    const ids = printableTypes(f.table);
    for (const id of ids) renderType(f.table, id, {});
    stage = 'json';
    jsonDocument([jsonFile(f, ids, { cachelineSize: 64 })]);
    stage = 'infer';
    const abi = abiForElf(f.info.machine, f.info.elfClass, f.info.littleEndian, f.info.flags);
    if (abi) inferAll(f.table, abi, { dwarfVersions: f.info.dwarfVersions });
  } catch (e) { if ((e as Error).name !== 'StructscopeError') { console.log(i, stage, (e as Error).stack?.split('\n').slice(0,4).join(' | ')); writeFileSync(`/tmp/hz/fail-${i}.o`, bytes); } }
  const dt = Date.now() - t0;
  if (dt > 500) { console.log(i, 'slow', stage, dt); writeFileSync(`/tmp/hz/slow-${i}.o`, bytes); }
  i++;
}
console.log('done', i);
