/**
 * Tables whose values are labelled by position, not by key: the header row
 * names each column, and a cell is read under its column's name, as the
 * same value would be under that key in JSON (`{"ssn": "078051120"}`).
 * Text holds such tables as CSV or TSV (the first line is the header;
 * fields may be quoted as RFC 4180 quotes them), as Markdown tables (a row
 * of names over a `|---|---|` row), and as SQL `INSERT INTO t (a, b) VALUES
 * (…), (…)` statements; a 2-D array whose first row is all names is one too
 * (`headerNames` in `text_table.ts`, read by the scan). The CSV, Markdown and
 * SQL readers are each in a file of its own (`csv_tables.ts`,
 * `markdown_tables.ts`, `sql_insert_tables.ts`).
 *
 * A header has 2 to 200 cells, each a name of at most 64 characters and five
 * words of letters, digits and `_-.#` with a letter among them: a first line
 * of data (`John Smith,078051120`) or of prose is no header. A row is read only when it
 * has as many cells as its header. Reading is one pass over the text and
 * stops once `room` is spent: each character read costs one, each cell (or
 * line with a pipe) `CELL_COST` (in `text_table.ts`) more; {@linkcode tableBudget} is
 * the room a scan gives, which any table within its text limit fits. {@linkcode readTextTables}
 * says when it stopped with a table's text unread, or met a header of more
 * than 200 names (a table too wide to read): what it left may hold values
 * only their column names label. Pure.
 *
 * @example
 * ```ts
 * textTables("name,ssn\nJohn Smith,078051120\n", 1024)?.tables;
 * // [{ header: ["name", "ssn"], rows: [["John Smith", "078051120"]] }]
 * textTables("| Name | SSN |\n|---|---|\n| John | 078051120 |", 1024)?.tables;
 * // [{ header: ["Name", "SSN"], rows: [["John", "078051120"]] }]
 * ```
 */
import { delimitedTable } from "./csv_tables.ts";
import { markdownTables } from "./markdown_tables.ts";
import { INSERT_HINT, insertTables } from "./sql_insert_tables.ts";
import { CELL_COST, MAX_HEADER_LINE, type TextTables, type TextTablesRead } from "./text_table.ts";
import { PIPE, TAB } from "./_text_chars.ts";

/**
 * The detectors that read the label a value sits under (every other one
 * ignores it): a table's cell is read again by these alone, under its
 * column's name.
 */
export const LABEL_READERS: ReadonlySet<string> = new Set([
  "api_key_assignment",
  "http_authorization",
  "us_ssn",
  "mrn",
  "date_of_birth",
  "icd10_code",
  "npi",
  "dea_number",
]);

/**
 * The room for reading tables in a scan of `maxChars` characters: what a
 * table of that much text can cost at most. A table has at most one cell
 * per character (a row's cells are parted by a delimiter, a row ends in a
 * line break, its header holds none), so it costs at most `1 + CELL_COST`
 * per character: a table the text scan reads whole is read whole by column
 * too, and only more cells than that much text holds (a sheet of empty
 * strings, tables read twice over) exhaust it. About a million cells for
 * the scan's 1 MiB.
 *
 * @example
 * ```ts
 * tableBudget(1024); // 33792
 * ```
 */
export function tableBudget(maxChars: number): number {
  return maxChars * (1 + CELL_COST);
}

/**
 * Whether `text` may hold a table, as a few searches tell: a first line with
 * a delimiter, or a pipe, after which a line follows (CSV, Markdown), or the
 * word `insert` and a parenthesis (SQL). Most text fails them at once.
 */
export function mayHoldTable(text: string): boolean {
  if (text.length < 7) return false;
  const firstBreak = text.indexOf("\n");
  if (firstBreak !== -1) {
    const end = Math.min(firstBreak, MAX_HEADER_LINE);
    for (let i = 0; i < end; i++) {
      const c = text.charCodeAt(i);
      if (c === 0x2c || c === TAB || c === 0x3b || c === PIPE) return true;
    }
    if (text.indexOf("|", firstBreak) !== -1) return true;
  }
  return text.indexOf("(") !== -1 &&
    (text.indexOf("nsert") !== -1 || text.indexOf("NSERT") !== -1);
}

/**
 * The tables `text` holds as CSV or TSV, Markdown or SQL inserts, read within
 * `room`; undefined when it holds none. Text with no line break and no
 * parenthesis is not read at all; other text without a table is read once,
 * within its own length, and costs the room nothing.
 */
export function textTables(text: string, room: number): TextTables | undefined {
  if (room <= 0) return undefined;
  const read = readTextTables(text, room);
  return read.tables.length === 0 ? undefined : { tables: read.tables, used: read.used };
}

/**
 * {@linkcode textTables}, and whether it stopped with some of a table unread
 * (see {@linkcode TextTablesRead}); with no room left, whether `text` holds a
 * table at all.
 */
export function readTextTables(text: string, room: number): TextTablesRead {
  const read: TextTablesRead = { tables: [], used: 0, stopped: false };
  if (text.length < 7) return read;
  const lines = text.indexOf("\n") !== -1;
  const sql = text.indexOf("(") !== -1;
  if (!lines && !sql) return read;
  if (lines) {
    delimitedTable(text, room, read);
    if (text.indexOf("|") !== -1) markdownTables(text, room - read.used, read);
  }
  if (
    sql && (text.indexOf("nsert") !== -1 || text.indexOf("NSERT") !== -1) &&
    INSERT_HINT.test(text)
  ) insertTables(text, room - read.used, read);
  return read;
}
