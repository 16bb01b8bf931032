/**
 * The command a doctor hint names to wrap (or wrap again) one client config,
 * in the form `thoth status` and `thoth wrap-config` name it: the client's
 * `--client` and the file (see `config_command_line.ts`); and the words that
 * say it takes the options the other servers were wrapped with
 * ({@linkcode SAME_OPTIONS}), which doctor cannot know (a tenant,
 * `--env THOTH_USER_ID=…`): the command without them writes entries without
 * a tenant or user. The hint puts those words before the command, which
 * ends it, so that it can be pasted and the options added. Pure.
 *
 * @example
 * ```ts
 * `wrap them ${SAME_OPTIONS} with: ${wrapConfigLine("claude-code", "/home/ana/web/.mcp.json")}`;
 * // "wrap them (adding the options your other servers were wrapped with, such as
 * //  --tenant-id) with: thoth wrap-config --client claude-code /home/ana/web/.mcp.json"
 * ```
 */
import { CLIENT_IDS } from "../config/client_id.ts";
import { configCommandLine } from "../config/config_command_line.ts";

/** What the command takes that doctor cannot tell, said before it. */
export const SAME_OPTIONS = "(adding the options your other servers were wrapped with, " +
  "such as --tenant-id)";

/** `thoth wrap-config` for the config at `configPath` of client `client`. */
export function wrapConfigLine(client: string, configPath: string): string {
  const known = (CLIENT_IDS as readonly string[]).includes(client) ? client : undefined;
  return configCommandLine(
    { name: "wrap-config", takes: "INPUT" },
    { client: known, file: configPath },
  );
}
