/**
 * What `readThothInvocation` needs to know of a server entry's `env`. Pure.
 */
import type { Node } from "jsonc-parser";
import type { InvocationContext } from "./thoth_invocation.ts";
import { WRAP_RECORD_KEY } from "./wrap_record.ts";
import { envProperties } from "./env_properties.ts";

/**
 * What `readThothInvocation` needs to know of an entry's `env`: its `THOTH_WRAP` record.
 *
 * @example
 * ```ts
 * import { parseTree } from "jsonc-parser";
 * invocationContext(parseTree('{"THOTH_WRAP": "v1;thoth=/opt/acme/governor"}'));
 * // { wrapRecord: "v1;thoth=/opt/acme/governor" }
 * ```
 */
export function invocationContext(env: Node | undefined): InvocationContext {
  const value = envProperties(env).get(WRAP_RECORD_KEY)?.value.value;
  return typeof value === "string" ? { wrapRecord: value } : {};
}
