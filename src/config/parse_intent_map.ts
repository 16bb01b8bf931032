/**
 * Parses an `--intent-map` file: a JSON object from server name to session
 * intent name. Pure.
 *
 * @example
 * ```ts
 * parseIntentMap('{"gdrive": "calendar_management"}', "intent_map.json");
 * // { gdrive: "calendar_management" }
 * ```
 */
import type { Node } from "jsonc-parser";
import { parseConfig } from "./parse_config.ts";
import { AppError } from "../errors.ts";
import { INTENT_NAME } from "./quick_intent_map.ts";

/** Returns the map, or throws `intent_map.invalid` naming the entry that failed. */
export function parseIntentMap(text: string, label: string): Record<string, string> {
  let root: Node;
  try {
    // Every key names a server: one given twice is refused wherever it stands.
    root = parseConfig(text, label, false, { duplicateKeys: "anywhere" });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new AppError("intent_map.invalid", message.replace("config", "intent map"), {
      hints: ['an intent map looks like {"gdrive": "calendar_management"}'],
    });
  }
  const map: Record<string, string> = {};
  for (const property of root.children ?? []) {
    const [key, value] = property.children ?? [];
    const name = String(key?.value);
    if (value?.type !== "string" || !INTENT_NAME.test(value.value as string)) {
      throw new AppError(
        "intent_map.invalid",
        `cannot read intent map "${label}": the intent of "${name}" is not an intent name`,
        { hints: ['each value is an intent name such as "calendar_management"'] },
      );
    }
    map[name] = value.value as string;
  }
  return map;
}
