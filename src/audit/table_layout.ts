/**
 * The layout of `thoth audit show`'s table: its header, column widths that
 * grow to fit each row, and a row padded to them. Pure.
 *
 * @example
 * ```ts
 * const widths = TABLE_HEADER.map((h) => h.length);
 * for (const cells of rows) widenFor(widths, cells);
 * console.log(alignedLine(TABLE_HEADER, widths));
 * ```
 */

/** The table's header cells. */
export const TABLE_HEADER: readonly string[] = [
  "TIME (UTC)",
  "SEQ",
  "TYPE",
  "DECISION",
  "SERVER",
  "TOOL",
  "VERDICT",
  "EFFECT",
  "RULE",
  "MODE",
  "DETAIL",
];

/**
 * Widens `widths` (one per column) to fit `cells`. Called a row at a time,
 * not with `Math.max(...cells)` over a column: a million arguments overflow
 * the stack.
 */
export function widenFor(widths: number[], cells: readonly string[]): void {
  cells.forEach((cell, i) => {
    if (cell.length > widths[i]!) widths[i] = cell.length;
  });
}

/** One line of the table: `cells` padded to `widths`, two spaces apart, without trailing spaces. */
export function alignedLine(cells: readonly string[], widths: readonly number[]): string {
  return cells.map((c, i) => c.padEnd(widths[i]!)).join("  ").trimEnd();
}
