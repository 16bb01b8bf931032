/**
 * Turns stored records into what `thoth audit show` prints for people: one
 * row per record with time, seq, type, server, tool, verdict, rule, mode and
 * approver (joined from the approval record of the same decision, or of the
 * call a stateless retry answered), with the approval's scope and latency. Pure.
 *
 * @example
 * ```ts
 * io.out(formatRecordTable(records));
 * ```
 */

type Rec = Record<string, unknown>;

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
      const who = `${str(r["approver"]) || "?"} (${str(r["outcome"])}${scope}, ${
        str(r["channel"])
      }${latency})`;
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
  const rows = records.map((r) => [
    str(r["ts"]).replace("T", " ").slice(0, 19),
    str(r["seq"]),
    str(r["type"]),
    serverOf(r, decisions, sessions),
    str(r["tool"]),
    str(r["verdict"] ?? r["outcome"]),
    str(r["ruleIds"]),
    str(r["mode"]),
    r["type"] === "decision" ? approvers.get(str(r["decisionId"])) ?? "" : str(r["approver"]),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]): string =>
    cells.map((c, i) => c.padEnd(widths[i]!)).join("  ").trimEnd();
  return [line(header), ...rows.map(line)].join("\n") + "\n";
}
