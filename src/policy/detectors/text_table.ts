/**
 * What the readers of tables in text share ({@linkcode TextTable}, what
 * they read into, and {@linkcode CELL_COST}, what a cell costs), and the test
 * of a header: 2 to 200 names ({@linkcode headerNames}), or more than a
 * header may have ({@linkcode tooWideHeader}). The CSV and TSV
 * (`csv_tables.ts`), Markdown (`markdown_tables.ts`) and SQL
 * (`sql_insert_tables.ts`) readers use it, and the scan tests a 2-D array's
 * first row with it. Pure.
 *
 * @example
 * ```ts
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

/** What a cell costs beyond its characters: the detectors run once per cell. */
export const CELL_COST = 32;

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
export const MAX_HEADER_LINE = MAX_COLUMNS * (MAX_NAME + 3);

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
