/**
 * What `thoth status` says of tenants: this build decides every call with
 * the local policy (the README's Identity section), also for a server whose
 * entry names a tenant. `--json` gives each server `"decisions"`: "local"
 * for a server thoth runs, null for one it does not; the text output gets
 * one line under the tables naming the servers with a tenant.
 *
 * @example
 * ```ts
 * localDecisionsLine([{ name: "fs", project: null, state: "governed", tenantId: "acme" }]);
 * // "Tenant set for fs: calls are decided by this machine's local policy (…)\n"
 * ```
 */
import { shownUnlessKey } from "../identity/id_flagged_as_key.ts";
import { displayText } from "../approval/display_text.ts";

/** The fields of a status row this reads. */
export interface DecidedServer {
  name: string;
  project: string | null;
  state: string;
  tenantId: string | null;
}

/** Where the calls of `server` are decided: "local" when thoth runs it, else null. */
export function decisionsOf(server: Pick<DecidedServer, "state">): "local" | null {
  return server.state === "governed" ? "local" : null;
}

/** The line naming the governed servers with a tenant; "" when there are none. */
export function localDecisionsLine(servers: readonly DecidedServer[]): string {
  const named = servers.filter((server) => decisionsOf(server) !== null && server.tenantId !== null)
    .map((server) =>
      `${shownUnlessKey(server.name)}${
        server.project === null ? "" : ` (project ${server.project})`
      }`
    );
  if (named.length === 0) return "";
  return displayText(
    `Tenant set for ${named.join(", ")}: calls are decided by this machine's local policy ` +
      "(this build does not use the tenant's remote enforcer)",
    Infinity,
  ) + "\n";
}
