/**
 * Turns stored records into what `thoth audit show` prints for people: one
 * row per record with time, seq, type, decision id, server, tool, verdict,
 * effect, rule, mode and a DETAIL cell. Its TIME is when the record's event
 * happened: a record written late shows its decision's time, and its DETAIL
 * starts with when it was written (see `shown_time.ts`). A decision's
 * VERDICT is what the policy said, its EFFECT what thoth did with the call (forwarded, forwarded
 * with a warning, forwarded in observe mode, approval requested, blocked;
 * `—` in records of releases that did not record it), so a `step_up` the
 * progressive ladder forwarded, asked about or blocked reads as such at a
 * glance; rows of other records leave EFFECT empty. A decision's DETAIL is
 * its approver (joined from the approval record of the same decision, or of
 * the call a stateless retry answered, with the approval's scope and
 * latency; `no one` when the approval timed out) and its reasons, cut
 * short; an approval's is its own facts and reason; an outcome's is its
 * duration (its VERDICT is `ok` or `error`, and its server and tool come
 * from its decision); a cancellation's is its reason (after what progressive
 * mode did with the count of a call that did not run: `count taken back`,
 * `count stays`); a `session_start`'s is whose session it is
 * (`user ana@example.com`), when its record names the user; a
 * `handshake`'s is the client and server as they named themselves in
 * `initialize`, and the protocol version; a `request`'s (a resource, prompt
 * or completion the client asked for, or a request refused before any
 * decision) is its method and the URI or prompt it names, then why it was
 * refused, and its EFFECT says `forwarded` or `refused`. Pure.
 *
 * Every cell is text a record holds, and a record's text may have been
 * chosen by a model, a server or whoever wrote an answer file (a tool name,
 * an approver's name): each passes `displayText`, so control characters,
 * escape sequences and bidirectional overrides never reach the terminal as
 * they are (they show as `?`), and a long one is cut short. A server, tool
 * or prompt name that is not a plain MCP name shows quoted with every
 * character outside printable ASCII as a `\uXXXX` escape instead (see
 * `name_cell.ts`), so two distinct names never print the same; a
 * `tools_snapshot`'s DETAIL is how many tools were listed (`partial` when
 * the record names only the first). `--json` prints
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
import { parseAnswerGiven } from "../approval/answer_given.ts";
import { isPlainName } from "../approval/shown_name.ts";
import { escapedName, nameCell } from "./name_cell.ts";
import { snapshotDetail } from "./snapshot_detail.ts";
import { droppedDetail } from "./dropped_detail.ts";
import { countDetail } from "./count_detail.ts";
import { shownTime } from "./shown_time.ts";
import type { DecisionEvent } from "./record.ts";
import { approvalText, cellText as str, TableJoins } from "./table_joins.ts";
import { alignedLine, TABLE_HEADER, widenFor } from "./table_layout.ts";

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
/** The longest an approver's name gets inside the DETAIL cell. */
const NAME_MAX = 100;
/** The longest a reason gets inside the DETAIL cell (the rest is in `--json`). */
const REASON_MAX = 60;

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
 * What an approval's `given` says against a person at a terminal (see
 * `answer_given.ts`): "answered without a terminal", "answered from a
 * detached process", "answered under script", "the process tree was not
 * checked"; "" when it says none, or is no such field.
 */
function givenText(value: unknown): string {
  const given = parseAnswerGiven(value);
  if (given === null) return "";
  return join(
    given.terminal ? "" : "answered without a terminal",
    given.orphaned === true ? "answered from a detached process" : "",
    given.underScript === true ? "answered under script" : "",
    given.treeChecked === false ? "the process tree was not checked" : "",
  );
}

/**
 * Reasons as one short text: a rule id a reason repeats (`rule "x": …`) is
 * left out (the RULE cell names it), and the text is cut at
 * {@linkcode REASON_MAX}. A decision's reasons say where a rule matched,
 * never an argument's value.
 */
