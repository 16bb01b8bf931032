/**
 * One rule of this release's default policy as the default writes it
 * (comments inside it kept), for `thoth policy default --rule ID`: an admin
 * whose policy an earlier default wrote pastes it into their `"rules"`
 * instead of copying it by hand out of the whole default. Pure.
 *
 * @example
 * ```ts
 * defaultRuleText("command-runners"); // '{\n  "id": "command-runners",\n  …\n},\n'
 * defaultRuleIds(); // ["reads", "destructive", "delete-like", …]
 * ```
 */
import { findNodeAtLocation, type Node, parseTree } from "jsonc-parser";
import { DEFAULT_POLICY_JSONC } from "./default_policy.ts";

/** The rule elements of the default policy's `"rules"`, with their ids. */
function defaultRuleNodes(): { id: string; node: Node }[] {
  const tree = parseTree(DEFAULT_POLICY_JSONC, [], { allowTrailingComma: true });
  const rules = tree === undefined ? undefined : findNodeAtLocation(tree, ["rules"]);
  return (rules?.children ?? []).flatMap((node) => {
    const id = findNodeAtLocation(node, ["id"])?.value;
    return typeof id === "string" ? [{ id, node }] : [];
  });
}

/** The ids of the default policy's rules, in its order. */
export function defaultRuleIds(): string[] {
  return defaultRuleNodes().map((r) => r.id);
}

/**
 * The default's rule `id` as JSONC, at the left margin and followed by a
 * comma (a policy takes a trailing comma), ready to paste as an element of
 * `"rules"`; undefined when the default has no rule of that id.
 */
export function defaultRuleText(id: string): string | undefined {
  const found = defaultRuleNodes().find((r) => r.id === id);
  if (found === undefined) return undefined;
  const { offset, length } = found.node;
  const lineStart = DEFAULT_POLICY_JSONC.lastIndexOf("\n", offset) + 1;
  const indent = DEFAULT_POLICY_JSONC.slice(lineStart, offset);
  const lines = DEFAULT_POLICY_JSONC.slice(offset, offset + length).split("\n");
  // The lines after the first are indented as the element is in the default: taken back.
  const text = lines
    .map((line, i) => i > 0 && line.startsWith(indent) ? line.slice(indent.length) : line)
    .join("\n");
  return `${text},\n`;
}
