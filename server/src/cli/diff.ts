/**
 * A unified diff of two texts (`diff -u`, three lines of context), for `check --fix-dry-run`.
 * Lines are compared whole; the longest common subsequence decides what changed (files are small:
 * the table is bounded by trimming the common head and tail first).
 */

export function unifiedDiff(oldName: string, newName: string, before: string, after: string, context = 3): string {
  if (before === after) return '';
  const a = splitLines(before);
  const b = splitLines(after);
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const ma = a.slice(head, a.length - tail);
  const mb = b.slice(head, b.length - tail);
  // ops over the middle: ' ' kept, '-' removed, '+' added, with indexes into a and b.
  const ops: Array<{ op: ' ' | '-' | '+'; line: string }> = [];
  for (let i = 0; i < head; i++) ops.push({ op: ' ', line: a[i]! });
  ops.push(...lcsOps(ma, mb));
  for (let i = a.length - tail; i < a.length; i++) ops.push({ op: ' ', line: a[i]! });
  // Hunks: runs of changes with `context` lines around them.
  const out = [`--- ${oldName}`, `+++ ${newName}`];
  let i = 0;
  let aLine = 1;
  let bLine = 1;
  const lineNumbers: Array<{ a: number; b: number }> = [];
  for (const o of ops) {
    lineNumbers.push({ a: aLine, b: bLine });
    if (o.op !== '+') aLine++;
    if (o.op !== '-') bLine++;
  }
  while (i < ops.length) {
    while (i < ops.length && ops[i]!.op === ' ') i++;
    if (i >= ops.length) break;
    const start = Math.max(0, i - context);
    let end = i;
    for (;;) {
      while (end < ops.length && ops[end]!.op !== ' ') end++;
      let next = end;
      while (next < ops.length && ops[next]!.op === ' ') next++;
      if (next < ops.length && next - end <= context * 2) end = next;
      else {
        end = Math.min(ops.length, end + context);
        break;
      }
    }
    const slice = ops.slice(start, end);
    const aCount = slice.filter((o) => o.op !== '+').length;
    const bCount = slice.filter((o) => o.op !== '-').length;
    const at = lineNumbers[start]!;
    out.push(`@@ -${aCount === 0 ? at.a - 1 : at.a},${aCount} +${bCount === 0 ? at.b - 1 : at.b},${bCount} @@`);
    for (const o of slice) out.push(o.op + o.line);
    i = end;
  }
  return out.join('\n') + '\n';
}

function splitLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

function lcsOps(a: string[], b: string[]): Array<{ op: ' ' | '-' | '+'; line: string }> {
  const n = a.length;
  const m = b.length;
  const table: Uint32Array[] = [];
  for (let i = 0; i <= n; i++) table.push(new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) table[i]![j] = a[i] === b[j] ? table[i + 1]![j + 1]! + 1 : Math.max(table[i + 1]![j]!, table[i]![j + 1]!);
  }
  const ops: Array<{ op: ' ' | '-' | '+'; line: string }> = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      ops.push({ op: ' ', line: a[i]! });
      i++;
      j++;
    } else if (table[i + 1]![j]! >= table[i]![j + 1]!) ops.push({ op: '-', line: a[i++]! });
    else ops.push({ op: '+', line: b[j++]! });
  }
  while (i < n) ops.push({ op: '-', line: a[i++]! });
  while (j < m) ops.push({ op: '+', line: b[j++]! });
  return ops;
}
