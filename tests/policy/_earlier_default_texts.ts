/**
 * Default policy texts as earlier releases wrote them, built from the current
 * one: without the `command-runners` rule they did not have, and with an
 * earlier `delete-like` rule's globs when given.
 */
import { DEFAULT_POLICY_JSONC } from "../../src/policy/default_policy.ts";

/** The current default policy without its command-runners rule (and with `deleteLike` globs). */
export function withoutCommandRunners(deleteLike?: readonly string[]): string {
  const rule = DEFAULT_POLICY_JSONC.indexOf('"id": "command-runners"');
  const start = DEFAULT_POLICY_JSONC.lastIndexOf("},", rule);
  const end = DEFAULT_POLICY_JSONC.indexOf("\n    }\n", rule);
  if (rule < 0 || start < 0 || end < 0) throw new Error("no command-runners rule to take out");
  let text = DEFAULT_POLICY_JSONC.slice(0, start + 1) +
    DEFAULT_POLICY_JSONC.slice(end + "\n    }".length);
  if (deleteLike !== undefined) {
    const at = text.indexOf('"id": "delete-like"');
    const from = text.indexOf('"match": { "tool": [', at);
    const to = text.indexOf("] }", from);
    text = text.slice(0, from) + `"match": { "tool": ${JSON.stringify(deleteLike)} }` +
      text.slice(to + "] }".length);
  }
  return text;
}
