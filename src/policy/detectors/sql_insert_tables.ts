/**
 * Reads the rows of SQL `INSERT INTO t (a, b) VALUES (…), (…)` statements
 * ({@linkcode insertTables}), each under the statement's column names;
 * {@linkcode INSERT_HINT} is the cheap test before it. Within `room`, as
 * `positional_labels.ts` describes. Pure.
 *
 * @example
 * ```ts
 * const read: TextTablesRead = { tables: [], used: 0, stopped: false };
 * insertTables("INSERT INTO p (name, ssn) VALUES ('Ana', '078051120');", 1024, read);
 * read.tables; // [{ header: ["name", "ssn"], rows: [["Ana", "078051120"]] }]
 * ```
 */
import {
  CELL_COST,
  headerNames,
  MAX_COLUMNS,
  MAX_HEADER_LINE,
  type TextTable,
  type TextTablesRead,
  tooWideHeader,
} from "./text_table.ts";
import { BACKSLASH, isSpace, QUOTE } from "./_text_chars.ts";

/** A test before the statement's: no insert without the word (found as `nsert` or `NSERT` first). */
export const INSERT_HINT = /insert/i;

/**
 * `INSERT [IGNORE | OR REPLACE] INTO name (columns) VALUES`, the column list
 * up to 13,200 characters without parentheses.
 */
const INSERT = new RegExp(
  String.raw`(?<![\w$])insert(?:\s{1,8}(?:ignore|or\s{1,8}[a-z]{1,10}))?\s{1,8}into\s{1,8}` +
    String.raw`[\w$."\x60\[\]]{1,256}\s{0,8}\(([^()]{1,${MAX_HEADER_LINE}})\)\s{0,8}values\s{0,8}`,
  "gi",
);
/** The quotes around an SQL identifier: `"ssn"`, `` `ssn` ``, `[ssn]`. */
const IDENTIFIER_QUOTES = /^["\x60\[]|["\x60\]]$/g;

/**
 * Reads the rows of each `INSERT … (columns) VALUES (…), (…)` into `read`;
 * a list of more than 200 column names stops it.
 */
export function insertTables(text: string, room: number, read: TextTablesRead) {
  const tables = read.tables;
  let used = 0;
  INSERT.lastIndex = 0;
  let m = INSERT.exec(text);
  for (; m !== null && used < room; m = INSERT.exec(text)) {
    used += m[0].length;
    const names = m[1]!.split(",", MAX_COLUMNS + 1).map((c) =>
      c.trim().replace(IDENTIFIER_QUOTES, "")
    );
    if (tooWideHeader(names)) read.stopped = true;
    const header = headerNames(names);
    if (header === undefined) continue;
    const table: TextTable = { header, rows: [] };
    let at = INSERT.lastIndex;
    const row: string[] = [];
    while (at < text.length && text.charCodeAt(at) === 0x28) {
      if (used >= room) {
        read.stopped = true;
        break;
      }
      const limit = Math.min(text.length, at + room - used);
      const end = sqlTuple(text, at + 1, limit, row);
      // A tuple the room cut short is read no further.
      if (end === limit && limit < text.length) read.stopped = true;
      used += end - at + CELL_COST * row.length;
      if (row.length === header.length) table.rows.push(row.slice());
      at = end;
      while (at < text.length && isSpace(text.charCodeAt(at), true)) at++;
      if (text.charCodeAt(at) !== 0x2c) break;
      at++;
      while (at < text.length && isSpace(text.charCodeAt(at), true)) at++;
    }
    INSERT.lastIndex = at;
    if (table.rows.length > 0) tables.push(table);
  }
  // The room ran out with a statement ahead: one with a header is left unread.
  for (; m !== null && !read.stopped; m = INSERT.exec(text)) {
    const names = m[1]!.split(",", MAX_COLUMNS + 1).map((c) =>
      c.trim().replace(IDENTIFIER_QUOTES, "")
    );
    if (tooWideHeader(names) || headerNames(names) !== undefined) read.stopped = true;
  }
  read.used += used;
}

/**
 * Reads the values of the SQL tuple that starts at `at` (past its `(`) into
 * `row` and returns where it ends (past its `)`): quoted strings (`''` and
 * a backslash escape a quote) as their text, anything else (numbers, NULL,
 * `now()`) as written.
 */
function sqlTuple(text: string, at: number, end: number, row: string[]): number {
  row.length = 0;
  let i = at;
  let value = "";
  let depth = 0;
  let from = i;
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c === 0x27 || c === QUOTE) {
      value += text.slice(from, i);
      i++;
      from = i;
      while (i < end) {
        const d = text.charCodeAt(i);
        if (d === BACKSLASH) {
          value += text.slice(from, i);
          from = i + 1;
          i += 2;
        } else if (d === c && text.charCodeAt(i + 1) === c) {
          value += text.slice(from, i + 1);
          i += 2;
          from = i;
        } else if (d === c) break;
        else i++;
      }
      value += text.slice(from, Math.min(i, end));
      from = ++i;
      continue;
    }
    if (c === 0x28) depth++;
    else if ((c === 0x2c || c === 0x29) && depth === 0) {
      value += text.slice(from, i);
      if (row.length <= MAX_COLUMNS) row.push(value.trim());
      value = "";
      from = i + 1;
      if (c === 0x29) return i + 1;
    } else if (c === 0x29) depth--;
    i++;
  }
  return end;
}
