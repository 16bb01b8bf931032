/**
 * How a stderr note names a call's tool: as every other text does
 * ({@linkcode shownName}), but a name no `tools/list` named that the secret,
 * PII or PHI detectors flag (a token the model put where a tool name goes) is not
 * shown, only its length: the note lands in the MCP client's log. The
 * decision's record shows it by its keyed digest (see `hidden_tool_name.ts`).
 * Pure.
 *
 * @example
 * ```ts
 * notedToolName({ tool: "write_file", listed: true }); // '"write_file"'
 * notedToolName({ tool: "ghp_…", listed: false });
 * // "(name not shown: the secret, PII or PHI detectors flag it; 40 characters)"
 * ```
 */
import { shownName } from "../approval/shown_name.ts";
import { redactedName } from "../audit/redact_recorded_names.ts";
import type { ToolCall } from "../policy/tool_call.ts";

/** `call`'s tool name for a stderr note (see the module's note). */
export function notedToolName(call: Pick<ToolCall, "tool" | "listed">): string {
  if (call.listed || redactedName(call.tool, () => "") === call.tool) return shownName(call.tool);
  return `(name not shown: the secret, PII or PHI detectors flag it; ${call.tool.length} characters)`;
}
