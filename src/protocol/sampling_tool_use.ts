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
import { caseVariantKey, foldKey } from "./key_case.ts";
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

/**
 * The tools a model chose in one answer a client's request carries to a
 * server's own request (an entry of `inputResponses`, the stateless era's
 * round trip). An entry is read in both shapes a server may take it in: as
 * the sampling result itself, and as that result wrapped under `result` (the
 * multi-round-trip draft's shape); the tools of both count. Fail closed: a
 * `tool_use` block anywhere else in the entry (deeper, inside an array, under
 * a key a lenient server reads as `result`) is one a server might run that
 * thoth cannot read for sure, and is reported with where it is.
 *
 * @example
 * ```ts
 * readInputResponse({ result: { content: [{ type: "tool_use", id: "t", name: "rm", input: {} }] } });
 * // { ok: true, uses: [{ name: "rm", input: {} }] }
 * readInputResponse([{ content: [{ type: "tool_use", id: "t", name: "rm", input: {} }] }]);
 * // { ok: false, problem: "a tool_use block at [0].content[0] is not where thoth reads one …" }
 * ```
 */
export function readInputResponse(entry: unknown): ToolUses {
  const uses: ToolUse[] = [];
  const read = new Set<unknown>();
  if (isPlainObject(entry)) {
    const wrapped = entry["result"];
    for (const [result, where] of [[entry, ""], [wrapped, "its result: "]] as const) {
      if (!isPlainObject(result)) continue;
      const found = readToolUses(result);
      if (!found.ok) return { ok: false, problem: where + found.problem };
      uses.push(...found.uses);
      const content = result["content"];
      for (const block of Array.isArray(content) ? content : [content]) {
        if (isPlainObject(block) && block["type"] === "tool_use") read.add(block);
      }
    }
  }
  const stray = strayToolUse(entry, read);
  if (stray !== undefined) {
    return {
      ok: false,
      problem: `a tool_use block at ${stray} is not where thoth reads one (the answer's ` +
        "content, or its result's content)",
    };
  }
  return { ok: true, uses };
}

/** The most characters of a place in an entry a problem quotes. */
const MAX_PLACE = 120;

/**
 * Where in `value` is an object a lenient server may read as a `tool_use`
 * block (a key that folds to `type`, with the value `"tool_use"`) other than
 * the blocks in `read`, or undefined. Those and their inputs are not looked
 * into. Walks with a stack of its own: a deeply nested entry overflows none.
 */
function strayToolUse(value: unknown, read: ReadonlySet<unknown>): string | undefined {
  const stack: [unknown, string][] = [[value, ""]];
  while (stack.length > 0) {
    const [node, place] = stack.pop()!;
    if (Array.isArray(node)) {
      node.forEach((item, index) => stack.push([item, `${place}[${index}]`]));
    } else if (isPlainObject(node) && !read.has(node)) {
      if (typedToolUse(node)) return shownPlace(place);
      for (const key in node) {
        if (!Object.hasOwn(node, key)) continue;
        const step = /^[A-Za-z_$][\w$]*$/.test(key)
          ? `${place === "" ? "" : "."}${key}`
          : `[${JSON.stringify(key)}]`;
        stack.push([node[key], place + step]);
      }
    }
  }
  return undefined;
}

/** Whether `block` has a key that folds to `type` (see `key_case.ts`) whose value is `"tool_use"`. */
function typedToolUse(block: Record<string, unknown>): boolean {
  for (const key in block) {
    if (Object.hasOwn(block, key) && block[key] === "tool_use" && foldKey(key) === "type") {
      return true;
    }
  }
  return false;
}

function shownPlace(place: string): string {
  if (place === "") return "the top of the answer";
  return place.length > MAX_PLACE ? `${place.slice(0, MAX_PLACE)}…` : place;
}
