/**
 * Where a parameter expansion's braces close in a shell's text, as bash
 * reads them: `${…}` ends at its first `}` that is not quoted (`'…'`,
 * `"…"`, `$'…'`) or escaped (`\}`) and that no nested `${` holds; a `{`
 * in it opens nothing (`${x:-{a}` is `{a`). Pure, linear in what it passes.
 *
 * @example
 * ```ts
 * parameterClose("${x:-'}'} ; y", 2); // 8: the `}` after the quote
 * ```
 */

/**
 * The index of the `}` that closes the parameter whose braces' text starts
 * at `from` in `text` (just past `${`), or -1 when it has none.
 */
export function parameterClose(text: string, from: number): number {
  const n = text.length;
  let depth = 1;
  let i = from;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 92) i += 2;
    else if (c === 39) {
      // '…', or $'…' with its `\` escapes.
      const escapes = text.charCodeAt(i - 1) === 36;
      i++;
      while (i < n && text.charCodeAt(i) !== 39) i += escapes && text.charCodeAt(i) === 92 ? 2 : 1;
      i++;
    } else if (c === 34) {
      i++;
      while (i < n && text.charCodeAt(i) !== 34) i += text.charCodeAt(i) === 92 ? 2 : 1;
      i++;
    } else if (c === 36 && text.charCodeAt(i + 1) === 123) {
      depth++;
      i += 2;
    } else if (c === 125 && --depth === 0) return i;
    else i++;
  }
  return -1;
}
