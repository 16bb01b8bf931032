/**
 * A unified diff of two texts, line by line, for `--dry-run`. Pure, no
 * dependency: common head and tail are trimmed, the middle is aligned by a
 * longest-common-subsequence table (a wholesale replace when the middle is too
 * large to align cheaply).
 *
 * @example
 * ```ts
 * unifiedDiff("a\nb\n", "a\nc\n", { from: "old.json", to: "new.json" });
 * // "--- old.json\n+++ new.json\n@@ -1,2 +1,2 @@\n a\n-b\n+c\n"
 * ```
 */

/** Labels and context size. */
export interface DiffOptions {
  /** The label of the old text (`--- …`). */
  from: string;
  /** The label of the new text (`+++ …`). */
  to: string;
  /** Unchanged lines shown around each change (3 by default). */
  context?: number;
}

type Op = { kind: " " | "-" | "+"; line: string; a: number; b: number };

const MAX_CELLS = 4_000_000;

/** Returns the diff, or "" when the texts are equal. */
export function unifiedDiff(before: string, after: string, options: DiffOptions): string {
  if (before === after) return "";
  const context = options.context ?? 3;
  const a = splitLines(before);
  const b = splitLines(after);
  const ops = align(a, b);
  const out = [`--- ${options.from}`, `+++ ${options.to}`];
  const changed = ops.map((op, i) => op.kind !== " " ? i : -1).filter((i) => i >= 0);
  let index = 0;
  while (index < changed.length) {
    const start = Math.max(0, changed[index]! - context);
    let end = changed[index]! + context;
    while (index + 1 < changed.length && changed[index + 1]! - context <= end + 1) {
      index++;
      end = changed[index]! + context;
    }
    end = Math.min(ops.length - 1, end);
    const hunk = ops.slice(start, end + 1);
    const aCount = hunk.filter((op) => op.kind !== "+").length;
    const bCount = hunk.filter((op) => op.kind !== "-").length;
    const aStart = aCount === 0 ? hunk[0]!.a : hunk[0]!.a + 1;
    const bStart = bCount === 0 ? hunk[0]!.b : hunk[0]!.b + 1;
    out.push(`@@ -${range(aStart, aCount)} +${range(bStart, bCount)} @@`);
    for (const op of hunk) out.push(op.kind + op.line);
    index++;
  }
  return out.join("\n") + "\n";
}

function range(start: number, count: number): string {
  return count === 1 ? `${start}` : `${start},${count}`;
}

/** Splits into lines; a missing final newline is marked the way diff(1) does. */
function splitLines(text: string): string[] {
  if (text === "") return [];
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  else lines[lines.length - 1] += "\n\\ No newline at end of file";
  return lines.map((line) => line.replace(/\r$/, "").replace(/\r(\n\\ No newline)/, "$1"));
}

function align(a: string[], b: string[]): Op[] {
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (
    tail < a.length - head && tail < b.length - head &&
    a[a.length - 1 - tail] === b[b.length - 1 - tail]
  ) tail++;
  const ops: Op[] = [];
  for (let i = 0; i < head; i++) ops.push({ kind: " ", line: a[i]!, a: i, b: i });
  const midA = a.slice(head, a.length - tail);
  const midB = b.slice(head, b.length - tail);
  const n = midA.length;
  const m = midB.length;
  if (n * m > MAX_CELLS) {
    midA.forEach((line, i) => ops.push({ kind: "-", line, a: head + i, b: head }));
    midB.forEach((line, j) => ops.push({ kind: "+", line, a: head + n, b: head + j }));
  } else {
    const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
    for (let i = n - 1; i >= 0; i--) {
      for (let j = m - 1; j >= 0; j--) {
        lcs[i]![j] = midA[i] === midB[j]
          ? lcs[i + 1]![j + 1]! + 1
          : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
      }
    }
    let i = 0;
    let j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && midA[i] === midB[j]) {
        ops.push({ kind: " ", line: midA[i]!, a: head + i, b: head + j });
        i++;
        j++;
      } else if (i < n && (j === m || lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) {
        ops.push({ kind: "-", line: midA[i]!, a: head + i, b: head + j });
        i++;
      } else {
        ops.push({ kind: "+", line: midB[j]!, a: head + i, b: head + j });
        j++;
      }
    }
  }
  for (let k = tail; k > 0; k--) {
    const i = a.length - k;
    const j = b.length - k;
    ops.push({ kind: " ", line: a[i]!, a: i, b: j });
  }
  return ops;
}