function reasonText(value: unknown): string {
  const reasons = Array.isArray(value) ? value.map(str) : value === undefined ? [] : [str(value)];
  const plain = reasons.map((r) => r.replace(/^rule "[^"]*":\s*/, "")).filter((r) => r !== "");
  return displayText(plain.join("; "), REASON_MAX);
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

/** The effects a decision record can hold (what the relay did with the call). */
export type DecisionEffect = NonNullable<DecisionEvent["effect"]>;

/**
 * Each effect as the EFFECT cell words it, keyed by the name stored in the
 * record (the names `thoth audit show --effect` takes, in this order). A
 * `forwarded` call the policy did not allow is worded apart: see
 * {@linkcode effectCell}.
 *
 * @example
 * ```ts
 * Object.keys(EFFECT_WORDS); // ["forwarded", "observed", "approval_requested", "blocked"]
 * ```
 */
export const EFFECT_WORDS: Readonly<Record<DecisionEffect, string>> = {
  forwarded: "forwarded",
  observed: "forwarded (observe mode)",
  approval_requested: "approval requested",
  blocked: "blocked",
};

/**
 * The EFFECT cell: what thoth did with a decision's call, in words. A call
 * forwarded although the policy's verdict was `block` or `step_up` was let
 * through with a warning (the progressive ladder's first rung; observe mode
 * records `observed` instead). A decision record without an effect (written
 * before thoth recorded one) shows `—`; an effect this release does not know
 * shows as stored; any other record, nothing.
 */
function effectCell(r: Rec): string {
  if (r["type"] === "request") return displayText(str(r["effect"]), NAME_MAX);
  if (r["type"] !== "decision") return "";
  const effect = r["effect"];
  if (effect === undefined || effect === null) return "—";
  if (effect === "forwarded" && (r["verdict"] === "block" || r["verdict"] === "step_up")) {
    return "forwarded with a warning";
  }
  return Object.hasOwn(EFFECT_WORDS, str(effect))
    ? EFFECT_WORDS[str(effect) as DecisionEffect]
    : str(effect);
}

/** Parts of a DETAIL cell, the empty ones left out. */
const join = (...parts: string[]) => parts.filter((p) => p !== "").join("; ");

/**
 * The DETAIL cell of a record other than a decision (whose DETAIL is joined:
 * see {@linkcode tableRow}): an approval's own facts and reason, an outcome's
 * duration, a cancellation's reason, the user a `session_start` record
 * names, or the records a `records_dropped` record, or an end a session
 * kept in its spool, counts as never written; a `session_end`'s exit code
 * or signal; a `key_rotation`'s old and new signing key.
 */
function detailCell(r: Rec): string {
  switch (r["type"]) {
    case "approval":
      return join(approvalText(r), givenText(r["given"]), reasonText(r["reason"]));
    case "outcome": {
      const ms = r["durationMs"];
      const took = typeof ms !== "number"
        ? ""
        : ms < 0.5
        ? "in under 1 ms"
        : `in ${Math.round(ms)} ms`;
      const late = r["afterCancellation"] === true ? "answered after the call was cancelled" : "";
      return join(took, late);
    }
    case "cancellation":
      return join(countDetail(r), reasonText(r["reason"]) || "no reason recorded");
    case "session_start": {
      const user = displayText(str(r["userId"]), NAME_MAX);
      return join(user === "" ? "" : `user ${user}`, osAccountText(r));
    }
    case "handshake":
      return handshakeText(r);
    case "request":
      return join(requestText(r), reasonText(r["reasons"]));
    case "tools_snapshot":
      return snapshotDetail(r);
    case "records_dropped":
      return droppedDetail(r);
    case "session_end": {
      // An end kept in the spool counts what else of the session the log never took.
      const dropped = r["recordsDropped"];
      return join(
        exitText(r),
        dropped !== null && typeof dropped === "object" && !Array.isArray(dropped)
          ? droppedDetail(dropped as Rec)
          : "",
      );
    }
    case "key_rotation": {
      const key = (hash: unknown) => displayText(str(hash), NAME_MAX) || "?";
      return `signing key ${key(r["oldKeyHash"])} -> ${key(r["newKeyHash"])}`;
    }
    default:
      return "";
  }
}

/**
 * How a session's server ended: `exit 0`, `signal SIGTERM`, both when both
 * are recorded; empty when neither is.
 */
function exitText(r: Rec): string {
  const code = r["exitCode"];
  const signal = r["signal"];
  return [
    typeof code === "number" ? `exit ${code}` : "",
    typeof signal === "string" ? `signal ${displayText(signal, NAME_MAX)}` : "",
  ].filter((part) => part !== "").join(", ");
}

/**
 * A request's method and what it names: `resources/read demo://docs/a.md`,
 * `prompts/get greet`. A method or prompt name MCP would not write (a
 * `Tools/Call\u200b` refused as a variant) shows quoted, made displayable.
 */
function requestText(r: Rec): string {
  const named = typeof r["uri"] === "string"
    ? displayText(r["uri"], NAME_MAX)
    : typeof r["prompt"] === "string"
    ? nameCell(r["prompt"], NAME_MAX)
    : "";
  const method = str(r["method"]);
  return [isPlainName(method.replaceAll("/", "_")) ? method : escapedName(method, NAME_MAX), named]
    .filter((part) => part !== "").join(" ");
}

/**
 * A handshake's peers and protocol: `client claude-ai 0.1.0; server
 * secure-filesystem-server 0.2.0; protocol 2025-06-18`, each part left out
 * when not recorded; an error answer says so.
 */
function handshakeText(r: Rec): string {
  const peer = (role: string, name: unknown, version: unknown) => {
    const text = [str(name), str(version)].filter((part) => part !== "").join(" ");
    return text === "" ? "" : `${role} ${displayText(text, NAME_MAX)}`;
  };
  const asked = str(r["requestedVersion"]);
  const answered = str(r["protocolVersion"]);
  const protocol = answered !== ""
    ? `protocol ${answered}${asked !== "" && asked !== answered ? ` (asked ${asked})` : ""}`
    : asked !== ""
    ? `protocol asked ${asked}`
    : "";
  return [
    peer("client", r["clientName"], r["clientVersion"]),
    peer("server", r["serverName"], r["serverVersion"]),
    protocol,
    r["isError"] === true ? "the server answered initialize with an error" : "",
  ].filter((part) => part !== "").map((part) => displayText(part, NAME_MAX * 2)).join("; ");
}

/**
 * A session_start's OS account: `OS account ana (uid 1000)`, `uid 54321`
 * when the password file named no account, `OS account ana` in records
 * without the uid; empty when neither is recorded.
 */
function osAccountText(r: Rec): string {
  const account = displayText(str(r["osUser"]), NAME_MAX);
  const uid = r["osUid"];
  const uidText = typeof uid === "number" && Number.isSafeInteger(uid) && uid >= 0
    ? `uid ${uid}`
    : "";
  if (account === "") return uidText;
  return uidText === "" ? `OS account ${account}` : `OS account ${account} (${uidText})`;
}

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
