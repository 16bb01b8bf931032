/**
 * Line and column numbers in a text as an editor shows them: a line ends at
 * `\n`, at `\r\n` and at a lone `\r` (a classic Mac file), and a column
 * counts UTF-16 code units from 1. Pure.
 *
 * @example
 * ```ts
 * const starts = lineStarts("a\rb\r\nc");
 * lineColumnAt(starts, 5); // { line: 3, column: 1 }
 * ```
 */

/** The offset where each line of `text` starts, the first line's (0) first. */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) starts.push(i + 1);
    else if (c === 13 && text.charCodeAt(i + 1) !== 10) starts.push(i + 1);
  }
  return starts;
}

/** The line and column of `offset`, given the text's {@linkcode lineStarts}. */
export function lineColumnAt(
  starts: readonly number[],
  offset: number,
): { line: number; column: number } {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - starts[lo]! + 1 };
}
