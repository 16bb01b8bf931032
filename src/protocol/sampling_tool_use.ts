/**
 * The tools a model chose in a client's answer to a server's
 * `sampling/createMessage` request (MCP 2025-11-25, sampling with tools):
 * each `tool_use` content block names a tool of that server and its input,
 * and the server runs it. The relay decides each like a `tools/call`. Read
 * fail closed: a block thoth cannot read for sure (a name that is not a
 * string, an input that is not an object, a key a lenient server may read
 * as `content`, `type`, `name` or `input`) is reported, never guessed. Pure.
 *
 * @example
 * ```ts
 * readToolUses({ role: "assistant", content: [{ type: "tool_use", id: "t1", name: "rm", input: {} }] });
 * // { ok: true, uses: [{ name: "rm", input: {} }] }
 * ```
 */
import { caseVariantKey } from "./key_case.ts";
import { isPlainObject, readToolCallParams } from "./mcp_shapes.ts";

/** One tool a model chose: its name and its input (the call's arguments). */
export interface ToolUse {
  name: string;
  input: Record<string, unknown> | undefined;
}

/** The tools chosen in a sampling result, or why they cannot be read. */
export type ToolUses =
  | { ok: true; uses: ToolUse[] }
  | { ok: false; problem: string };

const RESULT_KEYS: readonly string[] = ["content"];
const BLOCK_KEYS: readonly string[] = ["type", "name", "input"];

/**
 * The `tool_use` blocks of a `sampling/createMessage` result, in order, from
 * its `content` (one block or an array of them); none when it has no such
 * block (a text answer).
 *
 * @example
 * ```ts
 * readToolUses({ content: { type: "text", text: "hi" } }); // { ok: true, uses: [] }
 * ```
 */
export function readToolUses(result: unknown): ToolUses {
  if (!isPlainObject(result)) return { ok: true, uses: [] };
  const variant = caseVariantKey(result, RESULT_KEYS);
  if (variant !== undefined) {
    return { ok: false, problem: `the result has the key ${JSON.stringify(variant)}` };
  }
  const content = result["content"];
  const blocks = Array.isArray(content) ? content : [content];
  const uses: ToolUse[] = [];
  for (const block of blocks) {
    if (!isPlainObject(block)) continue;
    const blockVariant = caseVariantKey(block, BLOCK_KEYS);
    if (blockVariant !== undefined) {
      return {
        ok: false,
        problem: `a content block has the key ${JSON.stringify(blockVariant)}`,
      };
    }
    if (block["type"] !== "tool_use") continue;
    const read = readToolCallParams({ name: block["name"], arguments: block["input"] });
    if (!read.ok) {
      return {
        ok: false,
        problem: `a tool_use block cannot be read: ${
          read.problem.replace("params.name", "its name").replace("params.arguments", "its input")
        }`,
      };
    }
    uses.push({ name: read.name, input: read.arguments });
  }
  return { ok: true, uses };
}
