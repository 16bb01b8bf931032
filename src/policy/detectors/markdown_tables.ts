/**
 * Reads the Markdown tables of a text ({@linkcode markdownTables}): a row
 * of names, a delimiter row of as many cells (`|---|:---:|`), then the rows
 * that follow it. Within `room`, as `positional_labels.ts` describes. Pure.
 *
 * @example
 * ```ts
 * const read: TextTablesRead = { tables: [], used: 0, stopped: false };
 * markdownTables("| Name | SSN |\n|---|---|\n| John | 078051120 |", 1024, read);
 * read.tables; // [{ header: ["Name", "SSN"], rows: [["John", "078051120"]] }]
 * ```
 */
import {
  CELL_COST,
  headerNames,
  MAX_COLUMNS,
  type TextTable,
  type TextTablesRead,
  tooWideHeader,
} from "./text_table.ts";
import { BACKSLASH, CR, isSpace, PIPE } from "./_text_chars.ts";

/**
 * Reads the Markdown tables of `text` into `read`: a row of names, a
 * delimiter row of as many cells (`|---|:---:|`), then the rows that follow
 * it up to the first line without a `|`. A row of more than 200 names over a
 * delimiter row stops it.
 */
export function markdownTables(text: string, room: number, read: TextTablesRead) {
  const tables = read.tables;
  let used = 0;
  let wide = false;
  let previous: string[] | undefined;
  let table: TextTable | undefined;
  const cells: string[] = [];
  // Where the next pipe is, found again only once passed: a line without one costs no search.
  let pipe = -1;
  let at = 0;
  while (at < text.length) {
    let end = text.indexOf("\n", at);
    if (end === -1) end = text.length;
    const next = end + 1;
    if (end > 0 && text.charCodeAt(end - 1) === CR) end--;
    // Past the room, the lines are read only to tell whether a table's row or a new table is left.
    const over = used >= room;
    used += next - at;
    if (pipe < at) {
      pipe = text.indexOf("|", at);
      if (pipe === -1) pipe = Infinity;
    }
    if (pipe === Infinity) {
      at = text.length;
      break;
    }
    const hasPipe = pipe < end;
    if (hasPipe) used += CELL_COST;
    if (table !== undefined) {
      if (hasPipe && pipeCells(text, at, end, cells) === table.header.length) {
        if (over) {
          read.stopped = true;
          break;
        }
        table.rows.push(cells.map((c) => c.trim()));
        used += CELL_COST * (cells.length - 1);
        at = next;
        continue;
      }
      table = undefined;
    }
    if (hasPipe && (previous !== undefined || wide) && isDelimiterRow(text, at, end)) {
      if (wide) {
        read.stopped = true;
        break;
      }
      if (pipeCells(text, at, end, cells) === previous!.length) {
        if (over) {
          read.stopped = true;
          break;
        }
        table = { header: previous!, rows: [] };
        tables.push(table);
        previous = undefined;
        at = next;
        continue;
      }
    }
    const count = hasPipe ? pipeCells(text, at, end, cells) : 0;
    previous = hasPipe && count <= MAX_COLUMNS ? headerNames(cells) : undefined;
    wide = count > MAX_COLUMNS && tooWideHeader(cells);
    at = next;
  }
  read.used += Math.min(used, Math.max(room, 0));
}

/** Whether `text[at, end)` holds only `|`, `:`, `-` and spaces, a `-` among them. */
function isDelimiterRow(text: string, at: number, end: number): boolean {
  let dash = false;
  for (let i = at; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x2d) dash = true;
    else if (c !== PIPE && c !== 0x3a && !isSpace(c, false)) return false;
  }
  return dash;
}

/**
 * Splits the Markdown row `text[at, end)` at its unescaped pipes (one at
 * either end dropped) into `cells`, at most 201 of them, and returns how
 * many cells it has.
 */
function pipeCells(text: string, at: number, end: number, cells: string[]): number {
  cells.length = 0;
  let from = at;
  while (from < end && isSpace(text.charCodeAt(from), false)) from++;
  let to = end;
  while (to > from && isSpace(text.charCodeAt(to - 1), false)) to--;
  if (text.charCodeAt(from) === PIPE) from++;
  if (to > from && text.charCodeAt(to - 1) === PIPE && text.charCodeAt(to - 2) !== BACKSLASH) to--;
  let count = 0;
  let cell = from;
  for (let i = from; i <= to; i++) {
    if (i < to && (text.charCodeAt(i) !== PIPE || text.charCodeAt(i - 1) === BACKSLASH)) continue;
    if (count <= MAX_COLUMNS) cells.push(text.slice(cell, i));
    count++;
    cell = i + 1;
  }
  return count;
}
