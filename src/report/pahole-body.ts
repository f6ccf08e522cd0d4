/**
 * Struct, union, typedef and C++ class bodies as pahole prints them (dwarves_fprintf.c
 * __class__fprintf, union__fprintf, typedef__fprintf, tag__fprintf): the member lines in order
 * with pahole's hole, padding and bit-field comments, then the statistics (pahole-summary.ts).
 */
import { declInfoLines } from './decl-info.js';
import { isAggregate, VOID_TYPE, type AggregateType, type TypeId } from '../model/types.js';
import type { Layout, LayoutItem } from '../layout/types.js';
import { functionTypeString, methodString } from './ctype.js';
import { spelledName, type Conf } from './pahole-conf.js';
import { arrayDecl, memberLine, renderEnumBody, typeDecl } from './pahole-decl.js';
import { accessName, plural, tabs } from './pahole-format.js';
import { memberTypeFactsText, statsComment } from './pahole-summary.js';

function aggregateOf(conf: Conf, layout: Layout): AggregateType {
  return conf.table.get(layout.type) as AggregateType;
}

/** An inline struct or union body (Conf.body). */
export function renderAggregateBody(layout: Layout, conf: Conf, union: boolean): string {
  return union ? renderUnionBody(layout, conf) : renderClassBody(layout, conf);
}

/** union__fprintf() */
export function renderUnionBody(layout: Layout, conf: Conf): string {
  const t = aggregateOf(conf, layout);
  const indent = Math.min(conf.indent, 15);
  let out = conf.prefix !== undefined ? conf.prefix + ' ' : '';
  out += (t.name !== undefined ? 'union ' + t.name : 'union') + ' {\n';
  const uconf: Conf = { ...conf, indent: indent + 1, unionMember: true };
  const ind = tabs(uconf.indent);
  for (const ml of layout.members) out += ind + memberLine(ml, t.members[ml.index]!, uconf) + '\n';
  out += tabs(indent) + '}';
  if (conf.suffix !== undefined) out += ' ' + conf.suffix;
  return out;
}

/** typedef__fprintf(); `anon`: pahole -a's class_formatter of the anonymous type it names (PaholeOptions.anonTypedef). */
export function renderTypedef(id: TypeId, conf: Conf, inl: Layout | undefined, anon = false): string {
  const table = conf.table;
  const td = table.get(id);
  if (td.kind !== 'typedef') return '';
  if (td.target === VOID_TYPE) return `typedef void ${td.name}`;
  const tt = table.get(td.target);
  const spell = { table, language: conf.language };
  switch (tt.kind) {
    case 'array':
      return 'typedef ' + arrayDecl(td.target, td.name, conf, undefined);
    case 'pointer':
      if (tt.pointerKind === 'pointer' && tt.target !== VOID_TYPE) {
        const pt = table.get(tt.target);
        if (pt.kind === 'function') return 'typedef ' + functionTypeString(spell, pt, { name: td.name, isPointer: true });
      }
      break;
    case 'function':
      return 'typedef ' + functionTypeString(spell, tt, { name: td.name });
    case 'struct':
    case 'class':
      if (tt.name !== undefined) return `typedef struct ${tt.name} ${td.name}`;
      if (inl) return 'typedef ' + renderClassBody(inl, { ...conf, suffix: td.name, typeSpacing: conf.typeSpacing - (!anon && conf.dialect.typedefBodies ? 8 : 0) });
      break;
    case 'union':
      // union_decl__fprintf (1.31); 1.24 prints `union %s %s` with the union's name, even when it has none
      if (tt.name !== undefined) return conf.dialect.typedefBodies && !anon ? `typedef union ${tt.name.padEnd(conf.typeSpacing - 6)} ${td.name}` : `typedef union ${tt.name} ${td.name}`;
      if (inl && anon) return 'typedef ' + renderUnionBody(inl, { ...conf, suffix: td.name, nameSpacing: 21 });
      if (inl && conf.dialect.typedefBodies) return 'typedef ' + renderUnionBody(inl, { ...conf, suffix: td.name, typeSpacing: conf.typeSpacing - 8 });
      return `typedef union  ${td.name}`;
    case 'enum':
      if (tt.name !== undefined) return `typedef enum ${tt.name} ${td.name}`;
      return 'typedef ' + renderEnumBody(tt, { ...conf, suffix: td.name });
  }
  return `typedef ${spelledName(conf, td.target)} ${td.name}`;
}

