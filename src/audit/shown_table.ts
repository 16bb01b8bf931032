/**
 * Prints `thoth audit show`'s table from what `readShownRecords` kept. Each
 * column is as wide as its widest cell, so the rows are all made before the
 * first line is printed: up to a limit they are held (one pass over the
 * log); past it, none is held and the log is read twice more (see
 * `ShownRecords.again`), once to find the widths and once to print, so the
 * table of a million records costs the reading time of three passes, not a
 * million rows in memory, and prints the same lines.
 *
 * @example
 * ```ts
 * const shown = await readShownRecords(dir, filters, { joins: true, keep: tableRow, keepAtMost: TABLE_ROWS_HELD });
 * await printShownTable(shown, (line) => console.log(line));
 * ```
 */
import { joinRow, tableLines, type TableRow } from "./format_records.ts";
import type { ShownRecords } from "./shown_records.ts";
import { alignedLine, TABLE_HEADER, widenFor } from "./table_layout.ts";

/** How many rows `show` holds before it reads the log again instead (a few MiB of rows). */
export const TABLE_ROWS_HELD = 10_000;

/** Hands `line` each line of the table of `shown`, header first, without newlines. */
export async function printShownTable(
  shown: ShownRecords<TableRow>,
  line: (text: string) => void,
): Promise<void> {
  const again = shown.again;
  if (again === undefined) {
    for (const text of tableLines(shown.kept, shown.joins)) line(text);
    return;
  }
  const widths = TABLE_HEADER.map((h) => h.length);
  await again((row) => widenFor(widths, joinRow(row, shown.joins)));
  line(alignedLine(TABLE_HEADER, widths));
  await again((row) => line(alignedLine(joinRow(row, shown.joins), widths)));
}
