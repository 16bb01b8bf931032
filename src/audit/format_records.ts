/**
 * Turns stored records into what `thoth audit show` prints for people: one
 * row per record with time, seq, type, server, tool, verdict, rule, mode and
 * approver (joined from the approval record of the same decision, or of the
 * call a stateless retry answered), with the approval's scope and latency. A
 * `session_start` row shows, in the APPROVER column, whose session it is
 * (`user ana@example.com`), when its record names the user. Pure.
 *
 * Every cell is text a record holds, and a record's text may have been
 * chosen by a model, a server or whoever wrote an answer file (a tool name,
 * an approver's name): each passes `displayText`, so control characters,
 * escape sequences and bidirectional overrides never reach the terminal as
 * they are (they show as `?`), and a long one is cut short. `--json` prints
 * the stored lines through {@linkcode escapeJsonForDisplay}: JSON itself
 * escapes only U+0000–U+001F, so every other character a terminal or a
 * reader could act on (DEL and C1 controls, bidirectional overrides, the
 * line and paragraph separators, characters drawn as nothing) is written as
 * a `\uXXXX` escape too; each line still parses to the stored record.
 *
 * @example
 * ```ts
 * io.out(formatRecordTable(records));
 * ```
 */

import { displayText } from "../approval/display_text.ts";
import { isPlainName, shownName } from "../approval/shown_name.ts";

type Rec = Record<string, unknown>;

/**
 * What JSON leaves as it is and a screen may act on: DEL and the C1
 * controls (U+009B is a CSI on some terminals), format characters (bidi
 * marks, embeddings, overrides and isolates such as U+061C, U+200E,
 * U+202E and U+2066; zero-width characters), the line and paragraph
 * separators U+2028 and U+2029, and every default-ignorable code point.
 * The set `displayText` replaces, less U+0000–U+001F: JSON escapes those
 * inside a string, and outside one they are only the whitespace between
 * tokens (a tab, a newline), which must stay as it is.
 */
const JSON_UNSAFE = /[\u007f-\u009f\p{Cf}\p{Default_Ignorable_Code_Point}\u2028\u2029]/gu;

/**
 * A JSON text with every character a terminal or a reader could act on
 * written as a `\uXXXX` escape (a pair of them beyond U+FFFF), so it parses
 * to the same value while the bytes on screen are inert. Only sound on JSON:
 * outside its strings a JSON text holds no such character, and inside one
 * an escape means the character itself. Pure.
 *
 * @example
 * ```ts
 * escapeJsonForDisplay('{"tool":"a\u202Eb"}'); // '{"tool":"a\\u202eb"}'
 * ```
 */
export function escapeJsonForDisplay(json: string): string {
  return json.replace(JSON_UNSAFE, (char) => {
    let escaped = "";
    for (let i = 0; i < char.length; i++) {
      escaped += "\\u" + char.charCodeAt(i).toString(16).padStart(4, "0");
    }
    return escaped;
  });
}

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

/**
 * A server or tool name as a cell: as it is when it is a plain MCP name,
 * else quoted with its non-ASCII characters as `\uXXXX` escapes, as the
 * approval texts show it (a look-alike letter cannot pass for an ASCII one).
 */
function nameCell(name: string): string {
  return name === "" || isPlainName(name) ? name : shownName(name, CELL_MAX);
}

/**
 * The APPROVER cell: a decision's approver (from its approval record), an
 * approval's own, or the user a `session_start` record names.
 */
function whoCell(r: Rec, approvers: ReadonlyMap<string, string>): string {
  if (r["type"] === "decision") return approvers.get(str(r["decisionId"])) ?? "";
  if (r["type"] === "session_start") {
    const user = displayText(str(r["userId"]), NAME_MAX);
    return user === "" ? "" : `user ${user}`;
  }
  return str(r["approver"]);
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
      nameCell(serverOf(r, decisions, sessions)),
      nameCell(str(r["tool"])),
      str(r["verdict"] ?? r["outcome"]),
      str(r["ruleIds"]),
      str(r["mode"]),
      whoCell(r, approvers),
    ].map((cell) => displayText(cell, CELL_MAX))
  );
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]): string =>
    cells.map((c, i) => c.padEnd(widths[i]!)).join("  ").trimEnd();
  return [line(header), ...rows.map(line)].join("\n") + "\n";
}
