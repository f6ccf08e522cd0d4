/**
 * `--format html`: one self-contained page (inline CSS and JavaScript, no network, works from
 * file://) for show, diff and reorg. Pure: it serialises computed layouts (byte maps from
 * layout/bytemap.ts, member facts, pahole text) as JSON in a `<script type="application/json">`;
 * the page's script builds the index and draws a struct's cacheline grid only when it is opened,
 * so a whole vmlinux (~8,000 types) stays usable. Every string from the binary reaches the page
 * through JSON (with `<` escaped) and textContent, never as markup.
 */
import type { ByteMap, SegmentKind } from '../layout/bytemap.js';

export interface HtmlMember {
  name: string | null;
  /** The member's C type. */
  type: string;
  offset: number;
  size: number;
  bitOffset?: number;
  bitSize?: number;
  /** diff and reorg: how the member changed (the diff's most telling change, or 'moved'). */
  change?: string;
  /** diff: every change. */
  changes?: string[];
}

export interface HtmlCounters {
  size: number;
  cachelines: number;
  holes: number;
  sumHoles: number;
  padding: number;
  [counter: string]: number | null;
}

/** One side of a picture: a layout with its byte map. */
export interface HtmlLayout {
  title: string;
  size: number;
  cachelineSize: number;
  members: HtmlMember[];
  map: ByteMap;
  counters: HtmlCounters;
  /** The layout as pahole prints it. */
  pahole?: string;
}

export interface HtmlStruct {
  kind: string;
  name: string;
  /** The file it comes from (several files: show a, b). */
  file?: string;
  /** diff: added, removed or changed; reorg: reorganized or the reason it is not. */
  status?: string;
  /** show: one layout; diff: old and new (one of them absent for added/removed types); reorg: current and proposed. */
  left?: HtmlLayout;
  right?: HtmlLayout;
  /** reorg: the moves; diff: the member changes as text. */
  notes?: string[];
}

export interface HtmlReport {
  mode: 'show' | 'diff' | 'reorg';
  title: string;
  /** What produced it (inputs), shown in the header. */
  subtitle: string;
  structs: HtmlStruct[];
}

type CompactSegment = [SegmentKind, number, number, number[]];

/** The data the page reads: byte maps in a compact form. */
function compactLayout(l: HtmlLayout) {
  return {
    title: l.title,
    size: l.size,
    cl: l.cachelineSize,
    members: l.members,
    segs: l.map.segments.map((s): CompactSegment => [s.kind, s.start, s.end, s.members]),
    counters: l.counters,
    pahole: l.pahole,
  };
}

