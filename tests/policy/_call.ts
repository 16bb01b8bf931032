import type { ToolAnnotations, ToolCall } from "../../src/policy/tool_call.ts";

/** A tool call for tests, listed and in the initialize era unless told otherwise. */
export function toolCall(
  server: string,
  tool: string,
  args: Record<string, unknown> | undefined,
  annotations?: ToolAnnotations,
  listed = true,
): ToolCall {
  return {
    server,
    tool,
    arguments: args,
    annotations,
    listed,
    era: "initialize",
    protocolVersion: "2025-06-18",
  };
}
