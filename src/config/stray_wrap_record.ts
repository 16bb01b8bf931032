/**
 * An entry that runs without thoth yet has a `THOTH_WRAP` key in its `env`:
 * how to tell, and the words wrap-config and `thoth status` use for it. Pure.
 *
 * @example
 * ```ts
 * import { parseTree } from "jsonc-parser";
 * hasWrapRecordKey(parseTree('{"THOTH_WRAP": ""}')); // true
 * `not wrapped but ${STRAY_WRAP_RECORD}`; // "not wrapped but has a THOTH_WRAP env key; remove it by hand first"
 * ```
 */
import type { Node } from "jsonc-parser";
import { WRAP_RECORD_KEY } from "./wrap_record.ts";
import { envProperties } from "./env_properties.ts";

/**
 * Why wrap-config will not wrap an entry that runs without thoth yet has a
 * `THOTH_WRAP` key in its `env`, and the fix: said by wrap-config (after "not
 * wrapped but ") and by `thoth status` alike.
 */
export const STRAY_WRAP_RECORD = `has a ${WRAP_RECORD_KEY} env key; remove it by hand first`;

/** Whether an entry's `env` has a `THOTH_WRAP` key, whatever its value. */
export function hasWrapRecordKey(env: Node | undefined): boolean {
  return envProperties(env).has(WRAP_RECORD_KEY);
}
