/**
 * The servers a planned config text runs through thoth, as `thoth status`
 * reads them: what `wrap-config --json` reports as governed in each file it
 * plans. Pure.
 *
 * @example
 * ```ts
 * governedIn(plan.text, "/home/ana/.cursor/mcp.json", wrap, "cursor");
 * // [{ name: "fs", project: null, tenantId: "acme", intent: null }]
 * ```
 */
import type { ClientId } from "../config/client_id.ts";
import type { WrapOptions } from "../config/plan_wrap.ts";
import { planStatus } from "../config/plan_status.ts";
import type { Governed } from "./config_run_json.ts";

/**
 * The servers `text` runs through thoth, with the tenant each carries (from
 * `--tenant-id` or THOTH_TENANT_ID in its env) and its `--intent`, as `thoth
 * status` reads them; null when it cannot be read so.
 */
export function governedIn(
  text: string,
  label: string,
  wrap: WrapOptions,
  client: ClientId | undefined,
): Governed[] | null {
  try {
    return planStatus(text, {
      label,
      isFile: wrap.pathCheck?.isFile ?? (() => false),
      thothCommand: wrap.thothCommand,
      ...(client === undefined ? {} : { client }),
    }).servers.filter((server) => server.state === "governed");
  } catch {
    return null;
  }
}
