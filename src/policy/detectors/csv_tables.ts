/**
 * Reads a CSV or TSV table ({@linkcode delimitedTable}): the first line is
 * the header (a tab, else a comma, else a semicolon parts its names), and a
 * row of as many cells follows on each line; fields may be quoted as RFC 4180
 * quotes them. Within `room`, as `positional_labels.ts` describes. Pure.
 *
 * @example
 * ```ts
 * const read: TextTablesRead = { tables: [], used: 0, stopped: false };
 * delimitedTable("name,ssn\nJohn Smith,078051120\n", 1024, read);
 * read.tables; // [{ header: ["name", "ssn"], rows: [["John Smith", "078051120"]] }]
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
import { CR, isSpace, LF, QUOTE, SPACE, TAB } from "./_text_chars.ts";

/**
 * Reads a CSV or TSV text's header and rows into `read`, if its first line is
 * a header (or one too wide to read, which stops it).
 */
export function delimitedTable(text: string, room: number, read: TextTablesRead) {
  let start = 0;
  while (start < text.length && isSpace(text.charCodeAt(start), true)) start++;
  if (text.charCodeAt(start) === 0xfeff) start++;
  let lineEnd = text.indexOf("\n", start);
  if (lineEnd === -1) return;
  const long = lineEnd - start > MAX_HEADER_LINE;
  if (!long && text.charCodeAt(lineEnd - 1) === CR) lineEnd--;
  const delimiter = delimiterOf(text, start, Math.min(lineEnd, start + MAX_HEADER_LINE));
  if (delimiter === undefined) return;
  const row: string[] = [];
  let at = csvRow(text, start, Math.min(text.length, start + MAX_HEADER_LINE), delimiter, row);
  if (tooWideHeader(row)) {
    read.stopped = true;
    return;
  }
  const header = long ? undefined : headerNames(row);
  if (header === undefined) return;
  const table: TextTable = { header, rows: [] };
  let used = at - start;
  while (at < text.length && used < room) {
    const from = at;
    const limit = Math.min(text.length, at + room - used);
    at = csvRow(text, at, limit, delimiter, row);
    used += at - from + CELL_COST * row.length;
    if (row.length === header.length) table.rows.push(row.slice());
    // A row the room cut short is read no further.
    if (at === limit && limit < text.length) read.stopped = true;
  }
  // Past the room, the rows are read only to tell whether one of the header's width is left.
  while (at < text.length && !read.stopped) {
    at = csvRow(text, at, text.length, delimiter, row);
    if (row.length === header.length) read.stopped = true;
  }
  if (table.rows.length > 0) {
    read.used += used;
    read.tables.push(table);
  }
}

/** The delimiter of a header line `text[at, end)`: a tab, else a comma, else a semicolon. */
function delimiterOf(text: string, at: number, end: number): number | undefined {
  let found: number | undefined;
  for (let i = at; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === TAB) return TAB;
    if (c === 0x2c) found = 0x2c;
    else if (c === 0x3b && found === undefined) found = 0x3b;
  }
  return found;
}

/**
 * Reads the CSV record at `at` (not past `end`) into `row`, at most 201 cells
 * of it, and returns where the next one starts. A field in double quotes may
 * hold the delimiter, line breaks and doubled quotes; one without ends at the
 * delimiter or the line's end.
 */
function csvRow(text: string, at: number, end: number, delimiter: number, row: string[]): number {
  row.length = 0;
  let i = at;
  for (;;) {
    let field: string;
    let j = i;
    while (j < end && text.charCodeAt(j) === SPACE) j++;
    if (j < end && text.charCodeAt(j) === QUOTE) {
      field = "";
      i = j + 1;
      let from = i;
      for (;;) {
        if (i >= end) {
          field += text.slice(from, end);
          break;
        }
        if (text.charCodeAt(i) === QUOTE) {
          field += text.slice(from, i);
          i++;
          if (text.charCodeAt(i) !== QUOTE || i >= end) break;
          field += '"';
          from = ++i;
        } else i++;
      }
      // What follows a closing quote up to the delimiter is kept, as lenient readers keep it.
      from = i;
      while (i < end && !endsField(text.charCodeAt(i), delimiter)) i++;
      field += text.slice(from, i);
    } else {
      const from = i;
      while (i < end && !endsField(text.charCodeAt(i), delimiter)) i++;
      field = text.slice(from, i);
    }
    if (row.length <= MAX_COLUMNS) row.push(field);
    if (i < end && text.charCodeAt(i) === delimiter) {
      i++;
      continue;
    }
    if (i < end && text.charCodeAt(i) === CR) i++;
    if (i < end && text.charCodeAt(i) === LF) i++;
    return i;
  }
}

function endsField(c: number, delimiter: number): boolean {
  return c === delimiter || c === LF || c === CR;
}