function itemAccessibility(layout: Layout, t: AggregateType, item: LayoutItem): number | undefined {
  if (item.kind === 'member') return t.members[layout.members[item.member]!.index]!.accessibility;
  if (item.kind === 'method') return item.method.accessibility;
  return undefined;
}

/** tag__fprintf() for a non-member child of a class, without the trailing "\n\n". */
function renderNestedItem(item: LayoutItem, conf: Conf): string {
  const table = conf.table;
  let out = tabs(conf.indent);
  switch (item.kind) {
    case 'type': {
      const t = table.get(item.type);
      // tag__fprintf prints -I's lines before a nested type as before a top-level one
      if (conf.declInfo) out = (declInfoLines(table, item.type) ?? '').replace(/^(?=.)/gm, tabs(conf.indent)) + out;
      if (isAggregate(t)) {
        if (item.layout) out += t.kind === 'union' ? renderUnionBody(item.layout, conf) : renderClassBody(item.layout, conf);
        else out += `${t.kind} ${t.name ?? ''}`;
      } else if (t.kind === 'enum') out += renderEnumBody(t, conf);
      else if (t.kind === 'typedef') out += renderTypedef(item.type, conf, item.layout);
      out += ';';
      return out;
    }
    case 'method':
      out += methodString({ table, language: conf.language }, item.method) + ';';
      if (item.method.linkageName !== undefined) out += ` /* linkage=${item.method.linkageName} */`;
      return out;
    case 'variable':
      if (item.name !== undefined) {
        if (item.external && item.declaration) out += 'extern ';
        out += typeDecl(item.type, item.name, conf, undefined);
      }
      return out + ';';
    default:
      return out;
  }
}

/** ` : public A, virtual B` of a derived class. */
function baseList(layout: Layout, t: AggregateType, conf: Conf): string {
  let out = '';
  let first = true;
  const visit = (index: number): void => {
    const ml = layout.members[index]!;
    if (ml.role !== 'base') return;
    const m = t.members[ml.index]!;
    out += first ? ' :' : ',';
    first = false;
    if (m.isVirtualBase) out += ' virtual';
    const acc = accessName(m.accessibility);
    if (acc) out += ' ' + acc;
    const bt = conf.table.get(m.type);
    out += ' ' + ('name' in bt && bt.name !== undefined ? bt.name : '(null)');
  };
  if (layout.items) {
    for (const i of layout.items) if (i.kind === 'member') visit(i.member);
  } else for (let i = 0; i < layout.members.length; i++) visit(i);
  return out;
}

