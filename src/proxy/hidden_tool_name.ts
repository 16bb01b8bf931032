/**
 * A decision's record names the tool called. A name the server listed is
 * the server's; any other is the client's or the model's, and may be
 * anything, a token pasted as the name among others. Such a name the secret,
 * PII or PHI detectors flag is shown, in the record's `tool` and in its
 * reasons (which quote it: `tool "…" is in no tools/list thoth has seen`),
 * as its keyed digest and length (`#k:1a2b3c4d(40)`, see
 * `redact_recorded_names.ts`); in an approval question, a sampling refusal
 * and the answer to a call blocked, not approved or whose decision timed
 * out, which have no key, as its length alone (`#k:(40)`). A listed name is not read at all. Pure: the
 * log's digests are passed in.
 *
 * @example
 * ```ts
 * hiddenToolName({ tool: "read_file", listed: true }, [], log); // undefined
 * hiddenToolName({ tool: "ghp_…", listed: false }, ['tool "ghp_…" is in no tools/list …'], log);
 * // { tool: "#k:5e6f7a8b(40)", reasons: ['tool "#k:5e6f7a8b(40)" is in no tools/list …'] }
 * ```
 */
import type { Digests } from "../audit/key_digests.ts";
import { redactedName } from "../audit/redact_recorded_names.ts";
import { shownName } from "../approval/shown_name.ts";
import type { ToolCall } from "../policy/tool_call.ts";

/** The tool's name and the reasons as a record and stderr show them. */
export interface HiddenToolName {
  tool: string;
  reasons: string[];
}

/**
 * The hidden form of `call`'s tool name and of `reasons` quoting it, or
 * undefined when the name is shown as it is (listed, or flagged by no
 * detector). Without a log the name shows its length alone (`#k:(40)`).
 */
export function hiddenToolName(
  call: Pick<ToolCall, "tool" | "listed">,
  reasons: readonly string[],
  log: Pick<Digests, "redactSync"> | undefined,
): HiddenToolName | undefined {
  if (call.listed) return undefined;
  const name = call.tool;
  const tool = redactedName(name, (piece) => log?.redactSync(piece).digest ?? "");
  if (tool === name) return undefined;
  // As prose quotes it (escaped, maybe cut), as JSON quotes it, then as it is.
  const quoted = JSON.stringify(tool);
  const forms: [string, string][] = [[shownName(name), quoted], [JSON.stringify(name), quoted], [
    name,
    tool,
  ]];
  return {
    tool,
    reasons: reasons.map((reason) =>
      forms.reduce((text, [from, to]) => text.split(from).join(to), reason)
    ),
  };
}
