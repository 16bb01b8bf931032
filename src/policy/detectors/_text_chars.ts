/**
 * The character codes the readers of tables in text test, and whether one is
 * a space ({@linkcode isSpace}). Private to `detectors/`: the CSV and TSV
 * (`csv_tables.ts`), Markdown (`markdown_tables.ts`) and SQL
 * (`sql_insert_tables.ts`) readers and `positional_labels.ts` use it. Pure.
 *
 * @example
 * ```ts
 * isSpace(TAB, false); // true
 * isSpace(LF, false); // false: a line break, not a space
 * ```
 */

/** The character codes the readers test. */
export const QUOTE = 0x22;
export const TAB = 0x09;
export const SPACE = 0x20;
export const LF = 0x0a;
export const CR = 0x0d;
export const PIPE = 0x7c;
export const BACKSLASH = 0x5c;

/** Whether `c` is a space or tab (or, with `lineBreaks`, a line break). */
export function isSpace(c: number, lineBreaks: boolean): boolean {
  return c === SPACE || c === TAB || (lineBreaks && (c === LF || c === CR));
}