/** __class__fprintf() */
export function renderClassBody(layout: Layout, conf: Conf): string {
  const t = aggregateOf(conf, layout);
  let out = conf.prefix !== undefined ? conf.prefix + ' ' : '';
  out += t.kind === 'class' ? 'class' : 'struct';
  if (t.name !== undefined) out += ' ' + t.name;
  const indent = Math.min(conf.indent, 15);
  const cconf: Conf = { ...conf, indent: indent + 1 };
  // the member lines' configuration: cconf with each member's first/last flags (set per member)
  const mconf: Conf = { ...cconf };
  const ind = tabs(cconf.indent);
  out += baseList(layout, t, conf) + ' {\n';

  let newline = 0;
  if (layout.preBitHole > 0) {
    if (!newline++) out += '\n';
    out += `${ind}/* XXX ${layout.preBitHole} bit${plural(layout.preBitHole)} hole, try to pack */\n`;
  }
  if (layout.preHole > 0) {
    if (!newline++) out += '\n';
    out += `${ind}/* XXX ${layout.preHole} byte${plural(layout.preHole)} hole, try to pack */\n`;
  }

  const items = layout.items;
  const count = items ? items.length : layout.members.length;
  let currentAccess: string | undefined;
  for (let k = 0; k < count; k++) {
    let memberIndex = k;
    if (items) {
      const item = items[k]!;
      const acc = accessName(itemAccessibility(layout, t, item));
      if (acc !== undefined && acc !== currentAccess) {
        currentAccess = acc;
        out += `${tabs(cconf.indent - 1)}${acc}:\n\n`;
      }
      if (item.kind !== 'member') {
        if (!cconf.onlyDataMembers) out += renderNestedItem(item, cconf) + '\n\n';
        continue;
      }
      memberIndex = item.member;
    } else {
      const acc = accessName(t.members[layout.members[k]!.index]!.accessibility);
      if (acc !== undefined && acc !== currentAccess) {
        currentAccess = acc;
        out += `${tabs(cconf.indent - 1)}${acc}:\n\n`;
      }
    }
    const ml = layout.members[memberIndex]!;
    const member = t.members[ml.index]!;
    mconf.lastMember = !!ml.lastMember;
    mconf.firstMember = !!ml.firstMember;
    if (ml.explicitPadding) {
      if (ml.explicitPadding.forceAlignment) out += `\n${ind}/* Force alignment to the next boundary: */\n`;
      out += ind + typeDecl(ml.type, '', mconf, undefined) + ':' + ml.explicitPadding.width + ';\n';
    }
    if (ml.combined) {
      if (!newline++) out += '\n';
      out += `${ind}/* Bitfield combined with ${ml.combined} fields */\n`;
    }
    if (newline) {
      out += '\n';
      newline = 0;
    }
    out += ind + memberLine(ml, member, mconf);
    if (cconf.dialect.memberTypeHoles) {
      if (ml.typeFacts) {
        if (!newline++) out += '\n';
        out += `\n${ind}/* XXX last struct has ${memberTypeFactsText(ml.typeFacts)} */`;
      }
    } else if (ml.typePadding !== undefined && ml.typePadding > 0) {
      if (!newline++) out += '\n';
      out += `\n${ind}/* XXX last struct has ${ml.typePadding} byte${plural(ml.typePadding)} of padding */`;
    }
    if (ml.bitHole !== 0) {
      if (!newline++) out += '\n';
      out += `\n${ind}/* XXX ${ml.bitHole} bit${plural(ml.bitHole)} hole, try to pack */`;
    }
    if (ml.hole > 0) {
      if (!newline++) out += '\n';
      out += `\n${ind}/* XXX ${ml.hole} byte${plural(ml.hole)} hole, try to pack */`;
    }
    out += '\n';
  }

  if (layout.forcePadding) {
    const fp = layout.forcePadding;
    out += `\n${ind}/* Force padding: */\n`;
    for (let i = 0; i < fp.count; i++) out += ind + typeDecl(fp.type, '', cconf, fp.inline) + `:${fp.unitBits};\n`;
  }

  if (layout.vtable && layout.vtable.length && !cconf.onlyDataMembers) {
    out += `${ind}/* vtable has ${layout.vtable.length} entries: {\n`;
    for (const v of layout.vtable) out += `${ind}   [${v.index}] = ${v.name ?? '(null)'}(${v.linkageName ?? '(null)'}), \n`;
    out += `${ind}} */`;
  }

  if (layout.emitStats) out += statsComment(layout, ind, cconf.dialect);
  out += tabs(indent) + '}';
  if (layout.packed) out += ' __attribute__((__packed__))';
  if (conf.suffix !== undefined) out += ' ' + conf.suffix;
  if (layout.alignment && !layout.packed) out += ` __attribute__((__aligned__(${layout.alignment})))`;
  return out;
}
