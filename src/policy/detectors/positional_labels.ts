/**
 * Tables whose values are labelled by position, not by key: the header row
 * names each column, and a cell is read under its column's name, as the
 * same value would be under that key in JSON (`{"ssn": "078051120"}`).
 * Text holds such tables as CSV or TSV (the first line is the header;
 * fields may be quoted as RFC 4180 quotes them), as Markdown tables (a row
 * of names over a `|---|---|` row), and as SQL `INSERT INTO t (a, b) VALUES
 * (…), (…)` statements; a 2-D array whose first row is all names is one too
 * ({@linkcode headerNames}, read by the scan).
 *
 * A header has 2 to 200 cells, each a name of at most 64 characters and five
 * words of letters, digits and `_-.#` with a letter among them: a first line
 * of data (`John Smith,078051120`) or of prose is no header. A row is read only when it
 * has as many cells as its header. Reading is one pass over the text and
 * stops once `room` is spent: each character read costs one, each cell (or
 * line with a pipe) {@linkcode CELL_COST} more; {@linkcode tableBudget} is
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
 * headerNames(["Name", "SSN"]); // ["Name", "SSN"]
 * headerNames(["John Smith", "078051120"]); // undefined
 * ```
 */

/** A table read from text: its column names, and its rows of as many cells. */
export interface TextTable {
  header: string[];
  rows: string[][];
}

/** The tables a text holds, and how much of the room reading them used. */
export interface TextTables {
  tables: TextTable[];
  used: number;
}

/**
 * The tables a text holds, the room used, and whether some of a table was
 * left unread: the room ran out while text that may hold its rows was left,
 * or a header had more than 200 names.
 */
export interface TextTablesRead extends TextTables {
  stopped: boolean;
}

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
/** What a cell costs beyond its characters: the detectors run once per cell. */
export const CELL_COST = 32;

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
const MIN_COLUMNS = 2;
/** The most names a header may have: a wider table is not read by column. */
export const MAX_COLUMNS = 200;
const MAX_NAME = 64;
/**
 * A column name: letters, digits and `_-.#`, in at most five words (a
 * sentence is no name), a letter among them.
 */
const NAME = /^[A-Za-z0-9_.#-]{1,64}(?: {1,3}[A-Za-z0-9_.#-]{1,64}){0,4}$/;
const LETTER = /[A-Za-z]/;
/** The longest first line read as a header: 200 names and their delimiters. */
const MAX_HEADER_LINE = MAX_COLUMNS * (MAX_NAME + 3);

const QUOTE = 0x22;
const TAB = 0x09;
const SPACE = 0x20;
const LF = 0x0a;
const CR = 0x0d;
const PIPE = 0x7c;
const BACKSLASH = 0x5c;

/**
 * `cells` as column names when each is one (trimmed), and there are 2 to 200
 * of them; undefined otherwise.
 */
export function headerNames(cells: readonly unknown[]): string[] | undefined {
  if (cells.length < MIN_COLUMNS || cells.length > MAX_COLUMNS) return undefined;
  const names: string[] = [];
  for (const cell of cells) {
    if (typeof cell !== "string" || cell.length > MAX_NAME + 16) return undefined;
    const name = cell.trim();
    if (name.length > MAX_NAME || !NAME.test(name) || !LETTER.test(name)) return undefined;
    names.push(name);
  }
  return names;
}

/**
 * Whether `cells` start with more column names than a header may have (more
 * than 200): a table too wide to read by position, not text that holds none.
 */
export function tooWideHeader(cells: readonly unknown[]): boolean {
  return cells.length > MAX_COLUMNS && headerNames(cells.slice(0, MAX_COLUMNS)) !== undefined &&
    headerNames(cells.slice(MAX_COLUMNS - 1, MAX_COLUMNS + 1)) !== undefined;
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

// CSV and TSV ---------------------------------------------------------------

/**
 * Reads a CSV or TSV text's header and rows into `read`, if its first line is
 * a header (or one too wide to read, which stops it).
 */
function delimitedTable(text: string, room: number, read: TextTablesRead) {
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

function isSpace(c: number, lineBreaks: boolean): boolean {
  return c === SPACE || c === TAB || (lineBreaks && (c === LF || c === CR));
}

// Markdown ------------------------------------------------------------------

/**
 * Reads the Markdown tables of `text` into `read`: a row of names, a
 * delimiter row of as many cells (`|---|:---:|`), then the rows that follow
 * it up to the first line without a `|`. A row of more than 200 names over a
 * delimiter row stops it.
 */
function markdownTables(text: string, room: number, read: TextTablesRead) {
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

// SQL -----------------------------------------------------------------------

/** A test before the statement's: no insert without the word (found as `nsert` or `NSERT` first). */
const INSERT_HINT = /insert/i;
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
function insertTables(text: string, room: number, read: TextTablesRead) {
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
