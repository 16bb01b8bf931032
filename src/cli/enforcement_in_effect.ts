/**
 * The enforcement mode `thoth run` will use for a server `thoth status`
 * lists: the one its `--enforcement-mode` gives, else thoth run's default.
 *
 * @example
 * ```ts
 * enforcementInEffect({ governed: true, enforcementMode: null });
 * // { enforcementModeUsed: "block", enforcementModeSource: "default" }
 * ```
 */
import type { ServerStatus } from "../config/status_report.ts";
import { RUN_DEFAULTS } from "./run_options.ts";

/**
 * The enforcement mode `thoth run` will use for `server`, for `--json`:
 * `enforcementModeUsed` is its `--enforcement-mode`, else thoth run's
 * default (`block`), as `enforcementModeSource` says (`"--enforcement-mode"`
 * or `"default"`); both null for a server that is not governed.
 * `enforcementMode` keeps its meaning: the flag as written, or null.
 *
 * @example
 * ```ts
 * enforcementInEffect({ governed: true, enforcementMode: null });
 * // { enforcementModeUsed: "block", enforcementModeSource: "default" }
 * ```
 */
export function enforcementInEffect(
  server: Pick<ServerStatus, "governed" | "enforcementMode">,
): {
  enforcementModeUsed: string | null;
  enforcementModeSource: "--enforcement-mode" | "default" | null;
} {
  if (!server.governed) return { enforcementModeUsed: null, enforcementModeSource: null };
  if (server.enforcementMode !== null) {
    return {
      enforcementModeUsed: server.enforcementMode,
      enforcementModeSource: "--enforcement-mode",
    };
  }
  return { enforcementModeUsed: RUN_DEFAULTS.enforcementMode, enforcementModeSource: "default" };
}

/**
 * `server` as the table shows it: a governed server with no
 * `--enforcement-mode` shows the mode thoth run will use, marked as its
 * default (`block (default)`), not "—".
 */
export function shownMode(server: ServerStatus): ServerStatus {
  const { enforcementModeUsed, enforcementModeSource } = enforcementInEffect(server);
  return enforcementModeSource === "default"
    ? { ...server, enforcementMode: `${enforcementModeUsed} (default)` }
    : server;
}
