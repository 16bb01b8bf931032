/**
 * Turns stored records into what `thoth audit show` prints for people: one
 * row per record with time, seq, type, decision id, server, tool, verdict,
 * effect, rule, mode and a DETAIL cell. Its TIME is when the record's event
 * happened: a record written late shows its decision's time, and its DETAIL
 * starts with when it was written (see `shown_time.ts`). A decision's
 * VERDICT is what the policy said, its EFFECT what thoth did with the call
 * (see `effect_cell.ts`); an outcome's VERDICT is `ok` or `error`, and its
 * server and tool come from its decision. A decision's DETAIL is its
 * approver (joined from the approval record of the same decision, or of
 * the call a stateless retry answered, with the approval's scope and
 * latency; `no one` when the approval timed out) and its reasons, cut
 * short; every other record's DETAIL is its own (see `detail_cell.ts`). Pure.
 *
 * Every cell is text a record holds, and a record's text may have been
 * chosen by a model, a server or whoever wrote an answer file (a tool name,
 * an approver's name): each passes `displayText`, so control characters,
 * escape sequences and bidirectional overrides never reach the terminal as
 * they are (they show as `?`), and a long one is cut short. A server, tool
 * or prompt name that is not a plain MCP name shows quoted with every
 * character outside printable ASCII as a `\uXXXX` escape instead (see
 * `name_cell.ts`), so two distinct names never print the same. `--json`
 * prints the stored lines through `escapeJsonForDisplay` (see
 * `escape_json_for_display.ts`).
 *
 * @example
 * ```ts
 * io.out(formatRecordTable(records));
 * ```
 */

import { displayText } from "../approval/display_text.ts";
import { nameCell } from "./name_cell.ts";
import { shownTime } from "./shown_time.ts";
import { detailCell, reasonText } from "./detail_cell.ts";
import { effectCell } from "./effect_cell.ts";
import { cellText as str, TableJoins } from "./table_joins.ts";
import { alignedLine, TABLE_HEADER, widenFor } from "./table_layout.ts";

type Rec = Record<string, unknown>;

/** The longest a cell of the table gets, in characters (an ellipsis marks a cut). */
const CELL_MAX = 200;

/** The server a record belongs to, through its decision or session when it does not name one. */
export function serverOf(
  record: Rec,
  decisions: ReadonlyMap<string, Readonly<Rec>>,
  sessions: ReadonlyMap<string, string>,
): string {
  if (typeof record["server"] === "string") return record["server"];
  const decision = decisions.get(str(record["decisionId"]));
  if (decision && typeof decision["server"] === "string") return decision["server"];
  return sessions.get(str(record["session"])) ?? "";
}

/**
 * The VERDICT cell: a decision's verdict (the policy's, not what was done
 * with the call: see {@linkcode effectCell}), an approval's outcome, an
 * outcome's `ok` or `error`.
 */
function verdictCell(r: Rec): string {
  if (r["type"] === "outcome") {
    return r["isError"] === true ? "error" : r["isError"] === false ? "ok" : "";
  }
  return str(r["verdict"] ?? r["outcome"]);
}

/** Parts of a DETAIL cell, the empty ones left out. */
const join = (...parts: string[]) => parts.filter((p) => p !== "").join("; ");

/** Formats records as an aligned table (see {@linkcode recordTableLines}). */
export function formatRecordTable(
  records: readonly Rec[],
  context: readonly Rec[] = records,
): string {
  return recordTableLines(records, context).join("\n") + "\n";
}

/**
 * The aligned table of `records` as lines without their newlines, the
 * header first; `context` holds the records their cells are joined with
 * (decisions, approvals, session starts), or those joins gathered already.
 * A caller printing a large log prints them a batch at a time: a million
 * records as one string would pass the longest string JavaScript can hold.
 *
 * @example
 * ```ts
 * const [header, ...rows] = recordTableLines(records);
 * ```
 */
