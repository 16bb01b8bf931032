/**
 * The table `thoth audit tail` prints, a batch of records at a time: the
 * header once, before the first row (`tail -f` prints each new batch's
 * rows under it), columns as wide as the widest cell printed so far (they
 * only grow), and the joins of every record printed so far, so that an
 * outcome names the server and tool of a decision printed in an earlier
 * batch. A row whose decision the records read so far do not hold (an
 * outcome or approval whose decision was written before the newest
 * records) is named by {@linkcode TailTable.unjoined}: the caller looks
 * those up in the log (see `tail_joins_lookup.ts`) and hands what it found
 * to {@linkcode TailTable.addFound}; SERVER and TOOL of a row whose
 * decision is not found even then show `?`. Pure.
 *
 * @example
 * ```ts
 * const table = new TailTable();
 * table.take(records);
 * const wanted = table.unjoined(records);
 * table.addFound(wanted, await lookUpJoins(dir, wanted));
 * for (const line of table.lines(records)) console.log(line);
 * ```
 */
import { joinRow, tableRow } from "./format_records.ts";
import { cellText, TableJoins } from "./table_joins.ts";
import { alignedLine, TABLE_HEADER, widenFor } from "./table_layout.ts";

type Rec = Record<string, unknown>;

/** The decision ids the rows of a batch are joined by, and the records do not hold. */
export interface Unjoined {
  decisions: Set<string>;
}

/** Where SERVER and TOOL are among a row's cells. */
const SERVER = 4;
const TOOL = 5;

/** The table of one `tail` run (see the module's note). */
export class TailTable {
  readonly joins = new TableJoins();
  readonly #widths = TABLE_HEADER.map((h) => h.length);
  #headed = false;
  /** Ids looked up once and not found: not looked up again. */
  readonly #missing = new Set<string>();

  /** Takes in the joins of `records` (a batch about to be printed). */
  take(records: readonly Rec[]): void {
    for (const record of records) this.joins.add(record);
  }

  /**
   * The decisions the rows of `records` name for their SERVER or TOOL that
   * no record taken in so far holds (and that were not looked up in vain
   * before).
   */
  unjoined(records: readonly Rec[]): Unjoined {
    const wanted: Unjoined = { decisions: new Set() };
    for (const record of records) {
      const decision = cellText(record["decisionId"]);
      if (
        decision !== "" &&
        (typeof record["server"] !== "string" || typeof record["tool"] !== "string") &&
        !this.joins.decisions.has(decision) && !this.#missing.has(decision)
      ) wanted.decisions.add(decision);
    }
    return wanted;
  }

  /** Takes in the decisions a lookup of `wanted` found; those it did not find are marked so. */
  addFound(wanted: Unjoined, found: readonly Rec[]): void {
    // Found records are older than any taken in: a newer one keeps its place.
    for (const record of found) {
      if (record["type"] !== "decision") continue;
      if (!this.joins.decisions.has(cellText(record["decisionId"]))) this.joins.add(record);
    }
    for (const id of wanted.decisions) {
      if (!this.joins.decisions.has(id)) this.#missing.add(id);
    }
  }

  /**
   * The lines of `records`' rows (without newlines), the header before the
   * first row this table prints.
   */
  lines(records: readonly Rec[]): string[] {
    if (records.length === 0) return [];
    const rows = records.map((record) => {
      const row = tableRow(record);
      const cells = joinRow(row, this.joins);
      // A decision looked up and not found: its server and tool are unknown, not none.
      if (this.#missing.has(row.decision) && !this.joins.decisions.has(row.decision)) {
        if (cells[SERVER] === "") row.cells[SERVER] = "?";
        if (cells[TOOL] === "") row.cells[TOOL] = "?";
      }
      widenFor(this.#widths, row.cells);
      return row.cells;
    });
    const lines = rows.map((cells) => alignedLine(cells, this.#widths));
    if (!this.#headed) {
      this.#headed = true;
      lines.unshift(alignedLine(TABLE_HEADER, this.#widths));
    }
    return lines;
  }
}
