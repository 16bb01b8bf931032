/**
 * The one stderr line thoth writes for each call it blocks, whatever the
 * rule (the policy's, the session intent's, a detector's, thoth's own files
 * or a client's config, a failed tool listing): which call, the decision id,
 * the rule(s), the reasons in full (a path and a remedy are for the person
 * at the machine, never for the model) and the command that shows the
 * decision's records ("rule x", or "rules x, y" for several). The model's
 * refusal names only the decision id, and the MCP client's log, where this
 * line lands, is the person's only view.
 * Blocks that write a line of their own are left to it (a failed enforcer,
 * an unwritable audit log, a decision that came too late). Pure text.
 *
 * @example
 * ```ts
 * blockNote(
 *   { server: "fs", tool: "write_file" },
 *   { decisionId: "d-1", ruleIds: ["no-writes"], reasons: ['rule "no-writes": writes are refused'] },
 *   { auditCommand: "thoth audit", recorded: true },
 * );
 * // 'blocked tool "write_file" on server "fs" (decision d-1, rule no-writes): writes are refused; see it with "thoth audit show --decision-id d-1"'
 * ```
 */
import { displayText } from "../approval/display_text.ts";
import { AUDIT_UNWRITABLE_RULE } from "../protocol/responses.ts";

/** Rules whose block writes a stderr line of its own (see the module doc). */
const NOTED_ELSEWHERE: ReadonlySet<string> = new Set([
  "enforcer.error",
  AUDIT_UNWRITABLE_RULE,
  "thoth.decision_timeout",
]);

/** The most characters of the reasons a line keeps. */
const REASONS_MAX = 1200;

/** What the line names of the call. */
export interface BlockedCall {
  server: string;
  tool: string;
}

/** What the line names of the verdict. */
export interface BlockedVerdict {
  decisionId: string;
  ruleIds: readonly string[];
  reasons: readonly string[];
}

/** How the line points to the record. */
export interface BlockNoteOptions {
  /** `thoth audit` for this profile (see `profileCommandFor`). */
  auditCommand: string;
  /** Whether the decision's record went to the audit spool: only then is it there to show. */
  recorded: boolean;
  /** Set when a model chose the tool in an answer to the server's sampling request. */
  chosenInSampling?: boolean;
}

/** Whether a block under `ruleIds` gets its line here (no other line says it). */
export function blockNoteWanted(ruleIds: readonly string[]): boolean {
  return !ruleIds.some((id) => NOTED_ELSEWHERE.has(id));
}

/** A name from outside thoth (a tool, a server), quoted and cut short. */
function quoted(name: string): string {
  return JSON.stringify(displayText(name.length > 64 ? `${name.slice(0, 64)}…` : name, 80));
}

/** The stderr line (without thoth's `thoth: ` prefix) for one blocked call. */
export function blockNote(
  call: BlockedCall,
  verdict: BlockedVerdict,
  options: BlockNoteOptions,
): string {
  const id = displayText(verdict.decisionId, 64);
  const rules = verdict.ruleIds.length === 0
    ? "policy"
    : `rule${verdict.ruleIds.length > 1 ? "s" : ""} ${
      verdict.ruleIds.map((rule) => displayText(rule, 128)).join(", ")
    }`;
  // A reason that repeats its rule id ('rule "x": …') is shown without it: the rule is named once.
  const reasons = verdict.reasons.map((reason) => reason.replace(/^rule "[^"]*":\s*/, ""));
  const why = reasons.length === 0 ? "" : `: ${displayText(reasons.join("; "), REASONS_MAX)}`;
  const where = options.chosenInSampling === true
    ? ", which a model chose in a sampling answer,"
    : "";
  const lookUp = options.recorded
    ? `; see it with "${options.auditCommand} show --decision-id ${id}"`
    : "";
  return `blocked tool ${quoted(call.tool)} on server ${quoted(call.server)}${where} ` +
    `(decision ${id}, ${rules})${why}${lookUp}`;
}