export function recordTableLines(
  records: readonly Rec[],
  context: readonly Rec[] | TableJoins = records,
): string[] {
  let joins = context;
  if (!(joins instanceof TableJoins)) {
    joins = new TableJoins();
    for (const r of context as readonly Rec[]) joins.add(r);
  }
  return [...tableLines(records.map(tableRow), joins)];
}

/**
 * A row of the table before its joins: the cells the record holds itself,
 * and what SERVER, TOOL and a decision's DETAIL are looked up by. Far
 * smaller than the record, so `audit show` keeps these, not records.
 */
export interface TableRow {
  /** The eleven cells; SERVER, TOOL and a decision's DETAIL are filled in by {@linkcode tableLines}. */
  readonly cells: string[];
  /** The record's own server and tool, when it names them. */
  readonly server: string | undefined;
  readonly tool: string | undefined;
  /** Its decision id and session, as text: what its joins are looked up by. */
  readonly decision: string;
  readonly session: string;
  /** A decision's reasons as its DETAIL shows them after its approver; undefined for other records. */
  readonly reasons: string | undefined;
  /** When a record written late was written (see `shown_time.ts`), first in its DETAIL; empty for others. */
  readonly written: string;
}

/** Where SERVER, TOOL and DETAIL are among a row's cells. */
const SERVER = 4;
const TOOL = 5;
const DETAIL = 10;

/**
 * `record`'s row before its joins (see {@linkcode TableRow}).
 *
 * @example
 * ```ts
 * const rows = records.map(tableRow);
 * ```
 */
export function tableRow(r: Rec): TableRow {
  const decision = r["type"] === "decision";
  // A record written late shows its decision's time, and when it was written (see `shown_time.ts`).
  const { time, written } = shownTime(r);
  const cells = [
    time,
    str(r["seq"]),
    str(r["type"]),
    str(r["decisionId"]),
    "",
    "",
    verdictCell(r),
    effectCell(r),
    str(r["ruleIds"]),
    str(r["mode"]),
    decision ? "" : join(written, detailCell(r)),
  ].map((cell) => displayText(cell, CELL_MAX));
  return {
    cells,
    server: typeof r["server"] === "string" ? r["server"] : undefined,
    tool: typeof r["tool"] === "string" ? r["tool"] : undefined,
    decision: str(r["decisionId"]),
    session: str(r["session"]),
    reasons: decision ? reasonText(r["reasons"]) : undefined,
    written,
  };
}

/**
 * The aligned table of `rows` (in the order given), header first, each line
 * without its newline: SERVER and TOOL come from the row's record or else its
 * decision's (SERVER else its session's), a decision's DETAIL starts with
 * who answered its approval. Each column is as wide as its widest cell, so
 * every row is joined before the first line comes; the lines themselves are
 * made one at a time. Fills in the rows' joined cells.
 *
 * @example
 * ```ts
 * for (const line of tableLines(rows, joins)) console.log(line);
 * ```
 */
export function* tableLines(rows: readonly TableRow[], joins: TableJoins): Generator<string> {
  const widths = TABLE_HEADER.map((h) => h.length);
  for (const row of rows) widenFor(widths, joinRow(row, joins));
  yield alignedLine(TABLE_HEADER, widths);
  for (const row of rows) yield alignedLine(row.cells, widths);
}

/**
 * Fills in `row`'s joined cells (see {@linkcode tableLines}) and returns
 * them all.
 *
 * @example
 * ```ts
 * const cells = joinRow(tableRow(record), joins);
 * ```
 */
export function joinRow(row: TableRow, joins: TableJoins): readonly string[] {
  const decision = joins.decisions.get(row.decision);
  const server = row.server ?? decision?.server ?? joins.sessions.get(row.session) ?? "";
  row.cells[SERVER] = nameCell(server, CELL_MAX);
  row.cells[TOOL] = nameCell(row.tool ?? decision?.tool ?? "", CELL_MAX);
  if (row.reasons !== undefined) {
    row.cells[DETAIL] = displayText(
      join(row.written, joins.approvers.get(row.decision) ?? "", row.reasons),
      CELL_MAX,
    );
  }
  return row.cells;
}
