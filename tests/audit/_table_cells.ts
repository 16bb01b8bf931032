/**
 * Reads the table `thoth audit show` and `audit tail` print back into cells:
 * each column starts where its header does (cells are padded to the widest),
 * so a row sliced at the header's offsets gives each cell, trimmed.
 *
 * @example
 * ```ts
 * const rows = tableCells(formatRecordTable(records));
 * rows[0]!["EFFECT"]; // "blocked"
 * ```
 */

/**
 * The columns of the table, in the order printed: what the tests expect of
 * `formatRecordTable`'s header, stated here on its own so that a column
 * renamed, dropped or moved there fails them.
 */
export const TABLE_COLUMNS: readonly string[] =
  "TIME (UTC)|SEQ|TYPE|DECISION|SERVER|TOOL|VERDICT|EFFECT|RULE|MODE|DETAIL".split("|");

/** One row of the table: each cell by its column's header. */
export type TableRow = Record<string, string>;

/**
 * The rows of `table`, each cell by its column's header; throws when the
 * header is not {@linkcode TABLE_COLUMNS} in that order.
 */
export function tableCells(table: string): TableRow[] {
  const [header, ...rows] = table.split("\n").filter((line) => line !== "");
  const starts = TABLE_COLUMNS.map((name) => header!.indexOf(name));
  const printed = header!.split(/ {2,}/);
  if (printed.join("|") !== TABLE_COLUMNS.join("|")) {
    throw new Error(`the table's columns are ${printed.join(", ")}:\n${table}`);
  }
  return rows.map((row) => {
    const cells = {} as TableRow;
    TABLE_COLUMNS.forEach((name, i) => {
      cells[name] = row.slice(starts[i], starts[i + 1]).trim();
    });
    return cells;
  });
}
