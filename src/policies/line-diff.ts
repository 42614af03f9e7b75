/**
 * A readable unified-style line diff (LCS-based): `--- a`/`+++ b` headers, then hunks of
 * `@@ -l,n +l,n @@` with ` ` context, `-` removed and `+` added lines. Empty string when equal.
 */
export function lineDiff(before: string, after: string, options: { context?: number; from?: string; to?: string } = {}): string {
  const a = before.split('\n');
  const b = after.split('\n');
  if (before === after) return '';
  const context = options.context ?? 3;
  // trim the common head and tail so the LCS table stays small for long, mostly equal texts
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const midA = a.slice(head, a.length - tail);
  const midB = b.slice(head, b.length - tail);
  const n = midA.length;
  const m = midB.length;
  const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i]![j] = midA[i] === midB[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  type Op = { kind: ' ' | '-' | '+'; text: string; ai: number; bi: number };
  const ops: Op[] = [];
  for (let k = 0; k < head; k++) ops.push({ kind: ' ', text: a[k]!, ai: k, bi: k });
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && midA[i] === midB[j]) {
      ops.push({ kind: ' ', text: midA[i]!, ai: head + i, bi: head + j });
      i++;
      j++;
    } else if (i < n && (j >= m || lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) {
      ops.push({ kind: '-', text: midA[i]!, ai: head + i, bi: head + j });
      i++;
    } else {
      ops.push({ kind: '+', text: midB[j]!, ai: head + i, bi: head + j });
      j++;
    }
  }
  for (let k = 0; k < tail; k++) ops.push({ kind: ' ', text: a[a.length - tail + k]!, ai: a.length - tail + k, bi: b.length - tail + k });

  const out: string[] = [`--- ${options.from ?? 'a'}`, `+++ ${options.to ?? 'b'}`];
  let k = 0;
  while (k < ops.length) {
    while (k < ops.length && ops[k]!.kind === ' ') k++;
    if (k >= ops.length) break;
    const start = Math.max(0, k - context);
    let end = k;
    // extend while changes are within 2×context of each other
    for (;;) {
      while (end < ops.length && ops[end]!.kind !== ' ') end++;
      let next = end;
      while (next < ops.length && ops[next]!.kind === ' ') next++;
      if (next < ops.length && next - end <= 2 * context) end = next;
      else break;
    }
    const stop = Math.min(ops.length, end + context);
    const hunk = ops.slice(start, stop);
    const aCount = hunk.filter((o) => o.kind !== '+').length;
    const bCount = hunk.filter((o) => o.kind !== '-').length;
    out.push(`@@ -${hunk[0]!.ai + 1},${aCount} +${hunk[0]!.bi + 1},${bCount} @@`);
    for (const o of hunk) out.push(`${o.kind}${o.text}`);
    k = stop;
  }
  return out.join('\n') + '\n';
}
