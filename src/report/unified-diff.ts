/**
 * A minimal unified diff (`diff -u` format, 3 lines of context) of two line arrays: common prefix
 * and suffix trimmed, then an LCS over the rest. Pure.
 */

type Op = { kind: ' ' | '-' | '+'; line: string; a: number; b: number };

function editScript(a: readonly string[], b: readonly string[]): Op[] {
  let pre = 0;
  while (pre < a.length && pre < b.length && a[pre] === b[pre]) pre++;
  let suf = 0;
  while (suf < a.length - pre && suf < b.length - pre && a[a.length - 1 - suf] === b[b.length - 1 - suf]) suf++;
  const ops: Op[] = [];
  for (let i = 0; i < pre; i++) ops.push({ kind: ' ', line: a[i]!, a: i, b: i });
  const A = a.slice(pre, a.length - suf);
  const B = b.slice(pre, b.length - suf);
  const n = A.length;
  const m = B.length;
  if (n * m > 16_000_000) {
    A.forEach((line, i) => ops.push({ kind: '-', line, a: pre + i, b: pre }));
    B.forEach((line, j) => ops.push({ kind: '+', line, a: pre + n, b: pre + j }));
  } else {
    // lcs[i][j] = LCS length of A[i..], B[j..]
    const w = m + 1;
    const lcs = new Uint32Array((n + 1) * w);
    for (let i = n - 1; i >= 0; i--) {
      for (let j = m - 1; j >= 0; j--) {
        lcs[i * w + j] = A[i] === B[j] ? lcs[(i + 1) * w + j + 1]! + 1 : Math.max(lcs[(i + 1) * w + j]!, lcs[i * w + j + 1]!);
      }
    }
    let i = 0;
    let j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && A[i] === B[j]) {
        ops.push({ kind: ' ', line: A[i]!, a: pre + i, b: pre + j });
        i++;
        j++;
      } else if (j < m && (i >= n || lcs[i * w + j + 1]! >= lcs[(i + 1) * w + j]!)) {
        ops.push({ kind: '+', line: B[j]!, a: pre + i, b: pre + j });
        j++;
      } else {
        ops.push({ kind: '-', line: A[i]!, a: pre + i, b: pre + j });
        i++;
      }
    }
  }
  for (let k = 0; k < suf; k++) ops.push({ kind: ' ', line: a[a.length - suf + k]!, a: a.length - suf + k, b: b.length - suf + k });
  return ops;
}

/** Unified diff of `a` → `b` under the names `from`/`to`; empty when equal. */
export function unifiedDiff(a: readonly string[], b: readonly string[], from: string, to: string, context = 3): string {
  const ops = editScript(a, b);
  const changed = ops.map((o, k) => (o.kind !== ' ' ? k : -1)).filter((k) => k >= 0);
  if (!changed.length) return '';
  let out = `--- ${from}\n+++ ${to}\n`;
  let k = 0;
  while (k < changed.length) {
    const start = Math.max(0, changed[k]! - context);
    let end = Math.min(ops.length - 1, changed[k]! + context);
    while (k + 1 < changed.length && changed[k + 1]! - context <= end + 1) {
      k++;
      end = Math.min(ops.length - 1, changed[k]! + context);
    }
    k++;
    const hunk = ops.slice(start, end + 1);
    const aLen = hunk.filter((o) => o.kind !== '+').length;
    const bLen = hunk.filter((o) => o.kind !== '-').length;
    const aStart = hunk[0]!.a + (aLen ? 1 : 0);
    const bStart = hunk[0]!.b + (bLen ? 1 : 0);
    out += `@@ -${aStart},${aLen} +${bStart},${bLen} @@\n`;
    for (const o of hunk) out += `${o.kind}${o.line}\n`;
  }
  return out;
}
