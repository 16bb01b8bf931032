/**
 * What `thoth audit show`'s table joins a row with, gathered from the log's
 * records one at a time: for each decision id its decision's server and tool
 * (an approval's, outcome's or cancellation's row names them), the approval
 * that answered it (a decision's DETAIL names its approver), and each
 * session's server (a row without a decision of its own). The last record of
 * a kind wins, as when the whole log was at hand; only those few fields are
 * kept, not the records. Pure.
 *
 * @example
 * ```ts
 * const joins = new TableJoins();
 * for (const record of records) joins.add(record);
 * joins.decisions.get("d-9f2c41aa07e35b18")?.["tool"]; // "read_file"
 * ```
 */
import { displayText } from "../approval/display_text.ts";

type Rec = Record<string, unknown>;

/** The longest an approver's name gets inside the DETAIL cell. */
const NAME_MAX = 100;

/** A value as a cell's text: nothing for none, a list joined with commas. */
export const cellText = (value: unknown): string =>
  value === undefined || value === null
    ? ""
    : Array.isArray(value)
    ? value.join(",")
    : String(value);

/**
 * Who answered an approval: its approver, or `no one` when none answered
 * (it timed out, was cancelled or failed), or `unnamed` when a person did
 * but the record names no one.
 */
function approverName(r: Rec): string {
  const name = displayText(cellText(r["approver"]), NAME_MAX);
  if (name !== "") return name;
  return ["timeout", "cancelled", "error"].includes(cellText(r["outcome"])) ? "no one" : "unnamed";
}

/**
 * An approval as the DETAIL cell shows it: who, then (outcome scope, channel, latency).
 *
 * @example
 * ```ts
 * approvalText({ approver: "ana", outcome: "approved", scope: "once", channel: "dialog", latencyMs: 900 });
 * // "ana (approved once, dialog, 900 ms)"
 * ```
 */
export function approvalText(r: Rec): string {
  const scope = r["scope"] === undefined ? "" : ` ${cellText(r["scope"])}`;
  const latency = typeof r["latencyMs"] === "number" ? `, ${r["latencyMs"]} ms` : "";
  return `${approverName(r)} (${cellText(r["outcome"])}${scope}, ${
    cellText(r["channel"])
  }${latency})`;
}

/** A decision's server and tool, each kept only when the record holds it as a string. */
export type DecisionNames = { server?: string; tool?: string };

/** The joins of a table's rows (see the module's note). */
export class TableJoins {
  /** Decision id (as text) to its decision's server and tool. */
  readonly decisions = new Map<string, DecisionNames>();
  /** Decision id (as text; a stateless retry's too) to its approval's DETAIL text. */
  readonly approvers = new Map<string, string>();
  /** Session (as text) to its `session_start`'s server (as text). */
  readonly sessions = new Map<string, string>();
  /** One copy of each server and tool name: a million decisions name a few. */
  readonly #names = new Map<string, string>();
  /** One names object per server and tool pair a decision gives (see `#pair`). */
  readonly #pairs = new Map<string | undefined, Map<string | undefined, DecisionNames>>();

  /** Takes in `record` (a later one of a kind replaces an earlier one). */
  add(record: Rec): void {
    switch (record["type"]) {
      case "decision": {
        const server = record["server"];
        const tool = record["tool"];
        this.decisions.set(
          cellText(record["decisionId"]),
          this.#pair(
            typeof server === "string" ? server : undefined,
            typeof tool === "string" ? tool : undefined,
          ),
        );
        break;
      }
      case "approval": {
        const who = approvalText(record);
        this.approvers.set(cellText(record["decisionId"]), who);
        if (record["retryDecisionId"] !== undefined) {
          this.approvers.set(cellText(record["retryDecisionId"]), who);
        }
        break;
      }
      case "session_start":
        this.sessions.set(cellText(record["session"]), this.#one(cellText(record["server"])));
    }
  }

  /** One shared (frozen) copy of each server and tool pair. */
  #pair(server: string | undefined, tool: string | undefined): DecisionNames {
    let tools = this.#pairs.get(server);
    if (tools === undefined) this.#pairs.set(server, tools = new Map());
    let names = tools.get(tool);
    if (names === undefined) {
      const made: DecisionNames = {};
      if (server !== undefined) made.server = this.#one(server);
      if (tool !== undefined) made.tool = this.#one(tool);
      tools.set(tool, names = Object.freeze(made));
    }
    return names;
  }

  #one(name: string): string {
    const known = this.#names.get(name);
    if (known !== undefined) return known;
    this.#names.set(name, name);
    return name;
  }
}
