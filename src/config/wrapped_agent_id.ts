/**
 * The agent id a wrapped server entry runs under, as `thoth run` reads it
 * (see {@linkcode wrappedAgentId}). Pure.
 */
import type { StdioEntry } from "./classify_entry.ts";
import { readThothInvocation, type ThothInvocation } from "./thoth_invocation.ts";
import { deriveAgentId } from "../proxy/derive_agent_id.ts";
import { invocationContext } from "./invocation_context.ts";

/**
 * The agent id a wrapped entry has (the `--agent-id` of its `thoth run`, or
 * without one the id thoth run derives from the upstream command); undefined
 * when it is not wrapped, null when it names thoth in a shape not understood
 * (a wrap leaves it alone).
 *
 * @example
 * ```ts
 * import { parseTree } from "jsonc-parser";
 * import { classifyEntry } from "./classify_entry.ts";
 * const text = '{"command": "/opt/thoth/bin/thoth", "args": ["run", "--agent-id", "fs", "--", "npx", "pkg"]}';
 * const stdio = classifyEntry(parseTree(text)!);
 * if (stdio.kind === "stdio") wrappedAgentId(stdio, ["/opt/thoth/bin/thoth"]); // "fs"
 * ```
 */
export function wrappedAgentId(
  entry: StdioEntry,
  thothCommand: readonly string[],
): string | null | undefined {
  const args = (entry.args?.children ?? []).map((node) => node.value as string);
  const found = readThothInvocation(
    entry.command.value as string,
    args,
    thothCommand,
    invocationContext(entry.env),
  );
  if (found?.kind === "not_understood") return null;
  return found === undefined ? undefined : agentIdOf(found);
}

/**
 * The agent id `thoth run` uses for a wrapped entry: its `--agent-id` (the
 * last, as thoth run reads a repeated one), else the id derived from its
 * upstream command.
 *
 * @example
 * ```ts
 * // thoth run --agent-id fs -- npx -y @modelcontextprotocol/server-gdrive
 * agentIdOf(found); // "fs"; without --agent-id: "server-gdrive"
 * ```
 */
export function agentIdOf(found: ThothInvocation): string {
  return found.flags.findLast(([flag]) => flag === "--agent-id")?.[1] ??
    deriveAgentId(found.upstream[0]!, found.upstream.slice(1));
}
