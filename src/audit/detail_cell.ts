/**
 * The DETAIL cell of `thoth audit show` for a record other than a decision
 * (whose DETAIL is its approver and its reasons, joined in
 * `format_records.ts`): an approval's own facts and reason; an outcome's
 * duration; a cancellation's reason (after what progressive mode did with
 * the count of a call that did not run: `count taken back`, `count stays`);
 * a `session_start`'s is whose session it is (`user ana@example.com`), when
 * its record names the user, and its OS account; a `handshake`'s is the
 * client and server as they named themselves in `initialize`, and the
 * protocol version; a `request`'s (a resource, prompt or completion the
 * client asked for, or a request refused before any decision) is its method
 * and the URI or prompt it names, then why it was refused; a
 * `tools_snapshot`'s is how many tools were listed (`partial` when the
 * record names only the first); a `records_dropped`'s, or a `session_end`'s
 * (its exit code or signal), what the log never took; a `key_rotation`'s,
 * its old and new signing key. Every part passes `displayText`. Pure.
 *
 * @example
 * ```ts
 * detailCell({ type: "outcome", durationMs: 12.4 }); // "in 12 ms"
 * reasonText(['rule "delete-like": tool matched "delete_*"']); // 'tool matched "delete_*"'
 * ```
 */

import { displayText } from "../approval/display_text.ts";
import { parseAnswerGiven } from "../approval/answer_given.ts";
import { isPlainName } from "../approval/shown_name.ts";
import { escapedName, nameCell } from "./name_cell.ts";
import { snapshotDetail } from "./snapshot_detail.ts";
import { droppedDetail } from "./dropped_detail.ts";
import { countDetail } from "./count_detail.ts";
import { approvalText, cellText as str } from "./table_joins.ts";

type Rec = Record<string, unknown>;

/** The longest an approver's name gets inside the DETAIL cell. */
const NAME_MAX = 100;
/** The longest a reason gets inside the DETAIL cell (the rest is in `--json`). */
const REASON_MAX = 60;

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
export function reasonText(value: unknown): string {
  const reasons = Array.isArray(value) ? value.map(str) : value === undefined ? [] : [str(value)];
  const plain = reasons.map((r) => r.replace(/^rule "[^"]*":\s*/, "")).filter((r) => r !== "");
  return displayText(plain.join("; "), REASON_MAX);
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
export function detailCell(r: Rec): string {
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
