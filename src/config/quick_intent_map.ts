/**
 * The intent map for `thoth run`: a well-formed map is read by
 * {@linkcode readStrictJsonc} without loading the JSONC library; anything
 * else goes to {@linkcode parseIntentMap}, which explains the problem.
 *
 * @example
 * ```ts
 * await readIntentMap('{"gdrive": "calendar_management"}', "intent_map.json");
 * // { gdrive: "calendar_management" }
 * ```
 */
import { readStrictJsonc } from "./strict_jsonc.ts";

/** What an intent name looks like. */
export const INTENT_NAME = /^[A-Za-z0-9][A-Za-z0-9_.:-]*$/;

/** The map from server name to intent, or undefined when the full parser must look. */
export function quickIntentMap(text: string): Record<string, string> | undefined {
  const parsed = readStrictJsonc(text)?.value;
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) return undefined;
  const map = parsed as Record<string, unknown>;
  for (const value of Object.values(map)) {
    if (typeof value !== "string" || !INTENT_NAME.test(value)) return undefined;
  }
  return map as Record<string, string>;
}

/** Returns the map, or throws `intent_map.invalid` naming the entry that failed. */
export async function readIntentMap(text: string, label: string): Promise<Record<string, string>> {
  const quick = quickIntentMap(text);
  if (quick !== undefined) return quick;
  const { parseIntentMap } = await import("./parse_intent_map.ts");
  return parseIntentMap(text, label);
}
