/**
 * Turns stored records into what `thoth audit show` prints for people: one
 * row per record with time, seq, type, server, tool, verdict, rule, mode and
 * approver (joined from the approval record of the same decision, or of the
 * call a stateless retry answered), with the approval's scope and latency. Pure.
 *
 * Every cell is text a record holds, and a record's text may have been
 * chosen by a model, a server or whoever wrote an answer file (a tool name,
 * an approver's name): each passes `displayText`, so control characters,
 * escape sequences and bidirectional overrides never reach the terminal as
 * they are (they show as `?`), and a long one is cut short. `--json` prints
 * the stored lines, which JSON escaping already keeps safe.
 *
 * @example
 * ```ts
 * io.out(formatRecordTable(records));
 * ```
 */

import { displayText } from "../approval/display_text.ts";

type Rec = Record<string, unknown>;

/** The longest a cell of the table gets, in characters (an ellipsis marks a cut). */
const CELL_MAX = 200;
/** The longest an approver's name gets inside the APPROVER cell. */
const NAME_MAX = 100;

const str = (value: unknown): string =>
  value === undefined || value === null
    ? ""
    : Array.isArray(value)
    ? value.join(",")
    : String(value);

/** The server a record belongs to, through its decision or session when it does not name one. */
export function serverOf(
  record: Rec,
  decisions: ReadonlyMap<string, Rec>,
  sessions: ReadonlyMap<string, string>,
): string {
  if (typeof record["server"] === "string") return record["server"];
  const decision = decisions.get(str(record["decisionId"]));
  if (decision && typeof decision["server"] === "string") return decision["server"];
  return sessions.get(str(record["session"])) ?? "";
}

/** Formats records as an aligned table. */
export function formatRecordTable(
  records: readonly Rec[],
  context: readonly Rec[] = records,
): string {
  const decisions = new Map<string, Rec>();
  const approvers = new Map<string, string>();
  const sessions = new Map<string, string>();
  for (const r of context) {
    if (r["type"] === "decision") decisions.set(str(r["decisionId"]), r);
    if (r["type"] === "approval") {
      const scope = r["scope"] === undefined ? "" : ` ${str(r["scope"])}`;
      const latency = typeof r["latencyMs"] === "number" ? `, ${r["latencyMs"]} ms` : "";
      const name = displayText(str(r["approver"]), NAME_MAX) || "?";
      const who = `${name} (${str(r["outcome"])}${scope}, ${str(r["channel"])}${latency})`;
      approvers.set(str(r["decisionId"]), who);
      if (r["retryDecisionId"] !== undefined) approvers.set(str(r["retryDecisionId"]), who);
    }
    if (r["type"] === "session_start") sessions.set(str(r["session"]), str(r["server"]));
  }
  const header = [
    "TIME (UTC)",
    "SEQ",
    "TYPE",
    "SERVER",
    "TOOL",
    "VERDICT",
    "RULE",
    "MODE",
    "APPROVER",
  ];
  const rows = records.map((r) =>
    [
      str(r["ts"]).replace("T", " ").slice(0, 19),
      str(r["seq"]),
      str(r["type"]),
      serverOf(r, decisions, sessions),
      str(r["tool"]),
      str(r["verdict"] ?? r["outcome"]),
      str(r["ruleIds"]),
      str(r["mode"]),
      r["type"] === "decision" ? approvers.get(str(r["decisionId"])) ?? "" : str(r["approver"]),
    ].map((cell) => displayText(cell, CELL_MAX))
  );
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]): string =>
    cells.map((c, i) => c.padEnd(widths[i]!)).join("  ").trimEnd();
  return [line(header), ...rows.map(line)].join("\n") + "\n";
}
