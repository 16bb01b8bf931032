/**
 * The last line of defence before a planned config is written: the text must
 * parse as the same kind of config the commands read (valid JSONC, an object
 * at the top, no key twice in one object). A plan that fails here is thoth's
 * bug, not the user's: it is an internal error (`internal.bad_plan`) that
 * says nothing was written. Pure.
 *
 * @example
 * ```ts
 * checkPlannedText('{"mcpServers": {}}', "c.json", "wrap-config").type; // "object"
 * checkPlannedText('{"a": function Object() {}}', "c.json", "unwrap-config");
 * // throws internal.bad_plan: unwrap-config planned text for c.json that is not a valid config: …
 * ```
 */
import { AppError, isAppError } from "../errors.ts";
import { parseConfig } from "./parse_config.ts";
import type { Node } from "jsonc-parser";

/** The parsed planned text; throws `internal.bad_plan` when the commands could not read it back. */
export function checkPlannedText(text: string, label: string, command: string): Node {
  try {
    return parseConfig(text, label);
  } catch (error) {
    if (!isAppError(error)) throw error;
    throw new AppError(
      "internal.bad_plan",
      `${command} planned text for ${label} that is not a valid config (${error.message}); ` +
        "nothing was written",
      {
        cause: error,
        hints: [
          "this is a bug in thoth: please report it with the shape of the entry (not its values)",
          `until then, edit ${label} by hand or restore it from its .thoth-backup file`,
        ],
      },
    );
  }
}