/** JSON that can sit inside a <script> element: no `<` (so no `</script>` or `<!--`), no U+2028/9. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function renderHtml(r: HtmlReport): string {
  const data = {
    mode: r.mode,
    structs: r.structs.map((s) => ({
      kind: s.kind,
      name: s.name,
      file: s.file,
      status: s.status,
      left: s.left && compactLayout(s.left),
      right: s.right && compactLayout(s.right),
      notes: s.notes,
    })),
  };
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(r.title)}</title>
<style>${CSS}</style>
</head>
<body>
<header><h1>${escapeHtml(r.title)}</h1><div class="sub">${escapeHtml(r.subtitle)}</div></header>
<div id="app">
<nav id="side">
<input id="search" type="search" placeholder="search types (substring)" autocomplete="off">
<label>sort <select id="sort">
<option value="file">file order</option><option value="name">name</option><option value="size">size</option>
<option value="holes">holes</option><option value="sumHoles">hole bytes</option><option value="padding">padding</option><option value="cachelines">cachelines</option>
</select></label>
<div id="count"></div>
<ol id="index"></ol>
</nav>
<main id="view"><p class="hint">Choose a type in the index.</p></main>
</div>
<div id="tip" hidden></div>
<script type="application/json" id="data">${scriptJson(data)}</script>
<script>${SCRIPT}</script>
</body>
</html>
`;
}

const CSS = `
:root{--member:#8ecae6;--member2:#a8dadc;--bits:#cdb4db;--union:#b7e4c7;--hole:#e63946;--pad:#ffb703;--moved:#3a86ff;--added:#2a9d8f;--removed:#e76f51;--resized:#9b5de5;--line:#555}
*{box-sizing:border-box}
body{margin:0;font:14px/1.4 system-ui,sans-serif;color:#111;background:#fafafa}
header{padding:6px 12px;background:#1d3557;color:#fff}
header h1{font-size:17px;margin:0}
header .sub{font-size:12px;opacity:.85}
#app{display:flex;height:calc(100vh - 52px)}
#side{width:330px;min-width:240px;border-right:1px solid #ccc;display:flex;flex-direction:column;padding:6px;gap:4px;background:#fff}
#search{width:100%;padding:4px}
#count{font-size:12px;color:#555}
#index{list-style:none;margin:0;padding:0;overflow:auto;flex:1;font-family:ui-monospace,monospace;font-size:12px}
#index li{padding:1px 4px;cursor:pointer;display:flex;justify-content:space-between;gap:6px;white-space:nowrap}
#index li span.n{overflow:hidden;text-overflow:ellipsis}
#index li span.f{color:#666}
#index li:hover,#index li.open{background:#e0ecff}
#index li.added .n{color:var(--added)} #index li.removed .n{color:var(--removed)}
#view{flex:1;overflow:auto;padding:10px 16px}
h2{font-size:16px;margin:4px 0 8px;font-family:ui-monospace,monospace}
.sides{display:flex;gap:24px;flex-wrap:wrap;align-items:flex-start}
.side h3{font-size:14px;margin:4px 0}
.sides>.side.left,.sides>.side.right{flex:1 1 0;min-width:470px;max-width:640px}
.sides>pre.pahole{flex:1 1 380px;min-width:300px}
.side pre.pahole{max-height:55vh;margin-top:8px}
.counters{border-collapse:collapse;font-size:11px;margin:4px 0 8px}
.counters td,.counters th{border:1px solid #ddd;padding:1px 6px;text-align:right}
.counters th{font-weight:normal;color:#444;background:#f0f0f0}
.counters td.delta{color:#b00}
.grid{display:grid;gap:1px 0;background:#fff;border:1px solid #999;font-family:ui-monospace,monospace;font-size:11px}
.grid .rowlabel{color:#666;text-align:right;padding-right:4px;border-right:1px solid var(--line);align-self:stretch}
.piece{height:26px;overflow:hidden;white-space:nowrap;text-overflow:ellipsis;padding:0 2px;border-left:1px solid #fff;line-height:26px;cursor:default}
.member>.piece{background:var(--member)} .member.alt>.piece{background:var(--member2)}
.member.straddle>.piece{box-shadow:inset 0 -3px 0 #d00}
.unit{display:flex;padding:0;background:var(--bits)}
.unit>.member.bit{height:100%;overflow:hidden;border-right:1px dotted #555;padding:0 1px;background:var(--bits);font-size:10px}
.unit>.bithole{height:100%;background:repeating-linear-gradient(45deg,#fff,#fff 2px,var(--hole) 2px,var(--hole) 4px)}
.union{display:flex;flex-direction:column;padding:0;background:var(--union)}
.union>.alt-u{flex:0 0 auto;font-size:9px;border-bottom:1px solid #fff;overflow:hidden;white-space:nowrap;background:#95d5b2;box-sizing:border-box;border-right:1px solid #2d6a4f}
.hole>.piece{background:repeating-linear-gradient(45deg,#fff,#fff 3px,var(--hole) 3px,var(--hole) 6px);color:#700}
.padding>.piece{background:repeating-linear-gradient(-45deg,#fff,#fff 3px,var(--pad) 3px,var(--pad) 6px);color:#630}
.member.zero>.piece{width:4px;padding:0;background:#000;justify-self:start}
.member.zero.atend>.piece{justify-self:end}
[data-change=moved]>.piece,.bit[data-change=moved]{outline:2px solid var(--moved);outline-offset:-2px}
[data-change=added]>.piece,.bit[data-change=added]{outline:2px solid var(--added);outline-offset:-2px;background:#b7efc5}
[data-change=removed]>.piece,.bit[data-change=removed]{outline:2px solid var(--removed);outline-offset:-2px;background:#ffd6cc}
[data-change=resized]>.piece,[data-change=retyped]>.piece,[data-change=bitfield]>.piece,[data-change=renamed]>.piece,.bit[data-change=bitfield],.bit[data-change=resized]{outline:2px solid var(--resized);outline-offset:-2px}
.changes{font-family:ui-monospace,monospace;font-size:12px;margin:6px 0;padding-left:18px}
pre.pahole{font-size:11px;background:#fff;border:1px solid #ccc;padding:6px;max-height:80vh;overflow:auto;margin:0;tab-size:8}
.legend{display:flex;gap:12px;font-size:12px;margin:6px 0;flex-wrap:wrap}
.legend span.sw{display:inline-block;width:18px;height:12px;vertical-align:middle;margin-right:3px;border:1px solid #999}
#tip{position:fixed;z-index:10;background:#222;color:#fff;font:12px/1.35 ui-monospace,monospace;padding:4px 7px;border-radius:3px;pointer-events:none;white-space:pre;max-width:60vw;overflow:hidden}
.hint{color:#666}
`;

/* The page's script: plain ES2017, no dependencies. Builds DOM with textContent only. */
const SCRIPT = String.raw`
(function(){
'use strict';
var DATA = JSON.parse(document.getElementById('data').textContent);
var S = DATA.structs;
var indexEl = document.getElementById('index'), searchEl = document.getElementById('search'), sortEl = document.getElementById('sort'), countEl = document.getElementById('count'), view = document.getElementById('view'), tip = document.getElementById('tip');
var MAX_LIST = 3000;
function el(tag, cls, text){ var e = document.createElement(tag); if (cls) e.className = cls; if (text !== undefined && text !== null) e.textContent = String(text); return e; }
function primary(s){ return s.right || s.left; }
function label(s){ return s.kind + ' ' + (s.name || '(anonymous)'); }
function fileLabel(s){ return s.file ? '  (' + s.file.split('/').pop() + ')' : ''; }
function counter(s, k){ var p = primary(s); return p ? (p.counters[k] || 0) : 0; }
var order = S.map(function(_, i){ return i; });
var lower = S.map(function(s){ return ((s.name || '') + fileLabel(s)).toLowerCase(); });
function refreshIndex(){
  var q = searchEl.value.trim().toLowerCase(), key = sortEl.value;
  var ids = order.filter(function(i){ return !q || lower[i].indexOf(q) >= 0; });
  if (key === 'name') ids.sort(function(a, b){ return lower[a] < lower[b] ? -1 : lower[a] > lower[b] ? 1 : a - b; });
  else if (key !== 'file') ids.sort(function(a, b){ return counter(S[b], key) - counter(S[a], key) || a - b; });
  indexEl.textContent = '';
  var frag = document.createDocumentFragment();
  ids.slice(0, MAX_LIST).forEach(function(i){
    var s = S[i], li = el('li', s.status ? String(s.status).split(' ')[0] : '');
    li.dataset.i = i;
    li.appendChild(el('span', 'n', label(s) + fileLabel(s)));
    var f = key === 'file' || key === 'name' || key === 'size' ? counter(s, 'size') + ' B' : counter(s, key) + ' ' + key;
    li.appendChild(el('span', 'f', s.status && DATA.mode === 'diff' ? s.status + ', ' + f : f));
    if ('#s' + i === location.hash) li.classList.add('open');
    frag.appendChild(li);
  });
  indexEl.appendChild(frag);
  countEl.textContent = ids.length + ' of ' + S.length + ' types' + (ids.length > MAX_LIST ? ' (first ' + MAX_LIST + ' listed; refine the search)' : '');
}
indexEl.addEventListener('click', function(e){ var li = e.target.closest('li'); if (li) location.hash = '#s' + li.dataset.i; });
searchEl.addEventListener('input', refreshIndex);
sortEl.addEventListener('change', refreshIndex);
window.addEventListener('hashchange', openFromHash);

function cachelines(a, b, cl){ var f = Math.floor(a / cl), l = b > a ? Math.floor((b - 1) / cl) : f; return f === l ? String(f) : f + '-' + l; }
function memberName(m){ return m.name === null || m.name === undefined ? '(anonymous)' : m.name; }
function describe(m, cl){
  var lines = [memberName(m), 'type: ' + m.type, 'offset: ' + m.offset + (m.bitSize !== undefined ? ' (bits ' + (m.bitOffset - m.offset * 8) + '..' + (m.bitOffset - m.offset * 8 + m.bitSize - 1) + ' of the ' + m.size + '-byte unit)' : ''), 'size: ' + (m.bitSize !== undefined ? m.bitSize + ' bits' : m.size + ' bytes'), 'cacheline: ' + cachelines(m.offset, m.offset + m.size, cl)];
  if (m.changes && m.changes.length) lines.push('change: ' + m.changes.join(', '));
  else if (m.change) lines.push('change: ' + m.change);
  return lines.join('\n');
}
function setMemberData(e, m, i, l){
  e.dataset.index = i; e.dataset.name = memberName(m); e.dataset.offset = m.offset; e.dataset.size = m.size; e.dataset.type = m.type;
  if (m.bitSize !== undefined) { e.dataset.bitOffset = m.bitOffset; e.dataset.bitSize = m.bitSize; }
  e.dataset.cachelines = cachelines(m.offset, m.offset + Math.max(m.size, 0), l.cl);
  if (m.change) e.dataset.change = m.change;
  e.dataset.tip = describe(m, l.cl);
}
/* The cacheline grid of one layout: a CSS grid, one column per byte, one row per cacheline. */
function drawGrid(l){
  var cl = l.cl, rows = Math.max(1, Math.ceil(l.size / cl));
  var g = el('div', 'grid');
  var px = Math.max(3, Math.min(DATA.mode === 'show' ? 10 : 7, Math.floor((DATA.mode === 'show' ? 640 : 448) / cl)));
  g.style.gridTemplateColumns = '3.5em repeat(' + cl + ', ' + px + 'px)';
  for (var r = 0; r < rows; r++) { var lab = el('div', 'rowlabel', r * cl); lab.style.gridRow = String(r + 1); lab.style.gridColumn = '1'; g.appendChild(lab); }
  function place(piece, start, end){ var row = Math.floor(start / cl); piece.style.gridRow = String(row + 1); piece.style.gridColumn = (start - row * cl + 2) + ' / span ' + Math.max(1, end - start); }
  function pieces(start, end){ var out = []; for (var a = start; a < end; ) { var b = Math.min(end, (Math.floor(a / cl) + 1) * cl); out.push([a, b]); a = b; } return out; }
  var alt = 0;
  l.segs.forEach(function(sg){
    var kind = sg[0], start = sg[1], end = sg[2], idx = sg[3];
    if (kind === 'hole' || kind === 'padding') {
      var h = el('div', kind); h.dataset.offset = start; h.dataset.size = end - start;
      h.dataset.tip = (kind === 'hole' ? 'hole' : 'padding') + ': ' + (end - start) + ' bytes at ' + start + '\ncacheline: ' + cachelines(start, end, cl);
      pieces(start, end).forEach(function(p, k){ var d = el('div', 'piece', k === 0 && p[1] - p[0] >= 3 ? (end - start) : ''); place(d, p[0], p[1]); h.appendChild(d); });
      h.style.display = 'contents'; g.appendChild(h); return;
    }
    if (kind === 'member') {
      var m = l.members[idx[0]], grp = el('div', 'member' + (alt++ % 2 ? ' alt' : ''));
      grp.style.display = 'contents'; setMemberData(grp, m, idx[0], l);
      if (end === start) {
        grp.classList.add('zero'); var z = el('div', 'piece'); var at = Math.min(start, Math.max(0, l.size - 1));
        if (start >= l.size && l.size > 0) grp.classList.add('atend');
        place(z, at, at + 1); grp.appendChild(z); g.appendChild(grp); return;
      }
      var ps = pieces(start, end); if (ps.length > 1) grp.classList.add('straddle');
      ps.forEach(function(p){ var d = el('div', 'piece', memberName(m)); place(d, p[0], p[1]); grp.appendChild(d); });
      g.appendChild(grp); return;
    }
    /* bit-fields inside their unit, and union members stacked: the members sit inside the pieces */
    var unit = el('div', kind === 'union' ? 'unionseg' : 'unitseg'); unit.style.display = 'contents';
    var ups = end > start ? pieces(start, end) : [[start, start + 1]];
    var divs = ups.map(function(p){ var d = el('div', 'piece ' + (kind === 'union' ? 'union' : 'unit')); place(d, p[0], p[1]); unit.appendChild(d); return d; });
    if (kind === 'union') {
      /* one lane per member: in every row it reaches, a bar as long as the bytes it covers there */
      var lane = Math.max(8, Math.min(14, Math.floor(120 / Math.max(1, idx.length))));
      divs.forEach(function(d){ d.style.height = Math.max(26, lane * idx.length) + 'px'; });
      idx.forEach(function(i){
        var m = l.members[i];
        ups.forEach(function(p, k){
          var cover = Math.min(m.offset + Math.max(m.size, 0), p[1]) - Math.max(m.offset, p[0]);
          /* uncovered rows keep an empty bar so the lanes stay aligned */
          var e = el('div', k === 0 ? 'member alt-u' : 'ulane alt-u', k === 0 ? memberName(m) : '');
          if (e.classList.contains('member')) setMemberData(e, m, i, l); else e.dataset.tip = describe(m, l.cl);
          e.style.width = (100 * Math.max(0, cover) / (p[1] - p[0])) + '%'; e.style.height = lane + 'px'; e.style.lineHeight = lane + 'px';
          divs[k].appendChild(e);
        });
      });
    } else {
      var bitAt = start * 8;
      var pieceOf = function(bit){ for (var k = 0; k < ups.length; k++) if (bit < ups[k][1] * 8) return k; return ups.length - 1; };
      var addGap = function(from, to){ while (from < to) { var k = pieceOf(from), stop = Math.min(to, ups[k][1] * 8); var gap = el('div', 'bithole'); gap.style.flex = '0 0 ' + (100 * (stop - from) / ((ups[k][1] - ups[k][0]) * 8)) + '%'; gap.dataset.tip = (stop - from) + ' unused bits'; divs[k].appendChild(gap); from = stop; } };
      idx.forEach(function(i){
        var m = l.members[i], b = m.bitOffset; if (b > bitAt) addGap(bitAt, b);
        var k = pieceOf(b), e = el('div', 'member bit', memberName(m)); setMemberData(e, m, i, l);
        e.style.flex = '0 0 ' + (100 * m.bitSize / ((ups[k][1] - ups[k][0]) * 8)) + '%'; divs[k].appendChild(e); bitAt = Math.max(bitAt, b + m.bitSize);
      });
      addGap(bitAt, end * 8);
    }
    g.appendChild(unit);
  });
  return g;
}
var COUNTERS = [['size','size'],['cachelines','cachelines'],['members','members'],['holes','holes'],['sumHoles','sum holes'],['bitHoles','bit holes'],['sumBitHoles','sum bit holes'],['padding','padding'],['bitPadding','bit padding'],['alignment','alignment']];
function countersTable(l, other){
  var t = el('table', 'counters'), names = el('tr'), values = el('tr');
  COUNTERS.forEach(function(c){
    if (!(c[0] in l.counters)) return;
    names.appendChild(el('th', '', c[1]));
    var v = l.counters[c[0]], td = el('td', '', v === null ? '-' : v);
    td.dataset.counter = c[0];
    if (other && c[0] in other.counters && other.counters[c[0]] !== v) td.className = 'delta';
    values.appendChild(td);
  });
  t.appendChild(names); t.appendChild(values);
  return t;
}
function side(l, other, withText){
  var d = el('div', 'side');
  d.appendChild(el('h3', '', l.title));
  d.appendChild(countersTable(l, other));
  d.appendChild(drawGrid(l));
  if (withText && l.pahole) { var pre = el('pre', 'pahole', l.pahole); d.appendChild(pre); }
  return d;
}
function legend(){
  var d = el('div', 'legend');
  [['member', 'var(--member)'], ['bit-fields in their unit', 'var(--bits)'], ['union members', 'var(--union)'], ['hole', 'repeating-linear-gradient(45deg,#fff,#fff 3px,var(--hole) 3px,var(--hole) 6px)'], ['padding', 'repeating-linear-gradient(-45deg,#fff,#fff 3px,var(--pad) 3px,var(--pad) 6px)']].forEach(function(x){
    var s = el('span'); var sw = el('span', 'sw'); sw.style.background = x[1]; s.appendChild(sw); s.appendChild(document.createTextNode(x[0])); d.appendChild(s);
  });
  if (DATA.mode !== 'show') [['moved','var(--moved)'],['added','var(--added)'],['removed','var(--removed)'],['resized / retyped / bit-field','var(--resized)']].forEach(function(x){
    var s = el('span'); var sw = el('span', 'sw'); sw.style.border = '2px solid ' + x[1]; s.appendChild(sw); s.appendChild(document.createTextNode(x[0])); d.appendChild(s);
  });
  var red = el('span'); var sw2 = el('span', 'sw'); sw2.style.boxShadow = 'inset 0 -3px 0 #d00'; red.appendChild(sw2); red.appendChild(document.createTextNode('crosses a cacheline boundary')); d.appendChild(red);
  return d;
}
function openStruct(i){
  var s = S[i]; if (!s) return;
  view.textContent = '';
  var h = el('h2', '', label(s) + (s.file ? '  (' + s.file + ')' : '') + (s.status ? '  ' + s.status : '')); view.appendChild(h);
  view.appendChild(legend());
  if (s.notes && s.notes.length) { var ul = el('ul', 'changes'); s.notes.forEach(function(n){ ul.appendChild(el('li', '', n)); }); view.appendChild(ul); }
  var sides = el('div', 'sides'); sides.id = 'struct';
  sides.dataset.mode = DATA.mode;
  if (DATA.mode === 'show') {
    var d = side(s.left, null, false); d.classList.add('only'); sides.appendChild(d);
    if (s.left.pahole) { var pre = el('pre', 'pahole', s.left.pahole); sides.appendChild(pre); }
  } else {
    if (s.left) { var a = side(s.left, s.right, true); a.classList.add('left'); sides.appendChild(a); }
    if (s.right) { var b = side(s.right, s.left, true); b.classList.add('right'); sides.appendChild(b); }
  }
  view.appendChild(sides);
  Array.prototype.forEach.call(indexEl.children, function(li){ li.classList.toggle('open', li.dataset.i === String(i)); });
}
function openFromHash(){ var m = /^#s(\d+)$/.exec(location.hash); if (m) openStruct(Number(m[1])); }
view.addEventListener('mousemove', function(e){
  var t = e.target.closest && e.target.closest('[data-tip]');
  if (!t) { tip.hidden = true; return; }
  tip.textContent = t.dataset.tip; tip.hidden = false;
  var x = Math.min(e.clientX + 14, window.innerWidth - tip.offsetWidth - 4), y = Math.min(e.clientY + 14, window.innerHeight - tip.offsetHeight - 4);
  tip.style.left = x + 'px'; tip.style.top = y + 'px';
});
view.addEventListener('mouseleave', function(){ tip.hidden = true; });
refreshIndex();
if (location.hash) openFromHash(); else if (S.length === 1) location.hash = '#s0';
window.structscope = { open: openStruct, data: DATA };
})();
`;
