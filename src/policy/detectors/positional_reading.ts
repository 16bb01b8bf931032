/**
 * The readings by position of one scan of a call's arguments: tables a
 * string holds (CSV, TSV, Markdown, SQL `INSERT … (columns) VALUES`, see
 * {@linkcode readTextTables}) and the rows of a 2-D array whose first row is
 * all names, each cell read under its column's name by the detectors that
 * read labels ({@linkcode LABEL_READERS}). A finding in text is reported at
 * the string plus the column (`content[ssn]`, or `content[#c1]` for a name
 * `keyInClear` would not show), unless the string was found to hold the same
 * already. These readings, and a key's lines read joined, have a budget of
 * their own, {@linkcode tableBudget} of the scan's `maxChars`: each character
 * read costs one and each cell {@linkcode CELL_COST} more, and the budget is
 * what a table of `maxChars` characters can cost at most, so any table the
 * text scan reads whole is read whole by column too; a cell is read whole,
 * however long. When the budget leaves some of a table unread (a row of its
 * header's width, a new table, the rest of a string that may hold one, a
 * key's lines), or a header has more than 200 names, the scan is capped
 * (`table`): a value there may be labelled by its column alone. Pure.
 *
 * @example
 * ```ts
 * // The scan at `content` (its `path`), with nothing found there yet:
 * const positional = new PositionalReading(scan); // scan: its `ScanContext`
 * positional.tables("name,ssn\nAna,123-45-6789", "content", 0);
 * state.findings; // [{ kind: "phi", type: "us_ssn", path: "content[ssn]" }]
 * ```
 */
import type { DetectorSpec } from "./detector_spec.ts";
import { type DigitCensus, digitCensus, meetsDigitNeed } from "./digit_census.ts";
import { keyInClear } from "./key_in_clear.ts";
import { detectionText } from "./detection_text.ts";
import { childLabel } from "./named_value_label.ts";
import { LABEL_READERS, readTextTables, tableBudget } from "./positional_labels.ts";
import { CELL_COST } from "./text_table.ts";
import { integerDigits, isRawJson } from "../../protocol/exact_integers.ts";
import { capBy } from "./scan_result.ts";
import { enterPath, leavePath, pathText } from "./scan_path.ts";
import type { ScanContext } from "./scan_context.ts";
import { MIN_INTERESTING } from "./scan_limits.ts";

/**
 * Reads tables a call holds, cell by cell under their column's name, with
 * the detectors that read labels, and keeps the budget of these readings
 * (and of a key's lines joined): {@linkcode tableBudget} of the scan's
 * `maxChars`, what a table of that much text can cost at most.
 */
export class PositionalReading {
  #chars = 0;
  readonly #room: number;
  #readers: DetectorSpec[] | undefined;
  /**
   * The scan (see `scan_context.ts`): its `state` is capped when the budget
   * leaves a table unread, and no text longer than its `budget` (its
   * `maxChars`) is read as a table.
   */
  constructor(readonly scan: ScanContext) {
    this.#room = tableBudget(scan.budget);
  }

  /** Counts `cost` against the budget; false when it does not fit. */
  spend(cost: number): boolean {
    if (this.#chars + cost > this.#room) return false;
    this.#chars += cost;
    return true;
  }

  /**
   * Reads the tables `value` holds (CSV, Markdown, SQL inserts), the scan
   * `held` levels deep; what the budget leaves unread caps the scan.
   */
  tables(value: string, label: string | undefined, held: number) {
    // Past the room, the text is still looked through for a table's row left unread; past
    // the budget (a string the text scan caps too), not at all.
    const { budget, state } = this.scan;
    const room = Math.max(0, this.#room - this.#chars);
    if (value.length > budget) capBy(state, "size");
    const read = readTextTables(value.length > budget ? value.slice(0, budget) : value, room);
    if (read.stopped) capBy(state, "table");
    if (read.tables.length === 0) return;
    // Reading the tables charged each cell: its characters and CELL_COST.
    this.#chars += read.used;
    for (const { header, rows } of read.tables) {
      const columns = header.map((name) => childLabel(name, undefined));
      // A column is shown by its name as a key would be, else by its position.
      const suffixes = header.map((name, j) => keyInClear(name, label) ? `[${name}]` : `[#c${j}]`);
      for (const row of rows) {
        for (let j = 0; j < row.length; j++) {
          const column = columns[j];
          if (column !== undefined) this.#cell(row[j]!, column, suffixes[j]!, held);
        }
      }
    }
  }

  /** Reads a row of a 2-D array after its header row, each cell under its column's name. */
  row(row: unknown[], columns: (string | undefined)[], label: string | undefined, held: number) {
    const path = this.scan.path;
    for (let j = 0; j < row.length && j < columns.length; j++) {
      const column = columns[j];
      const cell = cellText(row[j]);
      if (column === undefined || cell === undefined) continue;
      if (!this.spend(cell.length + CELL_COST)) {
        // The budget leaves this row's cells, and the rows after it, unread.
        capBy(this.scan.state, "table");
        return;
      }
      if (held === 0) enterPath(path, j, j, label);
      this.#cell(cell, column, "", held);
      if (held === 0) leavePath(path);
    }
  }

  /**
   * Runs the label readers on one cell under its column's name. A finding is
   * reported at the path the scan is at plus `suffix` (the column, for a
   * table in text), unless the text there was found to hold the same already.
   */
  #cell(cell: string, column: string, suffix: string, held: number) {
    const { budget, detectors, path, seen, state } = this.scan;
    const text = detectionText(cell, budget);
    if (text.length < MIN_INTERESTING) return;
    this.#readers ??= detectors.filter((d) => LABEL_READERS.has(d.type));
    let digits: DigitCensus | undefined;
    for (const d of this.#readers) {
      if (d.digits !== undefined && !meetsDigitNeed(digits ??= digitCensus(text), d.digits)) {
        continue;
      }
      if (!d.detect(text, column)) continue;
      const at = pathText(path, false);
      if (suffix !== "" && seen.has(`${d.type}\u0000${at}`)) continue;
      const where = held === 0 ? at + suffix : at;
      const id = `${d.type}\u0000${where}`;
      if (!seen.has(id)) {
        seen.add(id);
        state.findings.push({ kind: d.kind, type: d.type, path: where });
      }
    }
  }
}

/** A table cell as the scan reads it: a string, or an integer's digits. */
function cellText(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "number") {
    return Number.isSafeInteger(value) ? String(Math.abs(value)) : undefined;
  }
  if (typeof value === "bigint") return (value < 0n ? -value : value).toString();
  if (isRawJson?.(value) === true) {
    const raw = (value as { rawJSON?: unknown }).rawJSON;
    return typeof raw === "string" ? integerDigits(raw) : undefined;
  }
  return undefined;
}
